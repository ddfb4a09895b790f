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

std::chrono::steady_clock::time_point at(int seconds) {
  return std::chrono::steady_clock::time_point{} + std::chrono::seconds{seconds};
}

TopicPrefetch topic(std::string name, std::size_t queued, std::size_t average,
                    std::chrono::steady_clock::time_point last_used = {}) {
  TopicPrefetch t;
  t.topic = std::move(name);
  t.queued_messages = queued;
  t.average_bytes = average;
  t.last_used = last_used;
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

TEST(PrefetchBudget, OverTheBudgetPausesTheLeastRecentlyUsedOverTheirShare) {
  const auto b = budget_of(4 * MiB);  // share of each of 4: 1 MiB
  std::vector<TopicPrefetch> topics{
      topic("recent-big", 5000, 100, at(4)),  // 2.0 MB
      topic("old-big", 4000, 100, at(1)),     // 1.6 MB
      topic("oldest-small", 2000, 100, at(0)),  // 0.8 MB: within its share
      topic("mid", 3000, 100, at(2)),         // 1.2 MB
  };
  // Sum 5.6 MB > 4 MiB: pausing the least recently used topic over its share is enough.
  EXPECT_EQ(b.to_pause(topics), (std::vector<std::string>{"old-big"}));
  topics[1].queued_messages = 2700;  // old-big 1.08 MB
  topics[0].queued_messages = 7000;  // recent-big 2.8 MB: 5.88 MB in all, one pause is not enough
  EXPECT_EQ(b.to_pause(topics), (std::vector<std::string>{"old-big", "mid"}));
}

TEST(PrefetchBudget, ATopicARequestWaitsOnIsNeverPaused) {
  const auto b = budget_of(2 * MiB);
  auto waited_on = topic("waited-on", 9000, 100, at(0));
  waited_on.wanted = true;
  EXPECT_EQ(b.to_pause({waited_on, topic("other", 6000, 100, at(5))}), (std::vector<std::string>{"other"}));
  EXPECT_TRUE(b.to_pause({waited_on, topic("small", 100, 100, at(5))}).empty());
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
