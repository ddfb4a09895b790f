// POST /topics/{t} with JSON options.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "producer_fixture.hpp"

namespace kok::producer::e2e {
namespace {

const test_support::Headers json_type{{"Content-Type", "application/json"}};

TEST(CreateTopic, WithOptionsIs201AndDescribed) {
  const auto topic = test_support::unique_topic("create");
  auto c = client();
  const auto res = c.post("/topics/" + topic,
                          R"({"partitions": 3, "replication_factor": 3, "configs": {"retention.ms": "3600000"}})",
                          json_type);
  ASSERT_EQ(res.status, 201U) << res.body;
  const auto j = nlohmann::json::parse(res.body);
  EXPECT_EQ(j["name"], topic);
  EXPECT_EQ(j["partitions"].size(), 3U);
  const auto d = describe_in_kafka(topic);
  EXPECT_EQ(d.partitions.size(), 3U);
  for (const auto& p : d.partitions) EXPECT_EQ(p.replicas.size(), 3U);
  bool retention_set = false;
  for (const auto& cfg : d.configs) retention_set |= cfg.name == "retention.ms" && cfg.value == "3600000";
  EXPECT_TRUE(retention_set);
}

TEST(CreateTopic, EmptyBodyMeansOnePartitionThreeReplicas) {
  const auto topic = test_support::unique_topic("create-default");
  auto c = client();
  ASSERT_EQ(c.post("/topics/" + topic, "").status, 201U);
  const auto d = describe_in_kafka(topic);
  ASSERT_EQ(d.partitions.size(), 1U);
  EXPECT_EQ(d.partitions[0].replicas.size(), 3U);
}

TEST(CreateTopic, ExistingTopicIs409) {
  const auto topic = test_support::unique_topic("create-twice");
  auto c = client();
  ASSERT_EQ(c.post("/topics/" + topic, "{}", json_type).status, 201U);
  const auto again = c.post("/topics/" + topic, "{}", json_type);
  EXPECT_EQ(again.status, 409U);
  EXPECT_EQ(again.body, "topic already exists\n");
}

TEST(CreateTopic, BadInput) {
  auto c = client();
  const auto topic = test_support::unique_topic("create-bad");
  EXPECT_EQ(c.post("/topics/" + topic, "{not json", json_type).status, 400U);
  EXPECT_EQ(c.post("/topics/" + topic, R"({"partitions": 0})", json_type).status, 400U);
  EXPECT_EQ(c.post("/topics/" + topic, R"({"partitions": 1}")", {{"Content-Type", "text/plain"}}).status, 415U);
  // More replicas than brokers: Kafka refuses, with its reason passed on.
  const auto rf = c.post("/topics/" + topic, R"({"replication_factor": 5})", json_type);
  EXPECT_EQ(rf.status, 400U);
  EXPECT_NE(rf.body.find("eplication"), std::string::npos) << rf.body;
  const auto bad_config = c.post("/topics/" + topic, R"({"configs": {"no.such.config": "1"}})", json_type);
  EXPECT_EQ(bad_config.status, 400U) << bad_config.body;
  EXPECT_EQ(c.post("/topics/a%20b", "{}", json_type).status, 400U);
  // None of that created the topic.
  EXPECT_EQ(c.get("/topics/" + topic).status, 404U);
}

}  // namespace
}  // namespace kok::producer::e2e
