#include "kok/http/error.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "error_rendering.hpp"

namespace kok::http {
namespace {

TEST(Error, CarriesStatusReasonAndRetryAfter) {
  const auto e = unavailable("kafka down", std::chrono::seconds{3});
  EXPECT_EQ(e.code(), 503U);
  EXPECT_EQ(e.reason(), "kafka down");
  ASSERT_TRUE(e.retry_after());
  EXPECT_EQ(e.retry_after()->count(), 3);
  EXPECT_STREQ(e.what(), "503 kafka down");
}

TEST(Error, StatusCodesMatchHttp) {
  EXPECT_EQ(status_code(ErrorStatus::bad_request), 400U);
  EXPECT_EQ(status_code(ErrorStatus::forbidden), 403U);
  EXPECT_EQ(status_code(ErrorStatus::not_found), 404U);
  EXPECT_EQ(status_code(ErrorStatus::method_not_allowed), 405U);
  EXPECT_EQ(status_code(ErrorStatus::request_timeout), 408U);
  EXPECT_EQ(status_code(ErrorStatus::conflict), 409U);
  EXPECT_EQ(status_code(ErrorStatus::payload_too_large), 413U);
  EXPECT_EQ(status_code(ErrorStatus::unsupported_media_type), 415U);
  EXPECT_EQ(status_code(ErrorStatus::internal_server_error), 500U);
  EXPECT_EQ(status_code(ErrorStatus::service_unavailable), 503U);
  EXPECT_EQ(status_code(ErrorStatus::gateway_timeout), 504U);
  EXPECT_EQ(reason_phrase(ErrorStatus::payload_too_large), "Payload Too Large");
  EXPECT_EQ(bad_request("x").code(), 400U);
  EXPECT_EQ(not_found("x").code(), 404U);
  EXPECT_EQ(conflict("x").code(), 409U);
  EXPECT_EQ(gateway_timeout("x").code(), 504U);
}

TEST(ErrorRendering, PlainTextByDefault) {
  const auto res = detail::render_error(not_found("topic does not exist"), false, 11);
  EXPECT_EQ(res.result_int(), 404U);
  EXPECT_EQ(res[boost::beast::http::field::content_type], "text/plain; charset=utf-8");
  EXPECT_EQ(res.body(), "topic does not exist\n");
}

TEST(ErrorRendering, JsonWhenAcceptedWithHeaders) {
  auto error = unavailable("not enough replicas", std::chrono::seconds{2});
  error.with_header("X-Extra", "1");
  const auto res = detail::render_error(error, true, 11);
  EXPECT_EQ(res.result_int(), 503U);
  EXPECT_EQ(res[boost::beast::http::field::content_type], "application/json");
  EXPECT_EQ(res[boost::beast::http::field::retry_after], "2");
  EXPECT_EQ(res["X-Extra"], "1");
  const auto body = nlohmann::json::parse(res.body());
  EXPECT_EQ(body["error"], "not enough replicas");
  EXPECT_EQ(body["status"], 503);
}

TEST(ErrorRendering, InvalidUtf8DoesNotThrow) {
  const auto res = detail::render_error(bad_request("bad \xff name"), true, 11);
  EXPECT_EQ(res.result_int(), 400U);
}

}  // namespace
}  // namespace kok::http
