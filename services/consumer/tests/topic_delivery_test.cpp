// TopicDelivery alone: a fake clock and a vector standing in for Kafka.
#include "topic_delivery.hpp"

#include <gtest/gtest.h>

#include <deque>
#include <set>

namespace kok::consumer {
namespace {

using namespace std::chrono_literals;
using Messages = TopicDelivery::Messages;
using Commits = std::vector<PartitionPosition>;

constexpr auto kAckTimeout = 30s;

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
  void add_range(std::int64_t from, std::int64_t to) {
    for (auto o = from; o < to; ++o) add(0, o);
  }
  TopicDelivery::Source source() {
    return [this]() -> std::optional<kafka::Message> {
      if (fetched_.empty()) return std::nullopt;
      auto m = std::move(fetched_.front());
      fetched_.pop_front();
      return m;
    };
  }
  void clear() { fetched_.clear(); }

 private:
  std::deque<kafka::Message> fetched_;
};

// The injected clock: moves only when the test says so.
struct FakeClock {
  TopicDelivery::Clock::time_point now{};
  TopicDelivery::Now function() {
    return [this] { return now; };
  }
};

std::vector<std::int64_t> offsets(const Messages& ms) {
  std::vector<std::int64_t> out;
  for (const auto& m : ms) out.push_back(m.offset);
  return out;
}

class TopicDeliveryTest : public ::testing::Test {
 protected:
  // Hands out offsets from..to-1 of partition 0 and marks them written.
  void deliver(std::int64_t from, std::int64_t to) {
    kafka.add_range(from, to);
    d.written(d.take(static_cast<std::size_t>(to - from), kafka.source()));
  }

