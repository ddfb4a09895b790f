// POST /consumer/{t}/position — replay for the service's group, against the real brokers: the real kok-consumer, real
// HTTP. Each test reads with GET /{t} (or a stream, or a named reader) before and after the move.
#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "consumer_e2e.hpp"

namespace kok::consumer::e2e {
namespace {

using namespace std::chrono_literals;
using json = nlohmann::json;

class Position : public ConsumerE2E {
 protected:
  // Moves the group's position on `topic`; `query` is everything after '?'.
  static HttpResponse move(HttpClient& http, const std::string& topic, const std::string& query) {
    return http.post("/consumer/" + topic + "/position?" + query, "");
  }
  // The answer of a move on partition 0 of a one-partition topic.
  static json moved_to(const std::string& topic, std::int64_t offset) {
    return json{{"topic", topic}, {"positions", json::array({json{{"partition", 0}, {"offset", offset}}})}};
  }
  static std::string record(std::int64_t offset, const std::string& value) {
    return "offset: " + std::to_string(offset) + " key:  value: " + value;
  }
};

TEST_F(Position, ToTheBeginningServesOffsetZeroAgain) {
  const auto topic = make_topic("pos-begin");
  for (int i = 0; i < 3; ++i) produce(topic, "v" + std::to_string(i));
  auto service = start_service();
  auto http = service->client();
  for (int i = 0; i < 3; ++i) ASSERT_EQ(http.get("/" + topic).body, record(i, "v" + std::to_string(i)));
  const auto res = move(http, topic, "to=beginning");
  ASSERT_EQ(res.status, 200U) << res.body;
  EXPECT_EQ(json::parse(res.body), moved_to(topic, 0));
  EXPECT_EQ(http.get("/" + topic).body, record(0, "v0"));
  EXPECT_EQ(http.get("/" + topic).body, record(1, "v1"));
  EXPECT_EQ(service->stop(), 0);
}

TEST_F(Position, ToAnOffsetIsCommittedAndSurvivesARestart) {
  const auto topic = make_topic("pos-offset");
  for (int i = 0; i < 5; ++i) produce(topic, "v" + std::to_string(i));
  {
    auto service = start_service();
    auto http = service->client();
    ASSERT_EQ(http.get("/" + topic).body, record(0, "v0"));  // the consumer is open and has prefetched
    const auto res = move(http, topic, "to=3");
    ASSERT_EQ(res.status, 200U) << res.body;
    EXPECT_EQ(json::parse(res.body), moved_to(topic, 3));
    EXPECT_EQ(service->stop(), 0);
  }
  auto service = start_service();
  auto http = service->client();
  EXPECT_EQ(http.get("/" + topic).body, record(3, "v3")) << "the moved position is the group's committed offset";
  // Beyond the log: the nearest end, as a browse's ?from= does.
  EXPECT_EQ(json::parse(move(http, topic, "to=99").body), moved_to(topic, 5));
  EXPECT_EQ(service->stop(), 0);
}

TEST_F(Position, ToATimeServesTheFirstMessageWrittenThen) {
  const auto topic = make_topic("pos-time");
  produce(topic, "old");
  std::this_thread::sleep_for(50ms);
  const auto since = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
  std::this_thread::sleep_for(50ms);
  produce(topic, "new1");
  produce(topic, "new2");
  auto service = start_service();
  auto http = service->client();
  for (int i = 0; i < 3; ++i) ASSERT_EQ(http.get("/" + topic).status, 200U);
  const auto res = move(http, topic, "to=" + std::to_string(since) + "ms");
  ASSERT_EQ(res.status, 200U) << res.body;
  EXPECT_EQ(json::parse(res.body), moved_to(topic, 1));
  EXPECT_EQ(http.get("/" + topic).body, record(1, "new1"));
  EXPECT_EQ(http.get("/" + topic).body, record(2, "new2"));
  // An ISO-8601 time long past: the beginning.
  EXPECT_EQ(json::parse(move(http, topic, "to=2001-01-01T00:00:00Z").body), moved_to(topic, 0));
  EXPECT_EQ(http.get("/" + topic).body, record(0, "old"));
  EXPECT_EQ(service->stop(), 0);
}

TEST_F(Position, ToTheEndLeavesNothingToRead) {
  const auto topic = make_topic("pos-end");
  for (int i = 0; i < 3; ++i) produce(topic, "v" + std::to_string(i));
  auto service = start_service();
  auto http = service->client();
  const auto res = move(http, topic, "to=end");
  ASSERT_EQ(res.status, 200U) << res.body;
  EXPECT_EQ(json::parse(res.body), moved_to(topic, 3));
  const auto none = http.get("/" + topic);
  EXPECT_EQ(none.status, 404U);
  EXPECT_EQ(none.body, "Not Found");
  produce(topic, "after");
  EXPECT_EQ(http.get("/consumer/" + topic + "?wait=5s").body, record(3, "after"));
  EXPECT_EQ(service->stop(), 0);
}

TEST_F(Position, AReadersUnacknowledgedBatchIsDiscarded) {
  const auto topic = make_topic("pos-reader");
  for (int i = 0; i < 2; ++i) produce(topic, "v" + std::to_string(i));
  auto service = start_service({{"CONSUMER_ACK_TIMEOUT", "1s"}});
  auto http = service->client();
  const test_support::Headers as_json{{"Accept", "application/json"}};
  const auto held = http.get("/consumer/" + topic + "?wait=5s&max=2&reader=alice", as_json);
  ASSERT_EQ(held.status, 200U) << held.body;
  ASSERT_EQ(json::parse(held.body).size(), 2U);
  ASSERT_EQ(move(http, topic, "to=end").status, 200U);
  // alice's batch lay before the new position: gone, not committed by her acknowledgement...
  const auto ack = http.post("/consumer/" + topic + "/ack?reader=alice", "");
  ASSERT_EQ(ack.status, 200U) << ack.body;
  EXPECT_EQ(json::parse(ack.body), (json{{"topic", topic}, {"reader", "alice"}, {"acknowledged", 0}}));
  // ...nor handed out again once her hold time is over.
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(http.get("/consumer/" + topic + "?wait=300ms", as_json).status, 204U);
  EXPECT_EQ(service->stop(), 0);
}

TEST_F(Position, AnOpenStreamContinuesFromTheNewPosition) {
  const auto topic = make_topic("pos-stream");
  for (int i = 0; i < 3; ++i) produce(topic, "v" + std::to_string(i));
  auto service = start_service();
  std::vector<test_support::SseEvent> events;
  std::thread reader([&] { events = service->client().read_events("/consumer/" + topic + "/stream", 5); });
  std::this_thread::sleep_for(2s);  // the stream has sent (and committed) 0, 1, 2 and waits
  auto http = service->client();
  const auto res = move(http, topic, "to=1");
  reader.join();
  ASSERT_EQ(res.status, 200U) << res.body;
  std::vector<std::string> ids;
  for (const auto& e : events) ids.push_back(e.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"0:0", "0:1", "0:2", "0:1", "0:2"}));
  EXPECT_EQ(service->stop(), 0);
}

