// GET /healthz, /readyz, /metrics, /openapi.yaml, and process behaviour (request ids, SIGTERM).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <thread>

#include "producer_fixture.hpp"

namespace kok::producer::e2e {
namespace {

TEST(Operations, HealthAndReadiness) {
  auto c = client();
  EXPECT_EQ(c.get("/healthz").status, 200U);
  EXPECT_EQ(c.get("/readyz").status, 200U);
}

TEST(Operations, MetricsCountRequestsByRouteAndStatus) {
  const auto topic = test_support::unique_topic("ops-metrics");
  create_topic(topic);
  auto c = client();
  ASSERT_EQ(c.post("/message/" + topic, "m").status, 200U);
  ASSERT_EQ(c.post("/message/" + test_support::unique_topic("ops-none"), "m").status, 404U);
  const auto res = c.get("/metrics");
  ASSERT_EQ(res.status, 200U);
  EXPECT_EQ(res.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  for (const auto* line : {"http_requests_total{route=\"seed_create_topic\",status=\"200\"}",
                           "http_requests_total{route=\"seed_message\",status=\"200\"}",
                           "http_requests_total{route=\"seed_message\",status=\"404\"}",
                           "http_request_duration_seconds_bucket{route=\"seed_message\",le=\"+Inf\"}",
                           "kafka_produced_messages_total{outcome=\"acknowledged\"}", "http_open_connections",
                           "http_requests_in_flight"}) {
    EXPECT_NE(res.body.find(line), std::string::npos) << line;
  }
}

TEST(Operations, ServesTheOpenApiSpec) {
  auto c = client();
  const auto res = c.get("/openapi.yaml");
  ASSERT_EQ(res.status, 200U);
  EXPECT_EQ(res.header("Content-Type"), "application/yaml");
  std::ifstream in(KOK_OPENAPI_FILE, std::ios::binary);
  std::stringstream spec;
  spec << in.rdbuf();
  EXPECT_EQ(res.body, spec.str());
}

TEST(Operations, RequestIdIsEchoedAndLogged) {
  auto c = client();
  const auto res = c.get("/topics", {{"X-Request-Id", "ops-trace-42"}});
  EXPECT_EQ(res.header("X-Request-Id"), "ops-trace-42");
  // The access line is written right after the response: give it a moment.
  bool logged = false;
  for (int i = 0; i < 50 && !logged; ++i) {
    logged = service().log().find("[ops-trace-42]") != std::string::npos;
    if (!logged) std::this_thread::sleep_for(std::chrono::milliseconds{20});
  }
  EXPECT_TRUE(logged);
}

TEST(Operations, UnknownPathIs404) {
  auto c = client();
  EXPECT_EQ(c.get("/consumer/x").status, 404U);
  EXPECT_EQ(c.get("/nothing/here/at/all").status, 404U);
}

TEST(Operations, SigtermDrainsAnInFlightProduceAndExitsZero) {
  // A private instance: this test stops it.
  test_support::ServiceOptions options;
  options.binary = KOK_PRODUCER_BINARY;
  options.env = {{"KAFKA_BOOTSTRAP_SERVERS", test_support::kafka_bootstrap_servers()}};
  test_support::ServiceProcess own(options);
  const auto topic = test_support::unique_topic("ops-sigterm");
  auto c = own.client();
  ASSERT_EQ(c.post("/topic/" + topic, "").status, 200U);
  ASSERT_EQ(c.post("/message/" + topic, "before").status, 200U);
  EXPECT_EQ(own.stop(), 0) << own.log();
  EXPECT_NE(own.log().find("producer stopped"), std::string::npos);
}

TEST(Operations, HelpExitsZero) {
  const std::string cmd = std::string(KOK_PRODUCER_BINARY) + " --help > /dev/null";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  const std::string bad = std::string(KOK_PRODUCER_BINARY) + " --port nope > /dev/null 2>&1";
  EXPECT_NE(std::system(bad.c_str()), 0);
}

}  // namespace
}  // namespace kok::producer::e2e
