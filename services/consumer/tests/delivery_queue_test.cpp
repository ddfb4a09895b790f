#include "delivery_queue.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <set>

namespace kok::consumer {
namespace {

// Stands in for the Kafka consumer: hands out what was "fetched", in fetch order.
class FakeSource {
 public:
  void add(std::int32_t partition, std::int64_t offset) {
    kafka::Message m;
    m.topic = "t";
    m.partition = partition;
    m.offset = offset;
    m.value = std::to_string(partition) + ":" + std::to_string(offset);
    fetched_.push_back(std::move(m));
  }
  DeliveryQueue::Source source() {
    return [this]() -> std::optional<kafka::Message> {
      if (fetched_.empty()) return std::nullopt;
      auto m = std::move(fetched_.front());
      fetched_.pop_front();
      return m;
    };
  }

 private:
  std::deque<kafka::Message> fetched_;
};

std::vector<std::int64_t> offsets(const std::vector<kafka::Message>& ms) {
  std::vector<std::int64_t> out;
  for (const auto& m : ms) out.push_back(m.offset);
  return out;
}

TEST(DeliveryQueue, EachMessageGoesToOneCallerInOrder) {
  FakeSource kafka;
  for (std::int64_t o = 0; o < 5; ++o) kafka.add(0, o);
  DeliveryQueue q;
  const auto a = q.take(2, kafka.source());
  const auto b = q.take(2, kafka.source());
  const auto c = q.take(2, kafka.source());
  EXPECT_EQ(offsets(a), (std::vector<std::int64_t>{0, 1}));
  EXPECT_EQ(offsets(b), (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(offsets(c), (std::vector<std::int64_t>{4}));
  EXPECT_TRUE(q.take(1, kafka.source()).empty());
}

TEST(DeliveryQueue, FailedMessagesComeBackFirstInOffsetOrder) {
  FakeSource kafka;
  for (std::int64_t o = 0; o < 6; ++o) kafka.add(0, o);
  DeliveryQueue q;
  const auto first = q.take(1, kafka.source());   // 0
  const auto second = q.take(2, kafka.source());  // 1, 2
  q.finish(second, false);
  q.finish(first, false);
  EXPECT_EQ(q.waiting_redelivery(), 3U);
  // 0, 1, 2 again — before 3, and lowest first although 1 and 2 failed before 0.
  EXPECT_EQ(offsets(q.take(4, kafka.source())), (std::vector<std::int64_t>{0, 1, 2, 3}));
  EXPECT_EQ(q.waiting_redelivery(), 0U);
}

TEST(DeliveryQueue, CommitsFollowWrittenResponsesOnly) {
  FakeSource kafka;
  for (std::int64_t o = 0; o < 3; ++o) kafka.add(0, o);
  DeliveryQueue q;
  const auto a = q.take(1, kafka.source());
  const auto b = q.take(1, kafka.source());
  const auto c = q.take(1, kafka.source());
  q.finish(b, true);
  q.finish(c, true);
  EXPECT_TRUE(q.take_commits().empty()) << "offset 0 is still in flight";
  q.finish(a, false);
  EXPECT_TRUE(q.take_commits().empty()) << "offset 0 failed and waits for redelivery";
  const auto again = q.take(5, kafka.source());
  EXPECT_EQ(offsets(again), (std::vector<std::int64_t>{0}));
  q.finish(again, true);
  EXPECT_EQ(q.take_commits(), (std::vector<PartitionPosition>{{0, 3}}));
}

TEST(DeliveryQueue, RedeliveryKeepsPerPartitionOrder) {
  FakeSource kafka;
  kafka.add(0, 0);
  kafka.add(1, 0);
  kafka.add(0, 1);
  kafka.add(1, 1);
  DeliveryQueue q;
  const auto all = q.take(4, kafka.source());
  q.finish(all, false);
  const auto again = q.take(4, kafka.source());
  ASSERT_EQ(again.size(), 4U);
  std::map<std::int32_t, std::int64_t> last;
  for (const auto& m : again) {
    if (last.contains(m.partition)) {
      EXPECT_GT(m.offset, last[m.partition]);
    }
    last[m.partition] = m.offset;
  }
}

TEST(DeliveryQueue, ManyInterleavedCallersSeeEveryMessageExactlyOnce) {
  FakeSource kafka;
  constexpr int count = 1000;
  for (int o = 0; o < count; ++o) kafka.add(o % 3, o / 3);
  DeliveryQueue q;
  std::set<std::pair<std::int32_t, std::int64_t>> seen;
  std::vector<std::vector<kafka::Message>> in_flight;
  int round = 0;
  for (;;) {
    auto batch = q.take(static_cast<std::size_t>(1 + round % 4), kafka.source());
    const bool got = !batch.empty();
    if (!got && in_flight.empty()) break;
    if (got) in_flight.push_back(std::move(batch));
    // Every third response fails and is redelivered; the others complete in a scrambled order.
    if (in_flight.size() > 3 || !got) {
      auto done = std::move(in_flight[static_cast<std::size_t>(round) % in_flight.size()]);
      in_flight.erase(in_flight.begin() + round % static_cast<long>(in_flight.size()));
      const bool ok = round % 3 != 0;
      if (ok) {
        for (const auto& m : done) EXPECT_TRUE(seen.emplace(m.partition, m.offset).second) << "duplicate";
      }
      q.finish(done, ok);
    }
    ++round;
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(count));
  const auto commits = q.take_commits();
  ASSERT_EQ(commits.size(), 3U);
  for (const auto& c : commits) EXPECT_EQ(c.offset, (count + 2 - c.partition) / 3);
}

}  // namespace
}  // namespace kok::consumer
