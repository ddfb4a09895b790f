// Losing one broker (kill -9, no controlled shutdown) must not stop acks=all writes: min.insync.replicas=2 of RF 3.
// The killed broker then rejoins and catches up. Runs serially: it takes a broker away from every other test.
#include "cluster_client.hpp"

#include <gtest/gtest.h>

namespace kok::cluster_test {
namespace {

TEST(BrokerFailure, AcksAllSurvivesLosingTheLeaderAndTheBrokerRejoins) {
  Handle producer = make_client(RD_KAFKA_PRODUCER);
  const std::string topic = unique_topic("failover");
  ASSERT_EQ(create_topic(producer.get(), topic, 1, 3), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_TRUE(eventually([&] { auto i = describe(producer.get(), topic); return !i.partitions.empty() && i.partitions[0].isr.size() == 3; },
                         std::chrono::seconds(20)));
  ASSERT_EQ(produce_sync(producer.get(), topic, "k", "before").err, RD_KAFKA_RESP_ERR_NO_ERROR);

  // Kill the partition leader: the hardest case (a new leader must be elected from the ISR).
  const int32_t victim = describe(producer.get(), topic).partitions.at(0).leader;
  ASSERT_GE(victim, 0);
  ASSERT_EQ(cluster_script("kill " + std::to_string(victim)), 0);

  constexpr int kDuringOutage = 100;
  for (int i = 0; i < kDuringOutage; ++i) {
    const Delivery d = produce_sync(producer.get(), topic, "k", "during-" + std::to_string(i));
    ASSERT_EQ(d.err, RD_KAFKA_RESP_ERR_NO_ERROR) << "message " << i << ": " << rd_kafka_err2str(d.err);
  }
  // The controller fences the dead broker (broker.session.timeout.ms) and shrinks the ISR to the two live replicas.
  EXPECT_TRUE(eventually([&] {
    const auto during = describe(producer.get(), topic);
    return !during.partitions.empty() && during.partitions[0].leader != victim && during.partitions[0].isr.size() == 2;
  }, std::chrono::seconds(30))) << "the ISR did not shrink to the two live brokers";

  ASSERT_EQ(cluster_script("start " + std::to_string(victim)), 0);
  EXPECT_TRUE(eventually([&] {
    auto i = describe(producer.get(), topic);
    return broker_count(producer.get()) == 3 && !i.partitions.empty() && i.partitions[0].isr.size() == 3;
  }, std::chrono::seconds(60))) << "broker " << victim << " did not rejoin the ISR";

  const auto records = read_all(topic, 1 + kDuringOutage);
  ASSERT_EQ(records.size(), static_cast<size_t>(1 + kDuringOutage));
  EXPECT_EQ(records.front().value, "before");
  EXPECT_EQ(records.back().value, "during-" + std::to_string(kDuringOutage - 1));
  // Leave a fully healthy cluster for whatever runs next.
  ASSERT_EQ(cluster_script("up --timeout 90"), 0);
}

}  // namespace
}  // namespace kok::cluster_test
