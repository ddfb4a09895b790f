#include "commit_pipeline.hpp"

#include <gtest/gtest.h>

#include <deque>

namespace kok::consumer {
namespace {

kafka::Message message(std::int64_t offset) {
  kafka::Message m;
  m.partition = 0;
  m.offset = offset;
  return m;
}

// Hands out offsets from..to-1 of partition 0 through the queue and marks them written.
void deliver(DeliveryQueue& q, std::int64_t from, std::int64_t to) {
  std::deque<kafka::Message> fetched;
  for (auto o = from; o < to; ++o) fetched.push_back(message(o));
  auto taken = q.take(static_cast<std::size_t>(to - from), [&fetched]() -> std::optional<kafka::Message> {
    if (fetched.empty()) return std::nullopt;
    auto m = fetched.front();
    fetched.pop_front();
    return m;
  });
  q.finish(taken, true);
}

TEST(CommitPipeline, OneInFlightThenTheNewestPosition) {
  DeliveryQueue q;
  q.start_at(0, 0);
  CommitPipeline p;
  deliver(q, 0, 1);
  auto first = p.next(q);
  ASSERT_TRUE(first);
  EXPECT_EQ(first->front().offset, 1);
  deliver(q, 1, 5);
  EXPECT_FALSE(p.next(q)) << "a second commit while one is in flight";
  p.answered(q, true);
  auto second = p.next(q);
  ASSERT_TRUE(second);
  EXPECT_EQ(second->front().offset, 5) << "merged: the newest position, not one commit per message";
  p.answered(q, true);
  EXPECT_FALSE(p.next(q)) << "nothing moved";
}

TEST(CommitPipeline, AFailedCommitIsSentAgain) {
  DeliveryQueue q;
  q.start_at(0, 0);
  CommitPipeline p;
  deliver(q, 0, 3);
  ASSERT_TRUE(p.next(q));
  p.answered(q, false);
  auto again = p.next(q);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->front().offset, 3);
}

TEST(CommitPipeline, NotSentIsLikeFailed) {
  DeliveryQueue q;
  q.start_at(0, 0);
  CommitPipeline p;
  deliver(q, 0, 2);
  ASSERT_TRUE(p.next(q));
  p.failed_to_send(q);
  EXPECT_FALSE(p.in_flight());
  auto again = p.next(q);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->front().offset, 2);
}

}  // namespace
}  // namespace kok::consumer