  FakeSource kafka;
  FakeClock clock;
  TopicDelivery d{kAckTimeout, clock.function()};
};

// --- handing out ---

TEST_F(TopicDeliveryTest, EachMessageGoesToOneCallerInOrder) {
  kafka.add_range(0, 5);
  EXPECT_EQ(offsets(d.take(2, kafka.source())), (std::vector<std::int64_t>{0, 1}));
  EXPECT_EQ(offsets(d.take(2, kafka.source())), (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(offsets(d.take(2, kafka.source())), (std::vector<std::int64_t>{4}));
  EXPECT_TRUE(d.take(1, kafka.source()).empty());
}

TEST_F(TopicDeliveryTest, NotWrittenMessagesComeBackFirstInOffsetOrder) {
  kafka.add_range(0, 6);
  const auto first = d.take(1, kafka.source());   // 0
  const auto second = d.take(2, kafka.source());  // 1, 2
  d.not_written(second);
  d.not_written(first);
  EXPECT_EQ(d.waiting_redelivery(), 3U);
  // 0, 1, 2 again — before 3, and lowest first although 1 and 2 failed before 0.
  EXPECT_EQ(offsets(d.take(4, kafka.source())), (std::vector<std::int64_t>{0, 1, 2, 3}));
  EXPECT_EQ(d.waiting_redelivery(), 0U);
}

TEST_F(TopicDeliveryTest, CommitsFollowWrittenResponsesOnly) {
  kafka.add_range(0, 3);
  const auto a = d.take(1, kafka.source());
  const auto b = d.take(1, kafka.source());
  const auto c = d.take(1, kafka.source());
  d.written(b);
  d.written(c);
  EXPECT_FALSE(d.commit_due()) << "offset 0 is still in flight";
  d.not_written(a);
  EXPECT_FALSE(d.commit_due()) << "offset 0 was not written and waits for redelivery";
  const auto again = d.take(5, kafka.source());
  EXPECT_EQ(offsets(again), (std::vector<std::int64_t>{0}));
  d.written(again);
  EXPECT_EQ(d.commit_due(), (Commits{{0, 3}}));
}

TEST_F(TopicDeliveryTest, RedeliveryKeepsPerPartitionOrder) {
  kafka.add(0, 0);
  kafka.add(1, 0);
  kafka.add(0, 1);
  kafka.add(1, 1);
  d.not_written(d.take(4, kafka.source()));
  const auto again = d.take(4, kafka.source());
  ASSERT_EQ(again.size(), 4U);
  std::map<std::int32_t, std::int64_t> last;
  for (const auto& m : again) {
    if (last.contains(m.partition)) {
      EXPECT_GT(m.offset, last[m.partition]);
    }
    last[m.partition] = m.offset;
  }
}

TEST_F(TopicDeliveryTest, ManyInterleavedCallersSeeEveryMessageExactlyOnce) {
  constexpr int count = 1000;
  for (int o = 0; o < count; ++o) kafka.add(o % 3, o / 3);
  std::set<std::pair<std::int32_t, std::int64_t>> seen;
  std::vector<Messages> in_flight;
  int round = 0;
  for (;;) {
    auto batch = d.take(static_cast<std::size_t>(1 + round % 4), kafka.source());
    const bool got = !batch.empty();
    if (!got && in_flight.empty()) break;
    if (got) in_flight.push_back(std::move(batch));
    // Every third response is not written and is handed out again; the others complete in a scrambled order.
    if (in_flight.size() > 3 || !got) {
      auto done = std::move(in_flight[static_cast<std::size_t>(round) % in_flight.size()]);
      in_flight.erase(in_flight.begin() + round % static_cast<long>(in_flight.size()));
      if (round % 3 != 0) {
        for (const auto& m : done) EXPECT_TRUE(seen.emplace(m.partition, m.offset).second) << "duplicate";
        d.written(done);
      } else {
        d.not_written(done);
      }
    }
    ++round;
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(count));
  const auto commits = d.commit_due();
  ASSERT_TRUE(commits);
  ASSERT_EQ(commits->size(), 3U);
  for (const auto& c : *commits) EXPECT_EQ(c.offset, (count + 2 - c.partition) / 3);
}

// --- when a commit starts ---

TEST_F(TopicDeliveryTest, OneCommitInFlightThenTheNewestPosition) {
  d.start_at(0, 0);
  deliver(0, 1);
  auto first = d.commit_due();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->front().offset, 1);
  deliver(1, 5);
  EXPECT_FALSE(d.commit_due()) << "a second commit while one is in flight";
  d.commit_succeeded();
  auto second = d.commit_due();
  ASSERT_TRUE(second);
  EXPECT_EQ(second->front().offset, 5) << "merged: the newest position, not one commit per message";
  d.commit_succeeded();
  EXPECT_FALSE(d.commit_due()) << "nothing moved";
}

TEST_F(TopicDeliveryTest, AFailedCommitIsSentAgain) {
  d.start_at(0, 0);
  deliver(0, 3);
  ASSERT_TRUE(d.commit_due());
  d.commit_failed();
  EXPECT_FALSE(d.commit_in_flight());
  auto again = d.commit_due();
  ASSERT_TRUE(again);
  EXPECT_EQ(again->front().offset, 3);
}

TEST_F(TopicDeliveryTest, NothingToCommitBeforeAnythingIsDone) {
  d.start_at(0, 7);
  EXPECT_FALSE(d.commit_due()) << "the committed position itself";
  kafka.add_range(7, 9);
  const auto taken = d.take(2, kafka.source());
  EXPECT_FALSE(d.commit_due()) << "handed out, not written";
  EXPECT_FALSE(d.commit_in_flight());
  d.written(taken);
  EXPECT_EQ(d.commit_due(), (Commits{{0, 9}}));
}

// --- named readers: hold, acknowledge, expire ---

TEST_F(TopicDeliveryTest, AHeldBatchIsCommittedWhenItsReaderAcknowledges) {
  d.start_at(0, 0);
  kafka.add_range(0, 2);
  d.hold("r", d.take(2, kafka.source()));
  EXPECT_FALSE(d.commit_due()) << "written to r, not yet processed by it";
  EXPECT_EQ(d.acknowledge("other"), 0U);
  EXPECT_EQ(d.acknowledge("r"), 2U);
  EXPECT_EQ(d.commit_due(), (Commits{{0, 2}}));
  EXPECT_EQ(d.acknowledge("r"), 0U) << "acknowledged once";
}

TEST_F(TopicDeliveryTest, AnUnacknowledgedBatchIsHandedOutAgainAfterItsDeadline) {
  d.start_at(0, 0);
  kafka.add_range(0, 3);
  d.hold("r", d.take(2, kafka.source()));  // 0, 1
  clock.now += kAckTimeout - 1ms;
  EXPECT_EQ(d.expire(), 0U) << "before the deadline";
  EXPECT_EQ(offsets(d.take(5, kafka.source())), (std::vector<std::int64_t>{2}));
  clock.now += 1ms;
  EXPECT_EQ(d.expire(), 2U);
  EXPECT_EQ(offsets(d.take(5, kafka.source())), (std::vector<std::int64_t>{0, 1})) << "r's batch, to the next caller";
  EXPECT_EQ(d.acknowledge("r"), 0U) << "too late: r holds nothing any more";
}

TEST_F(TopicDeliveryTest, CloseCommitsWhatIsDoneAndNotWhatIsHeld) {
  d.start_at(0, 0);
  deliver(0, 2);
  ASSERT_TRUE(d.commit_due());  // in flight when closing
  kafka.add_range(2, 4);
  d.hold("r", d.take(2, kafka.source()));
  deliver(4, 5);
  EXPECT_EQ(d.close(), Commits{}) << "2 and 3 are held: the position stays at 2, already sent";
  EXPECT_EQ(d.outstanding(), 2U);
}

// --- replay: the group's position moves ---

TEST_F(TopicDeliveryTest, AReplayReadsFromTheNewPosition) {
  d.start_at(0, 0);
  deliver(0, 5);
  ASSERT_TRUE(d.commit_due());
  d.commit_succeeded();
  kafka.clear();  // the caller refetches from the new position
  d.move_to({{0, 1}});
  EXPECT_EQ(d.committed(0), 1);
  EXPECT_EQ(d.next_untaken(0), 1);
  EXPECT_FALSE(d.commit_due()) << "the caller commits the new position itself";
  deliver(1, 3);
  EXPECT_EQ(d.commit_due(), (Commits{{0, 3}}));
}

TEST_F(TopicDeliveryTest, AReplayDropsWhatWasHandedBackAndWhatReadersHold) {
  d.start_at(0, 0);
  kafka.add_range(0, 4);
  d.hold("r", d.take(2, kafka.source()));       // 0, 1 held by r
  d.not_written(d.take(2, kafka.source()));     // 2, 3 wait to be handed out again
  kafka.clear();
  d.move_to({{0, 10}});
  EXPECT_EQ(d.waiting_redelivery(), 0U);
  EXPECT_EQ(d.outstanding(), 0U);
  EXPECT_EQ(d.acknowledge("r"), 0U) << "r's batch lies before the new position: discarded";
  clock.now += kAckTimeout;
  EXPECT_EQ(d.expire(), 0U);
  kafka.add_range(10, 11);
  EXPECT_EQ(offsets(d.take(5, kafka.source())), (std::vector<std::int64_t>{10}));
}

TEST_F(TopicDeliveryTest, AnswersOfResponsesInFlightDuringAReplayCountForNothing) {
  d.start_at(0, 0);
  kafka.add_range(0, 3);
  const auto written_late = d.take(1, kafka.source());      // 0
  const auto not_written_late = d.take(1, kafka.source());  // 1
  const auto held_late = d.take(1, kafka.source());         // 2
  kafka.clear();
  d.move_to({{0, 0}});  // back to the beginning
  kafka.add_range(0, 3);
  const auto again = d.take(3, kafka.source());
  EXPECT_EQ(offsets(again), (std::vector<std::int64_t>{0, 1, 2}));
  d.written(written_late);
  d.not_written(not_written_late);
  d.hold("r", held_late);
  EXPECT_EQ(d.waiting_redelivery(), 0U) << "1 was answered on the old path: not handed out again";
  EXPECT_EQ(d.acknowledge("r"), 0U) << "2 was held on the old path: nothing to acknowledge";
  EXPECT_FALSE(d.commit_due()) << "0, 1, 2 of the new path are still in flight";
  d.written(again);
  EXPECT_EQ(d.commit_due(), (Commits{{0, 3}}));
}

TEST_F(TopicDeliveryTest, AReplayOfOnePartitionLeavesTheOthers) {
  d.start_at(0, 0);
  d.start_at(1, 0);
  kafka.add(0, 0);
  kafka.add(1, 0);
  d.hold("r", d.take(2, kafka.source()));
  d.move_to({{0, 5}});
  EXPECT_EQ(d.outstanding(), 1U) << "partition 1's message is still held";
  EXPECT_EQ(d.acknowledge("r"), 1U);
  EXPECT_EQ(d.commit_due(), (Commits{{1, 1}}));
}

}  // namespace
}  // namespace kok::consumer
