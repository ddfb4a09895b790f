// The existence rules the Admin's topic_exists() and cached_topic_exists() answer by, on a clock the test moves.
#include "topic_existence_cache.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>

namespace kok::kafka::detail {
namespace {

using namespace std::chrono_literals;
using Clock = TopicExistenceCache::Clock;

class TopicExistenceCacheTest : public ::testing::Test {
 protected:
  Clock::time_point now_{Clock::time_point{} + 1h};
  TopicExistenceCache cache_{{.exists = 5s, .missing = 500ms, .visible = 8s}, [this] { return now_; }};
};

TEST_F(TopicExistenceCacheTest, ANameItHasNeverHeardOfMustBeAsked) {
  EXPECT_EQ(cache_.lookup("t"), std::nullopt);
  EXPECT_EQ(cache_.visibility_deadline("t"), std::nullopt);
}

TEST_F(TopicExistenceCacheTest, ATopicCreatedHereExistsAtOnceForTheExistsTtl) {
  cache_.created("t");
  EXPECT_EQ(cache_.lookup("t"), true);
  now_ += 4999ms;
  EXPECT_EQ(cache_.lookup("t"), true);
  now_ += 1ms;
  EXPECT_EQ(cache_.lookup("t"), std::nullopt);
}

TEST_F(TopicExistenceCacheTest, ATopicCreatedHereIsAskedAgainUntilItsVisibilityWindowCloses) {
  const auto created_at = now_;
  cache_.created("t");
  EXPECT_EQ(cache_.visibility_deadline("t"), created_at + 8s);
  now_ += 6s;  // past exists, inside visible: lookups ask a broker, whose "unknown topic" is asked again
  EXPECT_EQ(cache_.lookup("t"), std::nullopt);
  EXPECT_EQ(cache_.visibility_deadline("t"), created_at + 8s);
}

TEST_F(TopicExistenceCacheTest, ALookupChangesNothing) {
  cache_.created("t");
  now_ += 6s;
  EXPECT_EQ(cache_.lookup("t"), std::nullopt);
  EXPECT_EQ(cache_.lookup("t"), std::nullopt);
  EXPECT_EQ(cache_.visibility_deadline("t"), now_ + 2s);
}

TEST_F(TopicExistenceCacheTest, AJustDeletedTopicIsGoneAtOnceThenAskedAgain) {
  cache_.listed({"t"});
  cache_.created("t");
  cache_.deleted("t");
  EXPECT_EQ(cache_.lookup("t"), false);
  EXPECT_EQ(cache_.visibility_deadline("t"), std::nullopt);
  now_ += 499ms;
  EXPECT_EQ(cache_.lookup("t"), false);
  now_ += 1ms;
  EXPECT_EQ(cache_.lookup("t"), std::nullopt);  // deleted from the snapshot too, not "yes" again
}

TEST_F(TopicExistenceCacheTest, AConfirmedNoIsCachedBriefly) {
  cache_.confirmed_missing("t");
  EXPECT_EQ(cache_.lookup("t"), false);
  now_ += 499ms;
  EXPECT_EQ(cache_.lookup("t"), false);
  now_ += 1ms;
  EXPECT_EQ(cache_.lookup("t"), std::nullopt);
}

TEST_F(TopicExistenceCacheTest, ASnapshotSaysYesUntilItsTtlAndIsRefreshedByTheNextList) {
  cache_.listed({"a", "b"});
  EXPECT_EQ(cache_.lookup("a"), true);
  EXPECT_EQ(cache_.lookup("b"), true);
  now_ += 5s;
  EXPECT_EQ(cache_.lookup("a"), std::nullopt);
  cache_.listed({"a"});
  EXPECT_EQ(cache_.lookup("a"), true);
  EXPECT_EQ(cache_.lookup("b"), std::nullopt);
}

TEST_F(TopicExistenceCacheTest, ANameMissingFromASnapshotIsNotANo) {
  cache_.listed({"a"});
  EXPECT_EQ(cache_.lookup("b"), std::nullopt);
}

TEST_F(TopicExistenceCacheTest, ASnapshotListingANameEndsItsCachedNo) {
  cache_.confirmed_missing("t");
  cache_.listed({"t"});
  EXPECT_EQ(cache_.lookup("t"), true);
}

TEST_F(TopicExistenceCacheTest, ACreationEndsACachedNo) {
  cache_.confirmed_missing("t");
  cache_.created("t");
  EXPECT_EQ(cache_.lookup("t"), true);
}

TEST_F(TopicExistenceCacheTest, AConfirmedYesEndsACachedNoAndJoinsTheFreshSnapshot) {
  cache_.listed({});
  cache_.confirmed_missing("t");
  cache_.confirmed_present("t");
  EXPECT_EQ(cache_.lookup("t"), true);
  now_ += 5s;
  EXPECT_EQ(cache_.lookup("t"), std::nullopt);
}

TEST_F(TopicExistenceCacheTest, AConfirmedYesWithoutASnapshotIsNotKept) {
  cache_.confirmed_present("t");
  EXPECT_EQ(cache_.lookup("t"), std::nullopt);
}

TEST_F(TopicExistenceCacheTest, ForgettingWhatOthersSaidKeepsWhatThisClientCreated) {
  cache_.listed({"a"});
  cache_.confirmed_missing("b");
  cache_.created("c");
  cache_.forget_what_others_said();
  EXPECT_EQ(cache_.lookup("a"), std::nullopt);
  EXPECT_EQ(cache_.lookup("b"), std::nullopt);
  EXPECT_EQ(cache_.lookup("c"), true);
  EXPECT_EQ(cache_.visibility_deadline("c"), now_ + 8s);
}

}  // namespace
}  // namespace kok::kafka::detail
