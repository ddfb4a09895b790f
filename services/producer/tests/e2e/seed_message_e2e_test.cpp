// POST /message/{t} — the seed's produce: 200 only after acks=all, keyed by the sender.
#include <gtest/gtest.h>

#include "producer_fixture.hpp"

namespace kok::producer::e2e {
namespace {

TEST(SeedMessage, AcknowledgedMessageIsInKafkaWithSenderKey) {
  const auto topic = test_support::unique_topic("seed-msg");
  create_topic(topic);
  auto c = client();
  const auto res = c.post("/message/" + topic, "Primer mensaje enviado");
  ASSERT_EQ(res.status, 200U) << res.body;
  EXPECT_EQ(res.body, "Message sent to " + topic + ": partition 0 offset 0");
  const auto messages = read_back(topic, 1);
  ASSERT_EQ(messages.size(), 1U);
  EXPECT_EQ(messages[0].value, "Primer mensaje enviado");
  ASSERT_TRUE(messages[0].key.has_value());
  // The key names this client's address and port as the server saw them.
  EXPECT_TRUE(messages[0].key->starts_with("address-127.0.0.1:")) << *messages[0].key;
  EXPECT_NE(*messages[0].key, "address-127.0.0.1:" + std::to_string(service().port()));
}

TEST(SeedMessage, KeyFromQueryHeaderOrForwardedFor) {
  const auto topic = test_support::unique_topic("seed-keys");
  create_topic(topic);
  auto c = client();
  ASSERT_EQ(c.post("/message/" + topic + "?key=q%20key", "1", {{"X-Kafka-Key", "ignored"}}).status, 200U);
  ASSERT_EQ(c.post("/message/" + topic, "2", {{"X-Kafka-Key", "h-key"}}).status, 200U);
  ASSERT_EQ(c.post("/message/" + topic, "3", {{"X-Forwarded-For", "203.0.113.9, 10.0.0.2"}}).status, 200U);
  const auto messages = read_back(topic, 3);
  ASSERT_EQ(messages.size(), 3U);
  EXPECT_EQ(messages[0].key, "q key");
  EXPECT_EQ(messages[1].key, "h-key");
  EXPECT_EQ(messages[2].key, "address-203.0.113.9");
}

TEST(SeedMessage, OffsetsGrowAndBinaryBodiesSurvive) {
  const auto topic = test_support::unique_topic("seed-bin");
  create_topic(topic);
  auto c = client();
  std::string binary;
  for (int i = 0; i < 256; ++i) binary.push_back(static_cast<char>(i));
  EXPECT_EQ(c.post("/message/" + topic, binary).body, "Message sent to " + topic + ": partition 0 offset 0");
  EXPECT_EQ(c.post("/message/" + topic, "").body, "Message sent to " + topic + ": partition 0 offset 1");
  const auto messages = read_back(topic, 2);
  ASSERT_EQ(messages.size(), 2U);
  EXPECT_EQ(messages[0].value, binary);
  EXPECT_EQ(messages[1].value, "");
}

TEST(SeedMessage, MissingTopicIs404QuicklyAndNotCreated) {
  const auto topic = test_support::unique_topic("seed-missing");
  auto c = client();
  const auto started = std::chrono::steady_clock::now();
  const auto res = c.post("/message/" + topic, "x");
  EXPECT_EQ(res.status, 404U);
  EXPECT_EQ(res.body, "topic does not exist\n");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds{3});
  kafka::Admin admin(kafka::admin_config(test_support::kafka_bootstrap_servers()));
  EXPECT_FALSE(admin.describe_topic(topic).ok()) << "the topic was auto-created";
}

TEST(SeedMessage, IllegalTopicNameIs400) {
  auto c = client();
  EXPECT_EQ(c.post("/message/a%20b", "x").status, 400U);
  EXPECT_EQ(c.post("/message/..", "x").status, 400U);
}

TEST(SeedMessage, BodyOverOneMebibyteIs413AndNothingIsWritten) {
  const auto topic = test_support::unique_topic("seed-big");
  create_topic(topic);
  auto c = client();
  const auto res = c.post("/message/" + topic, std::string(1024 * 1024 + 1, 'b'));
  EXPECT_EQ(res.status, 413U);
  // Exactly the limit is accepted: the brokers' message.max.bytes (1049600) leaves room for the key and record overhead.
  auto c2 = client();
  const auto ok = c2.post("/message/" + topic, std::string(1024 * 1024, 'a'));
  EXPECT_EQ(ok.status, 200U) << ok.body;
  const auto messages = read_back(topic, 1);
  ASSERT_EQ(messages.size(), 1U);
  EXPECT_EQ(messages[0].value.size(), 1024U * 1024U);
}

TEST(SeedMessage, WrongMethodIs405) {
  auto c = client();
  const auto res = c.get("/message/anything");
  EXPECT_EQ(res.status, 405U);
  EXPECT_EQ(res.header("Allow"), "POST");
}

}  // namespace
}  // namespace kok::producer::e2e
