#include "kok/service/topic_param.hpp"

#include <gtest/gtest.h>

#include <functional>

#include "kok/http/error.hpp"

namespace kok::service {
namespace {

http::Request routed(std::string topic) {
  http::Request request(http::BeastRequest{http::verb::get, "/consumer/x", 11}, {}, "test");
  request.bind_route("consume", {{"topic", std::move(topic)}});
  return request;
}

http::ErrorStatus status_of(const std::function<void()>& call) {
  try {
    call();
  } catch (const http::Error& e) {
    return e.status();
  }
  return http::ErrorStatus{};
}

TEST(TopicParam, LegalNamesPass) {
  EXPECT_EQ(topic_param(routed("orders.v1_a-b")), "orders.v1_a-b");
  EXPECT_NO_THROW(require_valid_topic(std::string(249, 'x')));
}

TEST(TopicParam, IllegalNamesAre400WithTheRule) {
  EXPECT_EQ(status_of([] { (void)topic_param(routed("a b")); }), http::ErrorStatus::bad_request);
  EXPECT_EQ(status_of([] { require_valid_topic(".."); }), http::ErrorStatus::bad_request);
  EXPECT_EQ(status_of([] { require_valid_topic(std::string(250, 'x')); }), http::ErrorStatus::bad_request);
  try {
    require_valid_topic("");
    FAIL() << "an empty name passed";
  } catch (const http::Error& e) {
    EXPECT_NE(e.reason().find("empty"), std::string::npos) << e.reason();
  }
}

}  // namespace
}  // namespace kok::service
