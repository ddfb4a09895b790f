// POST /topic/{t} — the seed's topic creation: 1 partition, replication factor 3, idempotent.
#include <gtest/gtest.h>

#include "producer_fixture.hpp"

namespace kok::producer::e2e {
namespace {

TEST(SeedCreateTopic, CreatesOnePartitionThreeReplicasAllInSync) {
  const auto topic = test_support::unique_topic("seed-create");
  create_topic(topic);
  const auto d = describe_in_kafka(topic);
  ASSERT_EQ(d.partitions.size(), 1U);
  EXPECT_EQ(d.partitions[0].replicas.size(), 3U);
  EXPECT_EQ(d.partitions[0].isr.size(), 3U);
  EXPECT_GE(d.partitions[0].leader, 0);
}

TEST(SeedCreateTopic, ExistingTopicIsStill200) {
  const auto topic = test_support::unique_topic("seed-again");
  create_topic(topic);
  auto c = client();
  const auto again = c.post("/topic/" + topic, "");
  EXPECT_EQ(again.status, 200U);
  EXPECT_EQ(again.body, "Topic " + topic + " already exists");
}

TEST(SeedCreateTopic, IllegalNamesAre400WithReason) {
  auto c = client();
  for (const std::string bad : {"bad%20name", "bad%2Fname", "%2E", "..", "%C3%B1"}) {
    const auto res = c.post("/topic/" + bad, "");
    EXPECT_EQ(res.status, 400U) << bad;
    EXPECT_FALSE(res.body.empty());
  }
  EXPECT_EQ(c.post("/topic/" + std::string(250, 'x'), "").status, 400U);
  EXPECT_EQ(c.post("/topic/" + std::string(249, 'y') , "").status, 200U);
}

TEST(SeedCreateTopic, WrongMethodIs405WithAllow) {
  auto c = client();
  const auto res = c.get("/topic/whatever");
  EXPECT_EQ(res.status, 405U);
  EXPECT_EQ(res.header("Allow"), "POST");
}

}  // namespace
}  // namespace kok::producer::e2e
