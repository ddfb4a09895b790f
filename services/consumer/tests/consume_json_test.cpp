// GET /consumer/{t} with Accept: application/json — long-poll batches.

#include <nlohmann/json.hpp>

#include <chrono>
#include <future>
#include <thread>

#include "consumer_e2e.hpp"

namespace kok::consumer::e2e {
namespace {

using namespace std::chrono_literals;
const test_support::Headers json_accept{{"Accept", "application/json"}};

class ConsumeJson : public ConsumerE2E {};

TEST_F(ConsumeJson, BatchOfRecordsWithAllFields) {
  const auto topic = make_topic("batch");
  produce(topic, "one", "k1", {{"trace", "t-1"}});
  produce(topic, "two");
  produce(topic, "three");
  auto service = start_service();
  auto http = service->client();
  const auto res = http.get("/consumer/" + topic + "?max=2&wait=2s", json_accept);
  ASSERT_EQ(res.status, 200U) << res.body;
  EXPECT_NE(res.header("Content-Type").find("application/json"), std::string::npos);
  const auto records = nlohmann::json::parse(res.body);
  ASSERT_EQ(records.size(), 2U);
  EXPECT_EQ(records[0]["topic"], topic);
  EXPECT_EQ(records[0]["partition"], 0);
  EXPECT_EQ(records[0]["offset"], 0);
  EXPECT_EQ(records[0]["key"], "k1");
  EXPECT_EQ(records[0]["value"], "one");
  EXPECT_GT(records[0]["timestamp"].get<std::int64_t>(), 0);
  EXPECT_EQ(records[0]["headers"]["trace"], "t-1");
  EXPECT_TRUE(records[1]["key"].is_null());
  EXPECT_EQ(records[1]["offset"], 1);

  const auto rest = nlohmann::json::parse(http.get("/consumer/" + topic + "?max=10", json_accept).body);
  ASSERT_EQ(rest.size(), 1U);
  EXPECT_EQ(rest[0]["value"], "three");
}

TEST_F(ConsumeJson, NothingWithinWaitIs204) {
  const auto topic = make_topic("nothing");
  auto service = start_service();
  auto http = service->client();
  const auto started = std::chrono::steady_clock::now();
  const auto res = http.get("/consumer/" + topic + "?wait=800ms", json_accept);
  const auto took = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(res.status, 204U) << res.body;
  EXPECT_GE(took, 700ms);
  EXPECT_LT(took, 5s);
}

TEST_F(ConsumeJson, LongPollReturnsAsSoonAsAMessageArrives) {
  const auto topic = make_topic("longpoll");
  auto service = start_service();
  auto warmup = service->client();
  // Let the service open the topic's consumer first, so the measurement is about the wakeup only.
  EXPECT_EQ(warmup.get("/consumer/" + topic + "?wait=200ms", json_accept).status, 204U);

  auto poll = std::async(std::launch::async, [&service, &topic] {
    auto http = service->client(20s);
    auto res = http.get("/consumer/" + topic + "?wait=15s", json_accept);
    return std::make_pair(res, std::chrono::steady_clock::now());
  });
  std::this_thread::sleep_for(1s);
  const auto produce_started = std::chrono::steady_clock::now();
  produce(topic, "wake up");
  const auto produced_at = std::chrono::steady_clock::now();  // acknowledged: consumers can see it from now on
  const auto [res, answered_at] = poll.get();
  ASSERT_EQ(res.status, 200U) << res.body;
  EXPECT_EQ(nlohmann::json::parse(res.body)[0]["value"], "wake up");
  const auto latency = std::chrono::duration_cast<std::chrono::milliseconds>(answered_at - produced_at);
  std::cout << "long-poll answered " << latency.count() << " ms after the produce was acknowledged\n";
  EXPECT_GT(answered_at, produce_started) << "answered before the message existed";
  EXPECT_LT(latency, 500ms);
}

TEST_F(ConsumeJson, BadParametersAre400AndWaitIsBounded) {
  const auto topic = make_topic("params");
  auto service = start_service({{"CONSUMER_MAX_WAIT", "1s"}});
  auto http = service->client();
  EXPECT_EQ(http.get("/consumer/" + topic + "?wait=soon", json_accept).status, 400U);
  EXPECT_EQ(http.get("/consumer/" + topic + "?max=0", json_accept).status, 400U);
  EXPECT_EQ(http.get("/consumer/" + topic + "?max=many", json_accept).status, 400U);
  const auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(http.get("/consumer/" + topic + "?wait=10m", json_accept).status, 204U);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 5s) << "wait is capped by CONSUMER_MAX_WAIT";
  EXPECT_EQ(http.get("/consumer/" + test_support::unique_topic("nope") + "?wait=1s", json_accept).status, 404U);
}

}  // namespace
}  // namespace kok::consumer::e2e
