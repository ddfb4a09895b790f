#include "kok/kafka/topic_name.hpp"

#include <gtest/gtest.h>

#include <string>

namespace kok::kafka {
namespace {

TEST(TopicName, AcceptsLegalNames) {
  for (const char* name : {"a", "orders", "Orders.v2", "my_topic-1", "...", "-", "_x"}) {
    EXPECT_FALSE(topic_name_error(name).has_value()) << name;
  }
  EXPECT_TRUE(is_valid_topic_name(std::string(249, 'x')));
}

TEST(TopicName, RejectsWithReason) {
  EXPECT_NE(topic_name_error("")->find("empty"), std::string::npos);
  EXPECT_TRUE(topic_name_error(".").has_value());
  EXPECT_TRUE(topic_name_error("..").has_value());
  EXPECT_NE(topic_name_error(std::string(250, 'x'))->find("249"), std::string::npos);
  for (const char* name : {"a b", "a/b", "ä", "a:b", "a%20b", "a\nb"}) {
    EXPECT_TRUE(topic_name_error(name).has_value()) << name;
  }
}

TEST(TopicName, Internal) {
  EXPECT_TRUE(is_internal_topic("__consumer_offsets"));
  EXPECT_FALSE(is_internal_topic("_one"));
}

}  // namespace
}  // namespace kok::kafka
