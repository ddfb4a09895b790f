// PrefetchBudget alone: the queue limits a topic gets as topics open, the cost estimate, and which topics are paused.

#include "prefetch_budget.hpp"

#include <gtest/gtest.h>

namespace kok::consumer {
namespace {

constexpr std::uint64_t MiB = std::uint64_t{1} << 20;

PrefetchBudget budget_of(std::uint64_t bytes) {
  PrefetchBudget::Options o;
  o.budget = bytes;
  return PrefetchBudget{o};
}

TopicPrefetch topic(std::string name, std::size_t queued, std::size_t average, bool wanted = false) {
  TopicPrefetch t;
  t.topic = std::move(name);
  t.queued_messages = queued;
  t.average_bytes = average;
  t.wanted = wanted;
  return t;
}

TEST(PrefetchBudget, OneTopicKeepsTheFullPrefetch) {
  // The Deployment's default budget gives a topic read alone what a hot reader needs, no less.
  EXPECT_EQ(budget_of(128 * MiB).limits(1), (PrefetchLimits{100'000, 16'384}));
}

TEST(PrefetchBudget, SharesShrinkAsTopicsOpenWithinTheShare) {
  const auto b = budget_of(128 * MiB);
  EXPECT_EQ(b.share(64), 2 * MiB);
  const auto l = b.limits(64);
  // Half the share for librdkafka's per-message overhead, the rest for payload.
  EXPECT_EQ(l.messages, (1 * MiB) / 300);
  EXPECT_EQ(l.kbytes, (2 * MiB - l.messages * 300) / 1024);
  EXPECT_LE(l.messages * 300 + l.kbytes * 1024, 2 * MiB);
}

TEST(PrefetchBudget, NoShareBelowTheFloor) {
  const auto b = budget_of(16 * MiB);
  EXPECT_EQ(b.share(1000), MiB);
  EXPECT_EQ(b.limits(1000), b.limits(16));
  EXPECT_EQ(b.share(0), 16 * MiB);
}

TEST(PrefetchBudget, CostCountsMessagesAndBytes) {
  const auto b = budget_of(128 * MiB);
  EXPECT_EQ(b.cost(topic("a", 1000, 100)), 1000U * 400U);
  EXPECT_EQ(b.cost(topic("a", 1000, 0)), 1000U * 300U);  // nothing read yet: the overhead alone
  auto paused = topic("a", 1000, 100);
  paused.paused = true;
  EXPECT_EQ(b.cost(paused), 0U);
}

TEST(PrefetchBudget, WithinTheBudgetNothingIsPaused) {
  const auto b = budget_of(4 * MiB);
  // One topic far over an even share, but the sum fits: it keeps its prefetch.
  EXPECT_TRUE(b.to_pause({topic("hot", 9000, 100), topic("a", 10, 100), topic("b", 0, 0)}).empty());
}

TEST(PrefetchBudget, OverTheBudgetPausesIdleTopicsOverTheirShareFirst) {
  const auto b = budget_of(4 * MiB);  // share of each of 4: 1 MiB
  const std::vector<TopicPrefetch> topics{
      topic("wanted-big", 5000, 100, true),  // 2.0 MB, a reader waits on it
      topic("idle-big", 4000, 100),          // 1.6 MB
      topic("idle-small", 2000, 100),        // 0.8 MB: within its share
      topic("idle-mid", 3000, 100),          // 1.2 MB
  };
  // Sum 5.6 MB > 4 MiB: pausing the idle topics over their share, largest first, is enough.
  EXPECT_EQ(b.to_pause(topics), (std::vector<std::string>{"idle-big"}));
  auto more = topics;
  more[1].queued_messages = 2700;  // idle-big 1.08 MB: 5.08 MB in all, still over with only one paused
  more[3].queued_messages = 2900;  // idle-mid 1.16 MB
  more[0].queued_messages = 7000;  // wanted-big 2.8 MB
  EXPECT_EQ(b.to_pause(more), (std::vector<std::string>{"idle-mid", "idle-big"}));
}

TEST(PrefetchBudget, AWantedTopicIsPausedWhenIdleOnesAreNotEnough) {
  const auto b = budget_of(2 * MiB);
  EXPECT_EQ(b.to_pause({topic("wanted", 9000, 100, true), topic("idle", 100, 100)}),
            (std::vector<std::string>{"wanted"}));
}

TEST(PrefetchBudget, PausedTopicsCountNothing) {
  const auto b = budget_of(2 * MiB);
  auto paused = topic("paused", 9000, 100);
  paused.paused = true;
  EXPECT_TRUE(b.to_pause({paused, topic("a", 2000, 100)}).empty());
}

TEST(PrefetchBudget, DefaultIsHalfTheLimit) {
  EXPECT_EQ(default_prefetch_budget(256 * MiB), 128 * MiB);
  EXPECT_EQ(default_prefetch_budget(1024 * MiB), 512 * MiB);
  EXPECT_EQ(default_prefetch_budget(std::nullopt), 128 * MiB);  // no cgroup limit: as for the Deployment
}

}  // namespace
}  // namespace kok::consumer
