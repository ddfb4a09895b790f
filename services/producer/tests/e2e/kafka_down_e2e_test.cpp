// The producer with no reachable Kafka: alive, not ready, and every Kafka-bound request answers 503 with
// Retry-After (or 504) instead of hanging. Needs no cluster: the bootstrap points at a closed port.
#include <gtest/gtest.h>

#include "kok/test_support/service_process.hpp"

namespace kok::producer::e2e {
namespace {

test_support::ServiceOptions unreachable_kafka() {
  test_support::ServiceOptions options;
  options.binary = KOK_PRODUCER_BINARY;
  options.env = {{"KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + std::to_string(test_support::free_port())},
                 {"KAFKA_REQUEST_TIMEOUT", "2s"},
                 {"READINESS_INTERVAL", "500ms"}};
  options.ready_path = "/healthz";  // it will never be ready
  return options;
}

TEST(KafkaDown, AliveButNotReady) {
  test_support::ServiceProcess producer(unreachable_kafka());
  auto c = producer.client();
  EXPECT_EQ(c.get("/healthz").status, 200U);
  const auto ready = c.get("/readyz");
  EXPECT_EQ(ready.status, 503U);
  EXPECT_NE(ready.body.find("kafka"), std::string::npos) << ready.body;
  EXPECT_EQ(producer.stop(), 0);
}

TEST(KafkaDown, ProduceIs503WithRetryAfter) {
  test_support::ServiceProcess producer(unreachable_kafka());
  auto c = producer.client(std::chrono::seconds{30});
  for (const auto* path : {"/message/t", "/producer/t", "/topics/t/messages"}) {
    const auto started = std::chrono::steady_clock::now();
    const auto res = c.post(path, "x");
    EXPECT_EQ(res.status, 503U) << path << ": " << res.body;
    EXPECT_FALSE(res.header("Retry-After").empty()) << path;
    EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds{5}) << path;
  }
  EXPECT_EQ(producer.stop(), 0);
}

TEST(KafkaDown, AdminRequestsFailFastWith503Or504) {
  test_support::ServiceProcess producer(unreachable_kafka());
  auto c = producer.client(std::chrono::seconds{30});
  for (const auto* path : {"/topic/t", "/topics/t"}) {
    const auto res = c.post(path, "");
    EXPECT_TRUE(res.status == 503U || res.status == 504U) << path << ": " << res.status << " " << res.body;
  }
  const auto list = c.get("/topics");
  EXPECT_TRUE(list.status == 503U || list.status == 504U) << list.status << " " << list.body;
  const auto deleted = c.request("DELETE", "/topics/t");
  EXPECT_TRUE(deleted.status == 503U || deleted.status == 504U) << deleted.status << " " << deleted.body;
  EXPECT_EQ(producer.stop(), 0);
}

}  // namespace
}  // namespace kok::producer::e2e
