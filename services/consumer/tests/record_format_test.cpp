#include "record_format.hpp"

#include <gtest/gtest.h>

namespace kok::consumer {
namespace {

kafka::Message sample() {
  kafka::Message m;
  m.topic = "orders";
  m.partition = 2;
  m.offset = 41;
  m.key = "address-10.0.0.1:53412";
  m.value = "Primer mensaje enviado";
  m.timestamp_ms = 1700000000000;
  m.headers = {{"trace", "abc"}, {"empty", std::nullopt}};
  return m;
}

TEST(RecordFormat, SeedText) {
  EXPECT_EQ(format_text(sample()), "offset: 41 key: address-10.0.0.1:53412 value: Primer mensaje enviado");
  auto m = sample();
  m.key.reset();
  m.value.clear();
  EXPECT_EQ(format_text(m), "offset: 41 key:  value: ");
}

TEST(RecordFormat, JsonRecord) {
  const auto j = to_json(sample());
  EXPECT_EQ(j.at("topic"), "orders");
  EXPECT_EQ(j.at("partition"), 2);
  EXPECT_EQ(j.at("offset"), 41);
  EXPECT_EQ(j.at("key"), "address-10.0.0.1:53412");
  EXPECT_EQ(j.at("value"), "Primer mensaje enviado");
  EXPECT_EQ(j.at("timestamp"), 1700000000000);
  EXPECT_EQ(j.at("headers").at("trace"), "abc");
  EXPECT_TRUE(j.at("headers").at("empty").is_null());
  auto m = sample();
  m.key.reset();
  EXPECT_TRUE(to_json(m).at("key").is_null());
}

TEST(RecordFormat, BinaryValuesDoNotBreakJson) {
  auto m = sample();
  m.value = std::string("\xff\xfe ok", 5);
  const auto text = dump_json(to_json(m));
  EXPECT_NE(text.find("ok"), std::string::npos);
  EXPECT_TRUE(nlohmann::json::accept(text));
}

TEST(RecordFormat, EventIds) {
  EXPECT_EQ(event_id(sample()), "2:41");
  EXPECT_EQ(parse_event_id("2:41"), (EventPosition{2, 41}));
  EXPECT_EQ(parse_event_id("17"), (EventPosition{0, 17}));
  EXPECT_FALSE(parse_event_id(""));
  EXPECT_FALSE(parse_event_id("a:1"));
  EXPECT_FALSE(parse_event_id("1:"));
  EXPECT_FALSE(parse_event_id("-1:3"));
  EXPECT_FALSE(parse_event_id("1:2:3"));
}

}  // namespace
}  // namespace kok::consumer
