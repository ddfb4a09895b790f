// GET /consumer/{t}/stream — Server-Sent Events, resumable with Last-Event-ID.

#include <nlohmann/json.hpp>

#include "consumer_e2e.hpp"

namespace kok::consumer::e2e {
namespace {

class Stream : public ConsumerE2E {};

std::int64_t offset_in(const test_support::SseEvent& e) { return nlohmann::json::parse(e.data).at("offset"); }

TEST_F(Stream, DeliversEventsWithIdsAndJsonRecords) {
  const auto topic = make_topic("sse");
  for (int i = 0; i < 5; ++i) produce(topic, "e" + std::to_string(i));
  auto service = start_service();
  auto http = service->client();
  test_support::HttpResponse head;
  const auto events = http.read_events("/consumer/" + topic + "/stream", 5, {}, &head);
  EXPECT_EQ(head.status, 200U);
  EXPECT_NE(head.header("Content-Type").find("text/event-stream"), std::string::npos);
  ASSERT_EQ(events.size(), 5U);
  for (int i = 0; i < 5; ++i) {
    const auto& e = events[static_cast<std::size_t>(i)];
    EXPECT_EQ(e.id, "0:" + std::to_string(i));
    const auto record = nlohmann::json::parse(e.data);
    EXPECT_EQ(record["value"], "e" + std::to_string(i));
    EXPECT_EQ(record["topic"], topic);
  }
}

TEST_F(Stream, ResumesRightAfterLastEventId) {
  const auto topic = make_topic("resume");
  for (int i = 0; i < 10; ++i) produce(topic, "e" + std::to_string(i));
  auto service = start_service();
  auto http = service->client();
  // The client goes away after 4 events; the server may well have written more into the socket by then.
  const auto first = http.read_events("/consumer/" + topic + "/stream", 4);
  ASSERT_EQ(first.size(), 4U);
  EXPECT_EQ(first.back().id, "0:3");
  for (int i = 0; i < 10; ++i) produce(topic, "f" + std::to_string(i));

  const auto second = http.read_events("/consumer/" + topic + "/stream", 16, {{"Last-Event-ID", first.back().id}});
  ASSERT_EQ(second.size(), 16U);
  for (std::size_t i = 0; i < second.size(); ++i) {
    EXPECT_EQ(offset_in(second[i]), static_cast<std::int64_t>(i) + 4) << "no gap, no repeat after the resume point";
  }
}

TEST_F(Stream, MissingTopicIs404BeforeStreaming) {
  auto service = start_service();
  auto http = service->client();
  const auto res = http.get("/consumer/" + test_support::unique_topic("nope") + "/stream");
  EXPECT_EQ(res.status, 404U);
  EXPECT_NE(res.body.find("topic does not exist"), std::string::npos);
  const auto topic = make_topic("badid");
  EXPECT_EQ(http.get("/consumer/" + topic + "/stream", {{"Last-Event-ID", "x:y"}}).status, 400U);
}

}  // namespace
}  // namespace kok::consumer::e2e
