// Through the local gateway, as a user of `./deploy.sh --local` would: the seed's walkthrough and every operation of
// docs/openapi.yaml reaching the service that owns it. Which service answered is told by behaviour only the owner has.
#include <gtest/gtest.h>

#include <cstdlib>
#include <regex>
#include <string>

#include "gateway.hpp"
#include "kok/test_support/http_client.hpp"
#include "kok/test_support/kafka_env.hpp"

namespace {

using kok::test_support::HttpClient;
using kok::test_support::unique_topic;

HttpClient gateway() { return HttpClient("127.0.0.1", gateway_port(), std::chrono::seconds(15)); }

TEST(Gateway, SeedWalkthroughFirstReadReturnsTheFirstMessage) {
  HttpClient http = gateway();
  const std::string topic = unique_topic("primertopico");

  ASSERT_EQ(http.post("/topic/" + topic, "").status, 200u);
  const auto sent = http.post("/message/" + topic, "Primer mensaje enviado");
  ASSERT_EQ(sent.status, 200u) << sent.body;

  // The original answered the first read of every topic with 404; this one must return the message.
  const auto first = http.get("/" + topic);
  ASSERT_EQ(first.status, 200u) << first.body;
  // Behind the gateway the key names the original client (from X-Forwarded-For), not the proxy.
  EXPECT_TRUE(std::regex_match(first.body, std::regex(R"(offset: 0 key: address-127\.0\.0\.1(:\d+)? value: Primer mensaje enviado)")))
      << first.body;

  for (int i = 1; i <= 3; ++i) ASSERT_EQ(http.post("/message/" + topic, "mensaje " + std::to_string(i)).status, 200u);
  for (int i = 1; i <= 3; ++i) {
    const auto next = http.get("/" + topic);
    ASSERT_EQ(next.status, 200u) << next.body;
    EXPECT_EQ(next.body.rfind("offset: " + std::to_string(i) + " key: ", 0), 0u) << next.body;
    EXPECT_NE(next.body.find("value: mensaje " + std::to_string(i)), std::string::npos) << next.body;
  }
  EXPECT_EQ(http.get("/" + topic).status, 404u);  // drained
}

TEST(Gateway, MissingTopicIsNotCreatedByReadsOrWrites) {
  HttpClient http = gateway();
  const std::string topic = unique_topic("missing");
  const auto read = http.get("/" + topic);
  EXPECT_EQ(read.status, 404u);
  EXPECT_NE(read.body.find("topic does not exist"), std::string::npos) << read.body;
  const auto write = http.post("/message/" + topic, "x");
  EXPECT_EQ(write.status, 404u);
  EXPECT_NE(write.body.find("topic does not exist"), std::string::npos) << write.body;
  EXPECT_EQ(http.get("/topics/" + topic).status, 404u);
}

TEST(Gateway, ProducerRoutesReachTheProducer) {
  HttpClient http = gateway();
  const std::string topic = unique_topic("routes");
  // The consumer has no POST routes: a 200/201 here can only come from the producer.
  ASSERT_EQ(http.post("/topic/" + topic, "").status, 200u);
  EXPECT_EQ(http.post("/message/" + topic, "a").status, 200u);
  EXPECT_EQ(http.post("/producer/" + topic, "b").status, 200u);
  const auto batch = http.post("/topics/" + topic + "/messages", R"({"records":[{"key":"k","value":"c"}]})",
                               {{"Content-Type", "application/json"}});
  EXPECT_EQ(batch.status, 200u) << batch.body;
  EXPECT_NE(batch.body.find("\"offset\""), std::string::npos) << batch.body;
  const auto created = http.post("/topics/" + unique_topic("routes-json"), R"({"partitions":1})",
                                 {{"Content-Type", "application/json"}});
  EXPECT_EQ(created.status, 201u) << created.body;
  // GET /topics would be a read of topic "topics" on the consumer; the producer answers with the list.
  const auto list = http.get("/topics");
  EXPECT_EQ(list.status, 200u) << list.body;
  EXPECT_NE(list.body.find(topic), std::string::npos);
  const auto described = http.get("/topics/" + topic);
  EXPECT_EQ(described.status, 200u) << described.body;
  EXPECT_NE(described.body.find("\"isr\""), std::string::npos) << described.body;
}

TEST(Gateway, ConsumerRoutesReachTheConsumer) {
  HttpClient http = gateway();
  const std::string topic = unique_topic("consumer-routes");
  ASSERT_EQ(http.post("/topic/" + topic, "").status, 200u);
  ASSERT_EQ(http.post("/message/" + topic, "one").status, 200u);
  ASSERT_EQ(http.post("/message/" + topic, "two").status, 200u);

  const auto text = http.get("/consumer/" + topic);
  ASSERT_EQ(text.status, 200u) << text.body;
  EXPECT_EQ(text.body.rfind("offset: 0 key: ", 0), 0u) << text.body;

  const auto json = http.get("/consumer/" + topic + "?wait=2s&max=5", {{"Accept", "application/json"}});
  ASSERT_EQ(json.status, 200u) << json.body;
  EXPECT_NE(json.body.find("\"value\":\"two\""), std::string::npos) << json.body;

  // A name that merely starts like a producer prefix is a topic read on the consumer, not a producer route.
  const auto lookalike = http.get("/" + unique_topic("topicx"));
  EXPECT_EQ(lookalike.status, 404u);
  EXPECT_NE(lookalike.body.find("topic does not exist"), std::string::npos) << lookalike.body;

  EXPECT_EQ(http.get("/healthz").status, 200u);
  const auto spec = http.get("/openapi.yaml");
  EXPECT_EQ(spec.status, 200u);
  EXPECT_NE(spec.body.find("openapi:"), std::string::npos);
}

TEST(Gateway, OversizedBodyGetsTheServicesReason) {
  HttpClient http = gateway();
  const std::string topic = unique_topic("big");
  ASSERT_EQ(http.post("/topic/" + topic, "").status, 200u);
  const auto res = http.post("/message/" + topic, std::string(2 * 1024 * 1024, 'x'));
  EXPECT_EQ(res.status, 413u);
  EXPECT_FALSE(res.body.empty());
}

}  // namespace
