#include "commit_tracker.hpp"

#include <gtest/gtest.h>

namespace kok::consumer {
namespace {

using Commits = std::vector<PartitionPosition>;

TEST(CommitTracker, NothingTakenNothingToCommit) {
  CommitTracker t;
  EXPECT_TRUE(t.take_commits().empty());
  EXPECT_EQ(t.position(0), -1);
}

TEST(CommitTracker, CommitsOnlyUpToTheLowestOutstandingOffset) {
  CommitTracker t;
  for (std::int64_t o = 0; o < 4; ++o) t.taken(0, o);
  // Written out of order: 2 and 3 finish first, but 0 and 1 are still in flight.
  t.done(0, 2);
  t.done(0, 3);
  EXPECT_EQ(t.position(0), 0);
  EXPECT_TRUE(t.take_commits().empty()) << "nothing below the oldest in-flight message may be committed";
  t.done(0, 1);
  EXPECT_TRUE(t.take_commits().empty());
  t.done(0, 0);
  EXPECT_EQ(t.take_commits(), (Commits{{0, 4}}));
  EXPECT_TRUE(t.take_commits().empty()) << "a position is reported once";
  EXPECT_EQ(t.outstanding(), 0U);
}

TEST(CommitTracker, ContiguousPrefixAdvancesStepByStep) {
  CommitTracker t;
  t.taken(0, 10);
  t.taken(0, 11);
  t.taken(0, 12);
  t.done(0, 10);
  EXPECT_EQ(t.take_commits(), (Commits{{0, 11}}));
  t.done(0, 12);
  EXPECT_TRUE(t.take_commits().empty());
  t.done(0, 11);
  EXPECT_EQ(t.take_commits(), (Commits{{0, 13}}));
}

TEST(CommitTracker, FailedMessageHoldsThePositionUntilRedelivered) {
  CommitTracker t;
  t.taken(0, 0);
  t.taken(0, 1);
  t.done(0, 1);  // offset 0's response was not written: it stays outstanding
  EXPECT_TRUE(t.take_commits().empty());
  t.taken(0, 0);  // handed out again
  t.done(0, 0);
  EXPECT_EQ(t.take_commits(), (Commits{{0, 2}}));
}

TEST(CommitTracker, PartitionsAreIndependent) {
  CommitTracker t;
  t.taken(0, 5);
  t.taken(1, 7);
  t.taken(1, 8);
  t.done(1, 7);
  EXPECT_EQ(t.take_commits(), (Commits{{1, 8}}));
  t.done(0, 5);
  t.done(1, 8);
  EXPECT_EQ(t.take_commits(), (Commits{{0, 6}, {1, 9}}));
  EXPECT_EQ(t.next_untaken(1), 9);
}

TEST(CommitTracker, StartsFromTheCommittedOffset) {
  CommitTracker t;
  t.start_at(0, 42);
  EXPECT_EQ(t.position(0), 42);
  EXPECT_TRUE(t.take_commits().empty()) << "already committed";
  t.taken(0, 42);
  t.done(0, 42);
  EXPECT_EQ(t.take_commits(), (Commits{{0, 43}}));
}

TEST(CommitTracker, FailedCommitIsSentAgain) {
  CommitTracker t;
  t.taken(0, 0);
  t.done(0, 0);
  EXPECT_EQ(t.take_commits(), (Commits{{0, 1}}));
  t.commit_failed();
  EXPECT_EQ(t.take_commits(), (Commits{{0, 1}}));
  EXPECT_TRUE(t.take_commits().empty());
}

TEST(CommitTracker, GapsInOffsetsAreFine) {
  // Compacted topics and transaction markers leave holes in the offset sequence.
  CommitTracker t;
  t.taken(0, 3);
  t.taken(0, 9);
  t.done(0, 3);
  EXPECT_EQ(t.take_commits(), (Commits{{0, 9}}));
  t.done(0, 9);
  EXPECT_EQ(t.take_commits(), (Commits{{0, 10}}));
}

}  // namespace
}  // namespace kok::consumer
