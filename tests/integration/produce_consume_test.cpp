// acks=all with the idempotent producer: 1,000 messages come back complete and in order.
#include "cluster_client.hpp"

#include <gtest/gtest.h>

namespace kok::cluster_test {
namespace {

TEST(ProduceConsume, ThousandMessagesComeBackInOrder) {
  constexpr int kCount = 1000;
  Handle producer = make_client(RD_KAFKA_PRODUCER);
  const std::string topic = unique_topic("ordered");
  ASSERT_EQ(create_topic(producer.get(), topic, 1, 3), RD_KAFKA_RESP_ERR_NO_ERROR);

  int delivered = 0;
  std::vector<Delivery> reports(kCount, Delivery{RD_KAFKA_RESP_ERR__IN_PROGRESS, -1, -1});
  for (int i = 0; i < kCount; ++i) {
    const std::string value = "message-" + std::to_string(i);
    const std::string key = "key-" + std::to_string(i % 7);
    ASSERT_EQ(produce(producer.get(), topic, key, value, &reports[static_cast<size_t>(i)]), RD_KAFKA_RESP_ERR_NO_ERROR);
    rd_kafka_poll(producer.get(), 0);
  }
  ASSERT_EQ(rd_kafka_flush(producer.get(), 60000), RD_KAFKA_RESP_ERR_NO_ERROR);
  for (int i = 0; i < kCount; ++i) {
    const auto& r = reports[static_cast<size_t>(i)];
    ASSERT_EQ(r.err, RD_KAFKA_RESP_ERR_NO_ERROR) << "message " << i << ": " << rd_kafka_err2str(r.err);
    EXPECT_EQ(r.offset, i);
    ++delivered;
  }
  EXPECT_EQ(delivered, kCount);

  const auto records = read_all(topic, kCount, std::chrono::seconds(60));
  ASSERT_EQ(records.size(), static_cast<size_t>(kCount));
  for (int i = 0; i < kCount; ++i) {
    const auto& r = records[static_cast<size_t>(i)];
    EXPECT_EQ(r.offset, i);
    EXPECT_EQ(r.value, "message-" + std::to_string(i));
    EXPECT_EQ(r.key, "key-" + std::to_string(i % 7));
  }
}

}  // namespace
}  // namespace kok::cluster_test
