#include "kok/kafka/config.hpp"

#include <gtest/gtest.h>

namespace kok::kafka {
namespace {

TEST(ProducerConfig, HasRequiredDefaults) {
  const auto m = producer_config("127.0.0.1:9092");
  EXPECT_EQ(m.at("bootstrap.servers"), "127.0.0.1:9092");
  EXPECT_EQ(m.at("enable.idempotence"), "true");
  EXPECT_EQ(m.at("acks"), "all");
  EXPECT_EQ(m.at("allow.auto.create.topics"), "false");
  EXPECT_LE(std::stoi(m.at("linger.ms")), 10);
  EXPECT_NO_THROW(validate_config(m));
}

TEST(ProducerConfig, OverridesApply) {
  const auto m = producer_config("b:1", {{"linger.ms", "0"}, {"client.id", "svc"}});
  EXPECT_EQ(m.at("linger.ms"), "0");
  EXPECT_EQ(m.at("client.id"), "svc");
}

TEST(ProducerConfig, RefusesToWeakenDurability) {
  try {
    (void)producer_config("b:1", {{"acks", "1"}});
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "acks");
  }
  EXPECT_THROW((void)producer_config("b:1", {{"enable.idempotence", "false"}}), ConfigError);
  EXPECT_NO_THROW((void)producer_config("b:1", {{"acks", "-1"}}));
}

TEST(ConsumerConfig, HasRequiredDefaults) {
  const auto m = consumer_config("127.0.0.1:9092", "group-a");
  EXPECT_EQ(m.at("group.id"), "group-a");
  EXPECT_EQ(m.at("enable.auto.commit"), "false");
  EXPECT_EQ(m.at("enable.auto.offset.store"), "false");
  EXPECT_EQ(m.at("auto.offset.reset"), "earliest");
  EXPECT_NO_THROW(validate_config(m));
}

TEST(ConsumerConfig, RefusesAutoCommit) {
  try {
    (void)consumer_config("b:1", "g", {{"enable.auto.commit", "true"}});
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "enable.auto.commit");
  }
}

TEST(ValidateConfig, NamesTheUnknownKey) {
  auto m = admin_config("b:1");
  m["no.such.setting"] = "1";
  try {
    validate_config(m);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "no.such.setting");
    EXPECT_NE(std::string{e.what()}.find("no.such.setting"), std::string::npos);
  }
}

TEST(ValidateConfig, NamesTheBadValue) {
  auto m = admin_config("b:1", {{"socket.timeout.ms", "not-a-number"}});
  try {
    validate_config(m);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.key(), "socket.timeout.ms");
  }
}

}  // namespace
}  // namespace kok::kafka
