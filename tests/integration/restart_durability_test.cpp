// Data lives in the nodes' data directories, not in the processes: a full stop and start keeps topics, messages and
// committed consumer positions. Runs serially: the whole cluster goes away for a while.
#include "cluster_client.hpp"

#include <gtest/gtest.h>

namespace kok::cluster_test {
namespace {

int64_t committed_offset(const std::string& group, const std::string& topic) {
  Handle consumer = make_client(RD_KAFKA_CONSUMER, {{"group.id", group}, {"enable.auto.commit", "false"}});
  rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(parts, topic.c_str(), 0);
  int64_t offset = -1;
  if (rd_kafka_committed(consumer.get(), parts, 15000) == RD_KAFKA_RESP_ERR_NO_ERROR) offset = parts->elems[0].offset;
  rd_kafka_topic_partition_list_destroy(parts);
  rd_kafka_consumer_close(consumer.get());
  return offset;
}

void commit_offset(const std::string& group, const std::string& topic, int64_t offset) {
  Handle consumer = make_client(RD_KAFKA_CONSUMER, {{"group.id", group}, {"enable.auto.commit", "false"}});
  rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(parts, topic.c_str(), 0)->offset = offset;
  EXPECT_EQ(rd_kafka_commit(consumer.get(), parts, 0), RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_topic_partition_list_destroy(parts);
  rd_kafka_consumer_close(consumer.get());
}

TEST(RestartDurability, TopicsMessagesAndCommitsSurviveAFullRestart) {
  constexpr int kCount = 50;
  const std::string topic = unique_topic("durable");
  const std::string group = unique_topic("durable-group");
  {
    Handle producer = make_client(RD_KAFKA_PRODUCER);
    ASSERT_EQ(create_topic(producer.get(), topic, 1, 3), RD_KAFKA_RESP_ERR_NO_ERROR);
    for (int i = 0; i < kCount; ++i) {
      ASSERT_EQ(produce_sync(producer.get(), topic, "k", "m" + std::to_string(i)).err, RD_KAFKA_RESP_ERR_NO_ERROR);
    }
  }
  commit_offset(group, topic, 20);
  ASSERT_EQ(committed_offset(group, topic), 20);

  ASSERT_EQ(cluster_script("down"), 0);
  ASSERT_EQ(cluster_script("up --timeout 120"), 0);

  Handle admin = make_client(RD_KAFKA_PRODUCER);
  TopicInfo info;
  ASSERT_TRUE(eventually([&] {
    info = describe(admin.get(), topic);
    return info.err == RD_KAFKA_RESP_ERR_NO_ERROR && !info.partitions.empty() && info.partitions[0].isr.size() == 3;
  }, std::chrono::seconds(60)));
  const auto records = read_all(topic, kCount, std::chrono::seconds(60));
  ASSERT_EQ(records.size(), static_cast<size_t>(kCount));
  for (int i = 0; i < kCount; ++i) EXPECT_EQ(records[static_cast<size_t>(i)].value, "m" + std::to_string(i));
  EXPECT_EQ(committed_offset(group, topic), 20);
}

}  // namespace
}  // namespace kok::cluster_test
