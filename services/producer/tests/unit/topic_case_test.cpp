// Topic names that differ only in case: the pure check behind the 409 (topic_case.hpp).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "topic_case.hpp"

namespace kok::producer {
namespace {

using Names = std::vector<std::string>;

TEST(TopicCase, ANameDifferingOnlyInCaseIsASibling) {
  EXPECT_EQ(case_sibling("demo", Names{"Demo"}), "Demo");
  EXPECT_EQ(case_sibling("Demo", Names{"demo"}), "demo");
  EXPECT_EQ(case_sibling("DEMO.v1_x-2", Names{"other", "demo.V1_X-2"}), "demo.V1_X-2");
}

TEST(TopicCase, TheTopicItselfIsNoCollision) {
  EXPECT_EQ(case_sibling("demo", Names{"demo"}), std::nullopt);
  // Both spellings exist already (made by another client): asking for one of them creates nothing new.
  EXPECT_EQ(case_sibling("demo", Names{"Demo", "demo"}), std::nullopt);
}

TEST(TopicCase, OtherNamesAreNoCollision) {
  EXPECT_EQ(case_sibling("demo", Names{}), std::nullopt);
  EXPECT_EQ(case_sibling("demo", Names{"demo2", "dem", "de-mo", "other"}), std::nullopt);
  // Only ASCII letters fold: '.', '_' and '-' are themselves (Kafka's own '.'/'_' rule is the broker's business).
  EXPECT_EQ(case_sibling("a.b", Names{"a_b", "A-B"}), std::nullopt);
  EXPECT_EQ(case_sibling("a1", Names{"A!"}), std::nullopt);
}

TEST(TopicCase, SeveralSiblingsNameTheFirstInByteOrder) {
  EXPECT_EQ(case_sibling("demo", Names{"dEmo", "DEMO", "Demo"}), "DEMO");
}

TEST(TopicCase, TheReasonNamesBothTopicsAndWhy) {
  EXPECT_EQ(case_conflict_reason("Demo", "demo"),
            "topic 'Demo' differs from the existing 'demo' only in case: on case-insensitive file systems (macOS, "
            "Windows) both would share one directory");
}

}  // namespace
}  // namespace kok::producer
