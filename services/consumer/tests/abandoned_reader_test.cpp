// A reader that gives up takes nothing with it: directly on the consumer's port, a long poll, a GET /{t} and an event
// stream whose client leaves before a message arrives; the message goes to the next reader. And a named reader that
// vanishes right after its answer was written gets it again once its acknowledgement is overdue.
#include <gtest/gtest.h>

#include <iostream>
#include <thread>

#include <nlohmann/json.hpp>

#include "consumer_e2e.hpp"
#include "kok/test_support/abandoned_reader.hpp"

namespace kok::consumer::e2e {
namespace {

using namespace std::chrono_literals;
using test_support::AbandonedRead;

class AbandonedReader : public ConsumerE2E {
 protected:
  void run(AbandonedRead kind, std::string_view name) {
    auto service = start_service();
    const auto topic = make_topic(name);
    const auto outcome = test_support::run_abandoned_reads(
        "127.0.0.1", service->port(), topic, kind, test_support::abandoned_tries(),
        [this, &topic](const std::string& value) { produce(topic, value); });
    std::cout << "[ abandoned ] " << name << ": " << outcome.lost << " of " << outcome.tries << " lost\n";
    EXPECT_EQ(outcome.lost, 0) << (outcome.failures.empty() ? std::string{} : outcome.failures.front());
    // The service noticed each one: its requests were answered to nobody.
    EXPECT_EQ(service->stop(), 0);
  }
};

TEST_F(AbandonedReader, LongPollLosesNothing) { run(AbandonedRead::long_poll, "abandoned-poll"); }
TEST_F(AbandonedReader, NextMessageLosesNothing) { run(AbandonedRead::next_message, "abandoned-next"); }
TEST_F(AbandonedReader, StreamLosesNothing) { run(AbandonedRead::stream, "abandoned-stream"); }

// ?reader=R: written is not enough; what R got is committed when R comes back (or acknowledges), and handed out again
// when R does not within the ack timeout.
TEST_F(AbandonedReader, NamedReaderThatNeverAcknowledgesGetsItsBatchRedelivered) {
  auto service = start_service({{"CONSUMER_ACK_TIMEOUT", "1s"}});
  const auto topic = make_topic("named-reader");
  produce(topic, "first");
  auto c = service->client();
  const test_support::Headers json{{"Accept", "application/json"}};
  const auto got = c.get("/consumer/" + topic + "?wait=5s&reader=alice", json);
  ASSERT_EQ(got.status, 200U) << got.body;
  EXPECT_NE(got.body.find("\"first\""), std::string::npos) << got.body;
  // alice vanished without acknowledging: someone else gets "first" once the hold time is over.
  const auto before = c.get("/consumer/" + topic + "?wait=200ms", json);
  EXPECT_EQ(before.status, 204U) << "held for alice, not handed out: " << before.body;
  std::this_thread::sleep_for(1500ms);
  const auto again = c.get("/consumer/" + topic + "?wait=5s&reader=bob", json);
  ASSERT_EQ(again.status, 200U) << again.body;
  EXPECT_NE(again.body.find("\"first\""), std::string::npos) << again.body;
  // bob acknowledges explicitly: committed, nothing comes back.
  const auto ack = c.post("/consumer/" + topic + "/ack?reader=bob", "");
  ASSERT_EQ(ack.status, 200U) << ack.body;
  EXPECT_EQ(nlohmann::json::parse(ack.body).at("acknowledged").get<int>(), 1);
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(c.get("/consumer/" + topic + "?wait=300ms", json).status, 204U);
  EXPECT_EQ(service->stop(), 0);
}

TEST_F(AbandonedReader, NamedReadersNextReadAcknowledgesItsLastBatch) {
  auto service = start_service({{"CONSUMER_ACK_TIMEOUT", "1s"}});
  const auto topic = make_topic("named-next");
  produce(topic, "one");
  produce(topic, "two");
  auto c = service->client();
  const test_support::Headers json{{"Accept", "application/json"}};
  const auto first = c.get("/consumer/" + topic + "?wait=5s&max=1&reader=carol", json);
  ASSERT_NE(first.body.find("\"one\""), std::string::npos) << first.body;
  const auto second = c.get("/consumer/" + topic + "?wait=5s&max=1&reader=carol", json);  // acknowledges "one"
  ASSERT_NE(second.body.find("\"two\""), std::string::npos) << second.body;
  EXPECT_EQ(c.post("/consumer/" + topic + "/ack?reader=carol", "").status, 200U);
  std::this_thread::sleep_for(1500ms);
  // Both were acknowledged in time: nothing is handed out again.
  EXPECT_EQ(c.get("/consumer/" + topic + "?wait=300ms", json).status, 204U);
  EXPECT_EQ(c.get("/consumer/" + topic + "?reader=bad%20name", json).status, 400U);
  EXPECT_EQ(c.post("/consumer/" + topic + "/ack", "").status, 400U);
  EXPECT_EQ(service->stop(), 0);
}

}  // namespace
}  // namespace kok::consumer::e2e
