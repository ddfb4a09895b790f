// POST /topics/{t}/messages — one raw message, or a JSON batch of records.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

#include "producer_fixture.hpp"

namespace kok::producer::e2e {
namespace {

TEST(ProduceRecords, RawBodyIsOneMessage) {
  const auto topic = test_support::unique_topic("records-raw");
  create_topic(topic);
  auto c = client();
  const auto res = c.post("/topics/" + topic + "/messages?key=raw-key", "raw value", {{"Content-Type", "text/plain"}});
  ASSERT_EQ(res.status, 200U) << res.body;
  EXPECT_EQ(nlohmann::json::parse(res.body), nlohmann::json::parse(R"({"offsets":[{"partition":0,"offset":0}]})"));
  const auto messages = read_back(topic, 1);
  ASSERT_EQ(messages.size(), 1U);
  EXPECT_EQ(messages[0].key, "raw-key");
  EXPECT_EQ(messages[0].value, "raw value");
}

TEST(ProduceRecords, JsonBatchWithKeysAndHeaders) {
  const auto topic = test_support::unique_topic("records-batch");
  create_topic(topic);
  auto c = client();
  const auto res = c.post("/topics/" + topic + "/messages",
                          R"({"records": [{"key": "a", "value": "one", "headers": {"trace": "t-1"}},
                                          {"value": "two"},
                                          {"key": null, "value": "three"}]})",
                          {{"Content-Type", "application/json"}});
  ASSERT_EQ(res.status, 200U) << res.body;
  const auto offsets = nlohmann::json::parse(res.body)["offsets"];
  ASSERT_EQ(offsets.size(), 3U);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(offsets[static_cast<std::size_t>(i)]["partition"], 0);
    EXPECT_EQ(offsets[static_cast<std::size_t>(i)]["offset"], i);  // in order
  }
  const auto messages = read_back(topic, 3);
  ASSERT_EQ(messages.size(), 3U);
  EXPECT_EQ(messages[0].key, "a");
  EXPECT_EQ(messages[0].value, "one");
  ASSERT_EQ(messages[0].headers.size(), 1U);
  EXPECT_EQ(messages[0].headers[0].key, "trace");
  EXPECT_EQ(messages[0].headers[0].value, "t-1");
  ASSERT_TRUE(messages[1].key.has_value());
  EXPECT_TRUE(messages[1].key->starts_with("address-127.0.0.1:"));
  EXPECT_FALSE(messages[2].key.has_value());
}

TEST(ProduceRecords, BatchOverPartitionsReportsEachPartition) {
  const auto topic = test_support::unique_topic("records-parts");
  auto c = client();
  ASSERT_EQ(c.post("/topics/" + topic, R"({"partitions": 3})", {{"Content-Type", "application/json"}}).status, 201U);
  nlohmann::json batch;
  for (int i = 0; i < 30; ++i) batch["records"].push_back({{"key", "key-" + std::to_string(i)}, {"value", "v"}});
  const auto res = c.post("/topics/" + topic + "/messages", batch.dump(), {{"Content-Type", "application/json"}});
  ASSERT_EQ(res.status, 200U) << res.body;
  const auto offsets = nlohmann::json::parse(res.body)["offsets"];
  ASSERT_EQ(offsets.size(), 30U);
  std::set<int> partitions;
  for (const auto& o : offsets) partitions.insert(o["partition"].get<int>());
  EXPECT_GT(partitions.size(), 1U);
}

TEST(ProduceRecords, BadInput) {
  const auto topic = test_support::unique_topic("records-bad");
  create_topic(topic);
  auto c = client();
  const test_support::Headers json_type{{"Content-Type", "application/json"}};
  EXPECT_EQ(c.post("/topics/" + topic + "/messages", "{", json_type).status, 400U);
  EXPECT_EQ(c.post("/topics/" + topic + "/messages", R"({"records": []})", json_type).status, 400U);
  EXPECT_EQ(c.post("/topics/" + topic + "/messages", R"({"records": [{"value": 1, "x": 2}]})", json_type).status, 400U);
  EXPECT_EQ(c.post("/topics/" + test_support::unique_topic("records-missing") + "/messages", "x").status, 404U);
  EXPECT_EQ(c.post("/topics/bad%20name/messages", "x").status, 400U);
  EXPECT_EQ(c.post("/topics/" + topic + "/messages", std::string(1024 * 1024 + 1, 'x')).status, 413U);
  auto c2 = client();
  EXPECT_EQ(c2.get("/topics/" + topic + "/messages").status, 405U);
  // Nothing of the above reached Kafka.
  EXPECT_TRUE(read_back(topic, 1, std::chrono::seconds{2}).empty());
}

}  // namespace
}  // namespace kok::producer::e2e
