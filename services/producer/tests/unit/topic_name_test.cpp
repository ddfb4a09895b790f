#include <gtest/gtest.h>

#include "kok/service/topic_param.hpp"
#include "kok/http/error.hpp"

namespace kok::producer {
namespace {

unsigned status_for(const std::string& topic) {
  http::Request r(http::BeastRequest{http::verb::post, "/topic/x", 11}, {}, "test");
  r.bind_route("seed_create_topic", {{"topic", topic}});
  try {
    (void)service::topic_param(r);
    return 200;
  } catch (const http::Error& e) {
    return e.code();
  }
}

TEST(TopicName, LegalNamesPass) {
  EXPECT_EQ(status_for("primertopico"), 200U);
  EXPECT_EQ(status_for("a.b_c-D9"), 200U);
  EXPECT_EQ(status_for(std::string(249, 'x')), 200U);
  EXPECT_EQ(status_for("..."), 200U);
}

TEST(TopicName, IllegalNamesAre400) {
  for (const std::string& bad : std::vector<std::string>{"", ".", "..", "a b", "a/b", "ñ", "a:b", std::string(250, 'x')}) {
    EXPECT_EQ(status_for(bad), 400U) << bad;
  }
}

}  // namespace
}  // namespace kok::producer
