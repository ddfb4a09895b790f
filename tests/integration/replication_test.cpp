// A topic created with RF 3 lives on all three brokers, all in sync; the cluster's own defaults match docs/architecture.md
// "Kafka settings".
#include "cluster_client.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace kok::cluster_test {
namespace {

TEST(Replication, TopicWithReplicationFactorThreeHasThreeInSyncReplicas) {
  Handle admin = make_client(RD_KAFKA_PRODUCER);
  ASSERT_EQ(broker_count(admin.get()), 3);
  const std::string topic = unique_topic("replicated");
  ASSERT_EQ(create_topic(admin.get(), topic, 1, 3), RD_KAFKA_RESP_ERR_NO_ERROR);

  TopicInfo info;
  ASSERT_TRUE(eventually([&] {
    info = describe(admin.get(), topic);
    return info.err == RD_KAFKA_RESP_ERR_NO_ERROR && info.partitions.size() == 1 &&
           info.partitions[0].isr.size() == 3;
  }, std::chrono::seconds(20)));
  auto replicas = info.partitions[0].replicas;
  std::sort(replicas.begin(), replicas.end());
  EXPECT_EQ(replicas, (std::vector<int32_t>{0, 1, 2}));
  EXPECT_NE(std::find(replicas.begin(), replicas.end(), info.partitions[0].leader), replicas.end());
}

TEST(Replication, CreatingAnExistingTopicIsRejected) {
  Handle admin = make_client(RD_KAFKA_PRODUCER);
  const std::string topic = unique_topic("twice");
  ASSERT_EQ(create_topic(admin.get(), topic, 1, 3), RD_KAFKA_RESP_ERR_NO_ERROR);
  EXPECT_EQ(create_topic(admin.get(), topic, 1, 3), RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS);
}

TEST(Replication, ProducingToAMissingTopicDoesNotCreateIt) {
  // auto.create.topics.enable=false: a typo must never become a topic.
  Handle producer = make_client(RD_KAFKA_PRODUCER, {{"message.timeout.ms", "3000"}});
  const std::string topic = unique_topic("never-created");
  const Delivery d = produce_sync(producer.get(), topic, "k", "v");
  EXPECT_NE(d.err, RD_KAFKA_RESP_ERR_NO_ERROR);
  EXPECT_NE(describe(producer.get(), topic).err, RD_KAFKA_RESP_ERR_NO_ERROR);
}

}  // namespace
}  // namespace kok::cluster_test
