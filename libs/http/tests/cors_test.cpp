// CorsPolicy: the headers for a configuration and a request, as whole lists.
#include <gtest/gtest.h>

#include <stdexcept>

#include "kok/http/cors.hpp"

namespace kok::http {
namespace {

using verb = boost::beast::http::verb;
using H = CorsPolicy::Headers;

const CorsPolicy listed({"https://app.example", "http://localhost:5173"});
const CorsPolicy any({"*"});
const CorsPolicy off;

TEST(Cors, ParseTrimsAndRefusesWhatIsNoOrigin) {
  EXPECT_EQ(CorsPolicy::parse(" https://a.example , http://localhost:5173,"),
            (std::vector<std::string>{"https://a.example", "http://localhost:5173"}));
  EXPECT_EQ(CorsPolicy::parse("*"), std::vector<std::string>{"*"});
  EXPECT_TRUE(CorsPolicy::parse("").empty());
  EXPECT_THROW(CorsPolicy::parse("https://a.example/"), std::invalid_argument);  // a browser's Origin has no path
  EXPECT_THROW(CorsPolicy::parse("a.example"), std::invalid_argument);
  EXPECT_THROW(CorsPolicy::parse("*, https://a.example"), std::invalid_argument);
}

TEST(Cors, OffAddsNothingAndSeesNoPreflight) {
  EXPECT_FALSE(off.enabled());
  EXPECT_EQ(off.response_headers("https://app.example"), H{});
  EXPECT_FALSE(off.is_preflight(verb::options, "https://app.example", "GET"));
}

TEST(Cors, AllowedOriginIsEchoedWithExposedHeadersAndVary) {
  EXPECT_EQ(listed.response_headers("https://app.example"),
            (H{{"Access-Control-Allow-Origin", "https://app.example"},
               {"Access-Control-Expose-Headers", "Retry-After, Idempotency-Replayed, X-Request-Id"},
               {"Vary", "Origin"}}));
  // Scheme and host compare without case.
  EXPECT_EQ(listed.response_headers("HTTPS://APP.EXAMPLE").front().second, "HTTPS://APP.EXAMPLE");
}

TEST(Cors, RefusedOrMissingOriginGetsOnlyVary) {
  EXPECT_EQ(listed.response_headers("https://evil.example"), (H{{"Vary", "Origin"}}));
  EXPECT_EQ(listed.response_headers("https://app.example.evil"), (H{{"Vary", "Origin"}}));
  EXPECT_EQ(listed.response_headers(std::nullopt), (H{{"Vary", "Origin"}}));
}

TEST(Cors, StarAnswersStarAndDoesNotVary) {
  EXPECT_EQ(any.response_headers("https://whoever.example"),
            (H{{"Access-Control-Allow-Origin", "*"},
               {"Access-Control-Expose-Headers", "Retry-After, Idempotency-Replayed, X-Request-Id"}}));
  EXPECT_EQ(any.response_headers(std::nullopt), H{});
}

TEST(Cors, PreflightNeedsOptionsOriginAndRequestMethod) {
  EXPECT_TRUE(listed.is_preflight(verb::options, "https://evil.example", "GET"));  // a preflight, refused later
  EXPECT_FALSE(listed.is_preflight(verb::options, std::nullopt, "GET"));
  EXPECT_FALSE(listed.is_preflight(verb::options, "https://app.example", std::nullopt));
  EXPECT_FALSE(listed.is_preflight(verb::get, "https://app.example", "GET"));
}

TEST(Cors, PreflightListsTheRoutesMethodsAndEchoesKnownHeaders) {
  const auto headers = listed.preflight_headers("https://app.example", {verb::post, verb::get, verb::delete_},
                                                "content-type, idempotency-key, x-custom");
  ASSERT_TRUE(headers);
  EXPECT_EQ(*headers, (H{{"Access-Control-Allow-Origin", "https://app.example"},
                         {"Access-Control-Allow-Methods", "POST, GET, DELETE"},
                         {"Access-Control-Allow-Headers", "content-type, idempotency-key"},
                         {"Access-Control-Max-Age", "600"},
                         {"Vary", "Origin"}}));
}

TEST(Cors, PreflightWithoutRequestedHeadersOrFromStar) {
  EXPECT_EQ(*any.preflight_headers("https://x.example", {verb::get}, std::nullopt),
            (H{{"Access-Control-Allow-Origin", "*"},
               {"Access-Control-Allow-Methods", "GET"},
               {"Access-Control-Max-Age", "600"}}));
  EXPECT_EQ(*any.preflight_headers("https://x.example", {verb::get}, "Last-Event-ID,Accept,X-Kafka-Key"),
            (H{{"Access-Control-Allow-Origin", "*"},
               {"Access-Control-Allow-Methods", "GET"},
               {"Access-Control-Allow-Headers", "Last-Event-ID, Accept, X-Kafka-Key"},
               {"Access-Control-Max-Age", "600"}}));
}

TEST(Cors, PreflightFromARefusedOriginIsNotAnswered) {
  EXPECT_FALSE(listed.preflight_headers("https://evil.example", {verb::get}, std::nullopt));
  EXPECT_FALSE(off.preflight_headers("https://app.example", {verb::get}, std::nullopt));
}

}  // namespace
}  // namespace kok::http
