// /healthz, /readyz, /metrics, /openapi.yaml, --help, graceful shutdown.

#include <cstdio>
#include <memory>
#include <thread>

#include "consumer_e2e.hpp"

namespace kok::consumer::e2e {
namespace {

class Operations : public ConsumerE2E {};

TEST_F(Operations, HealthReadinessSpecAndMetrics) {
  const auto topic = make_topic("ops");
  produce(topic, "x");
  auto service = start_service();
  auto http = service->client();
  EXPECT_EQ(http.get("/healthz").status, 200U);
  EXPECT_EQ(http.get("/readyz").status, 200U);
  const auto spec = http.get("/openapi.yaml");
  EXPECT_EQ(spec.status, 200U);
  EXPECT_NE(spec.body.find("openapi:"), std::string::npos);
  ASSERT_EQ(http.get("/" + topic).status, 200U);
  const auto metrics = http.get("/metrics");
  ASSERT_EQ(metrics.status, 200U);
  EXPECT_NE(metrics.body.find("kok_consumer_messages_delivered_total{topic=\"" + topic + "\"} 1"), std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("kok_consumer_redeliveries_total"), std::string::npos);
  EXPECT_NE(metrics.body.find("kok_consumer_open_topics 1"), std::string::npos) << metrics.body;
  EXPECT_EQ(http.get("/consumer").status, 404U);
}

TEST_F(Operations, LagPerTopic) {
  const auto topic = make_topic("lag");
  for (int i = 0; i < 3; ++i) produce(topic, "x");
  auto service = start_service({{"CONSUMER_IDLE_TIMEOUT", "4s"}});  // sweeper (and lag refresh) every second
  auto http = service->client();
  ASSERT_EQ(http.get("/" + topic).status, 200U);
  std::this_thread::sleep_for(std::chrono::milliseconds{2200});
  const auto metrics = http.get("/metrics").body;
  EXPECT_NE(metrics.find("kok_consumer_lag_messages{topic=\"" + topic + "\"} 2"), std::string::npos) << metrics;
}

TEST_F(Operations, SigtermStopsCleanly) {
  const auto topic = make_topic("term");
  produce(topic, "x");
  auto service = start_service();
  EXPECT_EQ(service->client().get("/" + topic).status, 200U);
  EXPECT_EQ(service->stop(), 0) << service->log();
}

TEST(ConsumerHelp, ListsTheSettings) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe{::popen(KOK_CONSUMER_BINARY " --help", "r"), ::pclose};
  ASSERT_TRUE(pipe);
  std::string out;
  char buffer[4096];
  while (const auto n = std::fread(buffer, 1, sizeof buffer, pipe.get())) out.append(buffer, n);
  EXPECT_EQ(::pclose(pipe.release()), 0);
  for (const char* setting : {"CONSUMER_GROUP", "KAFKA_BOOTSTRAP_SERVERS", "HTTP_PORT", "CONSUMER_NEXT_WAIT",
                              "CONSUMER_MAX_TOPICS", "CONSUMER_IDLE_TIMEOUT"}) {
    EXPECT_NE(out.find(setting), std::string::npos) << setting << "\n" << out;
  }
}

}  // namespace
}  // namespace kok::consumer::e2e
