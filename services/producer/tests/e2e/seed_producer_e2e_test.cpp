// POST /producer/{t} — the seed's later name for POST /message/{t}.
#include <gtest/gtest.h>

#include "producer_fixture.hpp"

namespace kok::producer::e2e {
namespace {

TEST(SeedProducer, AcknowledgedMessageIsInKafka) {
  const auto topic = test_support::unique_topic("seed-producer");
  create_topic(topic);
  auto c = client();
  const auto res = c.post("/producer/" + topic, "hola", {{"X-Kafka-Key", "k1"}});
  ASSERT_EQ(res.status, 200U) << res.body;
  EXPECT_EQ(res.body, "Message sent to " + topic + ": partition 0 offset 0");
  const auto messages = read_back(topic, 1);
  ASSERT_EQ(messages.size(), 1U);
  EXPECT_EQ(messages[0].key, "k1");
  EXPECT_EQ(messages[0].value, "hola");
}

TEST(SeedProducer, BadInput) {
  auto c = client();
  EXPECT_EQ(c.post("/producer/" + test_support::unique_topic("nope"), "x").status, 404U);
  EXPECT_EQ(c.post("/producer/bad%3Aname", "x").status, 400U);
  EXPECT_EQ(c.request("PUT", "/producer/t", "x").status, 405U);
}

}  // namespace
}  // namespace kok::producer::e2e