TEST_F(Position, BadInputIs400WithAReasonAndAnUnknownTopic404) {
  const auto topic = make_topic("pos-bad", 2);
  auto service = start_service();
  auto http = service->client();
  const std::string to_reason =
      "to must be beginning, end, an offset, a time as epoch milliseconds (e.g. 1733253600000ms) or an ISO-8601 time "
      "with its zone (e.g. 2024-12-03T19:20:00Z)\n";
  for (const std::string query : {"", "to=", "to=yesterday", "to=-1", "to=2024-12-03T19:20:00"}) {
    const auto res = move(http, topic, query);
    EXPECT_EQ(res.status, 400U) << query;
    EXPECT_EQ(res.body, to_reason) << query;
  }
  const auto bad_partition = move(http, topic, "to=end&partition=x");
  EXPECT_EQ(bad_partition.status, 400U);
  EXPECT_EQ(bad_partition.body, "partition must be a partition number (0 or more)\n");
  const auto missing = move(http, topic, "to=end&partition=2");
  EXPECT_EQ(missing.status, 400U);
  EXPECT_EQ(missing.body, "partition 2 does not exist: topic '" + topic + "' has 2 (numbered from 0)\n");
  const auto unknown = move(http, test_support::unique_topic("pos-none"), "to=end");
  EXPECT_EQ(unknown.status, 404U);
  EXPECT_EQ(unknown.body, "topic does not exist\n");
  EXPECT_EQ(service->stop(), 0);
}

TEST_F(Position, OnePartitionMovesAndTheOthersKeepTheirPlace) {
  const auto topic = make_topic("pos-part", 2);
  for (int i = 0; i < 2; ++i) {
    produce(topic, "p0-" + std::to_string(i), {}, {}, 0);
    produce(topic, "p1-" + std::to_string(i), {}, {}, 1);
  }
  auto service = start_service();
  auto http = service->client();
  const test_support::Headers as_json{{"Accept", "application/json"}};
  std::size_t read = 0;
  while (read < 4) {
    const auto batch = http.get("/consumer/" + topic + "?wait=5s&max=4", as_json);
    ASSERT_EQ(batch.status, 200U) << batch.body;
    read += json::parse(batch.body).size();
  }
  const auto res = move(http, topic, "to=beginning&partition=1");
  ASSERT_EQ(res.status, 200U) << res.body;
  EXPECT_EQ(json::parse(res.body),
            (json{{"topic", topic}, {"positions", json::array({json{{"partition", 1}, {"offset", 0}}})}}));
  const auto again = json::parse(http.get("/consumer/" + topic + "?wait=5s&max=4", as_json).body);
  std::vector<std::string> values;
  for (const auto& r : again) values.push_back(r.at("value"));
  EXPECT_EQ(values, (std::vector<std::string>{"p1-0", "p1-1"})) << again.dump();
  EXPECT_EQ(service->stop(), 0);
}

}  // namespace
}  // namespace kok::consumer::e2e
