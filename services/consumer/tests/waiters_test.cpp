#include "waiters.hpp"

#include <gtest/gtest.h>

#include <string>

namespace kok::consumer {
namespace {

TEST(Waiters, FirstComeFirstServed) {
  Waiters<std::string> w;
  w.add(1, 10, "a");
  w.add(2, 1, "b");
  EXPECT_EQ(w.front().max, 10U);
  EXPECT_EQ(w.pop_front().pending, "a");
  EXPECT_EQ(w.pop_front().pending, "b");
  EXPECT_TRUE(w.empty());
}

TEST(Waiters, RemovesOneByIdAndKeepsTheOrderOfTheRest) {
  Waiters<std::string> w;
  w.add(1, 1, "a");
  w.add(2, 1, "b");
  w.add(3, 1, "c");
  auto removed = w.remove(2);
  ASSERT_TRUE(removed);
  EXPECT_EQ(removed->pending, "b");
  EXPECT_FALSE(w.remove(2));  // a cancelled or expired waiter is removed once; a late timer finds nothing
  EXPECT_EQ(w.size(), 2U);
  EXPECT_EQ(w.pop_front().pending, "a");
  EXPECT_EQ(w.pop_front().pending, "c");
}

TEST(Waiters, TakeAllEmptiesInOrder) {
  Waiters<int> w;
  for (int i = 0; i < 5; ++i) w.add(static_cast<std::uint64_t>(i), 1, i);
  const auto all = w.take_all();
  ASSERT_EQ(all.size(), 5U);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(all[static_cast<std::size_t>(i)].pending, i);
  EXPECT_TRUE(w.empty());
}

}  // namespace
}  // namespace kok::consumer
