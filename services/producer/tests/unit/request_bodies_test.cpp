#include "handlers/request_bodies.hpp"

#include <gtest/gtest.h>

#include "handlers/topic_json.hpp"
#include "kok/http/error.hpp"

namespace kok::producer {
namespace {

unsigned status_of_options(std::string_view body) {
  try {
    parse_topic_options("t", body);
    return 200;
  } catch (const http::Error& e) {
    return e.code();
  }
}

unsigned status_of_records(std::string_view body) {
  try {
    parse_records(body, "k");
    return 200;
  } catch (const http::Error& e) {
    return e.code();
  }
}

TEST(TopicOptions, EmptyBodyMeansDefaults) {
  const auto t = parse_topic_options("orders", "  \n");
  EXPECT_EQ(t.name, "orders");
  EXPECT_EQ(t.partitions, 1);
  EXPECT_EQ(t.replication_factor, 3);
  EXPECT_TRUE(t.configs.empty());
}

TEST(TopicOptions, AllFields) {
  const auto t = parse_topic_options(
      "orders", R"({"partitions": 6, "replication_factor": 2, "configs": {"retention.ms": 86400000, "cleanup.policy": "compact"}})");
  EXPECT_EQ(t.partitions, 6);
  EXPECT_EQ(t.replication_factor, 2);
  EXPECT_EQ(t.configs.at("retention.ms"), "86400000");
  EXPECT_EQ(t.configs.at("cleanup.policy"), "compact");
}

TEST(TopicOptions, BadInputIs400) {
  EXPECT_EQ(status_of_options("{"), 400U);
  EXPECT_EQ(status_of_options("[]"), 400U);
  EXPECT_EQ(status_of_options(R"({"partitions": 0})"), 400U);
  EXPECT_EQ(status_of_options(R"({"partitions": "3"})"), 400U);
  EXPECT_EQ(status_of_options(R"({"partitions": 1.5})"), 400U);
  EXPECT_EQ(status_of_options(R"({"replication_factor": -1})"), 400U);
  EXPECT_EQ(status_of_options(R"({"configs": []})"), 400U);
  EXPECT_EQ(status_of_options(R"({"configs": {"a": {}}})"), 400U);
  EXPECT_EQ(status_of_options(R"({"partiions": 3})"), 400U);
}

TEST(Records, KeysValuesAndHeaders) {
  const auto records = parse_records(
      R"({"records": [{"value": "v1"}, {"key": "k2", "value": "v2", "headers": {"h": "x", "n": null}}, {"key": null, "value": {"a": 1}}]})",
      "address-1.2.3.4:5");
  ASSERT_EQ(records.size(), 3U);
  EXPECT_EQ(records[0].key, "address-1.2.3.4:5");
  EXPECT_EQ(records[0].value, "v1");
  EXPECT_EQ(records[1].key, "k2");
  ASSERT_EQ(records[1].headers.size(), 2U);
  EXPECT_EQ(records[1].headers[0].key, "h");
  EXPECT_EQ(records[1].headers[0].value, "x");
  EXPECT_FALSE(records[1].headers[1].value.has_value());
  EXPECT_FALSE(records[2].key.has_value());
  EXPECT_EQ(records[2].value, R"({"a":1})");
}

TEST(Records, BadInputIs400) {
  EXPECT_EQ(status_of_records("not json"), 400U);
  EXPECT_EQ(status_of_records("{}"), 400U);
  EXPECT_EQ(status_of_records(R"({"records": []})"), 400U);
  EXPECT_EQ(status_of_records(R"({"records": {}})"), 400U);
  EXPECT_EQ(status_of_records(R"({"records": [1]})"), 400U);
  EXPECT_EQ(status_of_records(R"({"records": [{"value": "x", "extra": 1}]})"), 400U);
  EXPECT_EQ(status_of_records(R"({"records": [{"headers": []}]})"), 400U);
}

TEST(TopicJson, ShapeMatchesTheSpec) {
  kafka::TopicDescription d;
  d.name = "t";
  d.partitions.push_back({0, 1, {1, 2, 0}, {1, 2}});
  d.configs.push_back({"retention.ms", "1000", false, false, false});
  d.configs.push_back({"secret", std::nullopt, false, false, true});
  const auto j = topic_json(d);
  EXPECT_EQ(j["name"], "t");
  EXPECT_EQ(j["partitions"][0]["partition"], 0);
  EXPECT_EQ(j["partitions"][0]["leader"], 1);
  EXPECT_EQ(j["partitions"][0]["replicas"].size(), 3U);
  EXPECT_EQ(j["partitions"][0]["isr"].size(), 2U);
  EXPECT_EQ(j["configs"]["retention.ms"], "1000");
  EXPECT_FALSE(j["configs"].contains("secret"));
}

}  // namespace
}  // namespace kok::producer
