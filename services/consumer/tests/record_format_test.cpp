#include "record_format.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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

// What the record used to be built with, and what any JSON library would produce: the renderer must match it byte
// for byte (same keys, same order, same escapes, invalid UTF-8 replaced the same way).
std::string reference_json(const kafka::Message& m) {
  nlohmann::json headers = nlohmann::json::object();
  for (const auto& h : m.headers) headers[h.key] = h.value ? nlohmann::json(*h.value) : nlohmann::json(nullptr);
  const nlohmann::json j = {
      {"topic", m.topic},
      {"partition", m.partition},
      {"offset", m.offset},
      {"key", m.key ? nlohmann::json(*m.key) : nlohmann::json(nullptr)},
      {"value", m.value},
      {"timestamp", m.timestamp_ms},
      {"headers", std::move(headers)},
  };
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

TEST(RecordFormat, JsonRecord) {
  const auto j = nlohmann::json::parse(record_json(sample()));
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
  EXPECT_TRUE(nlohmann::json::parse(record_json(m)).at("key").is_null());
}

TEST(RecordFormat, AppendsToWhatIsThere) {
  std::string out = "[";
  append_json(out, sample());
  EXPECT_EQ(out, "[" + record_json(sample()));
}

TEST(RecordFormat, BinaryValuesDoNotBreakJson) {
  auto m = sample();
  m.value = std::string("\xff\xfe ok", 5);
  const auto text = record_json(m);
  EXPECT_NE(text.find("ok"), std::string::npos);
  EXPECT_TRUE(nlohmann::json::accept(text));
}

TEST(RecordFormat, SameBytesAsNlohmannForEveryKindOfString) {
  const std::vector<std::string> strings = {
      "", "plain", "with \"quotes\"", "back\\slash", "tab\tnew\nline\r", std::string("nul\0byte", 8), "\x7f del",
      "\x01\x1f controls", "caf\xc3\xa9 UTF-8", "\xe2\x82\xac euro", "\xf0\x9f\x98\x80 emoji", "\xff\xfe invalid",
      "\xc3 truncated", "</script>", std::string(300, 'x')};
  for (const auto& s : strings) {
    auto m = sample();
    m.value = s;
    m.key = s;
    m.topic = "t";
    m.headers = {{s, s}, {"dup", "first"}, {"dup", "last"}, {"null", std::nullopt}};
    EXPECT_EQ(record_json(m), reference_json(m)) << "string: " << nlohmann::json(s).dump(-1, ' ', true,
                                                                                       nlohmann::json::error_handler_t::replace);
    m.headers.clear();
    m.key.reset();
    m.offset = -1;
    m.timestamp_ms = std::numeric_limits<std::int64_t>::max();
    EXPECT_EQ(record_json(m), reference_json(m));
  }
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
