#include "kok/http/router.hpp"

#include <gtest/gtest.h>

namespace kok::http {
namespace {

Response ok(Request&) { return Response::text(status::ok, "ok"); }

Router sample() {
  Router r;
  r.add(verb::post, "/topic/{t}", "create_topic", ok);
  r.add(verb::get, "/topics", "list_topics", ok);
  r.add(verb::get, "/topics/{t}", "describe_topic", ok);
  r.add(verb::post, "/topics/{t}", "create_topic_json", ok);
  r.add(verb::post, "/topics/{t}/messages", "produce_records", ok);
  r.add(verb::get, "/{t}", "consume_short", ok);
  r.add(verb::get, "/", "root", ok);
  return r;
}

TEST(Router, MatchesLiteralAndParameterRoutes) {
  const auto r = sample();
  EXPECT_EQ(r.match(verb::get, "/topics").route->name, "list_topics");
  const auto m = r.match(verb::post, "/topics/orders/messages");
  EXPECT_EQ(m.route->name, "produce_records");
  ASSERT_EQ(m.params.size(), 1U);
  EXPECT_EQ(m.params[0].first, "t");
  EXPECT_EQ(m.params[0].second, "orders");
  EXPECT_EQ(r.match(verb::get, "/").route->name, "root");
}

TEST(Router, LiteralRouteWinsOverParameterRoute) {
  const auto r = sample();
  EXPECT_EQ(r.match(verb::get, "/topics").route->name, "list_topics");
  EXPECT_EQ(r.match(verb::get, "/orders").route->name, "consume_short");
}

TEST(Router, LiteralWinsRegardlessOfRegistrationOrder) {
  Router r;
  r.add(verb::get, "/{t}", "param", ok);
  r.add(verb::get, "/metrics", "metrics", ok);
  EXPECT_EQ(r.match(verb::get, "/metrics").route->name, "metrics");
  EXPECT_EQ(r.match(verb::get, "/x").route->name, "param");
}

TEST(Router, ParametersArePercentDecoded) {
  const auto r = sample();
  const auto m = r.match(verb::post, "/topic/my%20topic%2Fx");
  EXPECT_EQ(m.params.at(0).second, "my topic/x");
  // Literal segments compare decoded too.
  EXPECT_EQ(r.match(verb::get, "/top%69cs").route->name, "list_topics");
}

TEST(Router, UnknownPathIs404) {
  const auto r = sample();
  try {
    r.match(verb::get, "/topics/a/b/c");
    FAIL() << "expected 404";
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), ErrorStatus::not_found);
  }
  // An empty segment is not a parameter value.
  EXPECT_THROW(r.match(verb::post, "/topic/"), Error);
}

TEST(Router, WrongMethodIs405WithAllow) {
  const auto r = sample();
  try {
    r.match(verb::delete_, "/topics/orders");
    FAIL() << "expected 405";
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), ErrorStatus::method_not_allowed);
    ASSERT_EQ(e.headers().size(), 1U);
    EXPECT_EQ(e.headers()[0].first, "Allow");
    // Both patterns matching the path contribute: GET/POST /topics/{t} and GET /{t} does not match (2 segments).
    EXPECT_EQ(e.headers()[0].second, "GET, POST");
  }
}

TEST(Router, FallsBackToLessSpecificRouteForTheMethod) {
  Router r;
  r.add(verb::get, "/consumer/{t}", "consume", ok);
  r.add(verb::post, "/{a}/{b}", "generic", ok);
  EXPECT_EQ(r.match(verb::post, "/consumer/x").route->name, "generic");
}

TEST(Router, RejectsBadAndDuplicatePatterns) {
  Router r;
  EXPECT_THROW(r.add(verb::get, "topics", "x", ok), std::invalid_argument);
  EXPECT_THROW(r.add(verb::get, "/a//b", "x", ok), std::invalid_argument);
  EXPECT_THROW(r.add(verb::get, "/a/{b", "x", ok), std::invalid_argument);
  r.add(verb::get, "/a/{b}", "x", ok);
  EXPECT_THROW(r.add(verb::get, "/a/{other}", "y", ok), std::invalid_argument);
  EXPECT_NO_THROW(r.add(verb::post, "/a/{other}", "z", ok));
  EXPECT_TRUE(r.contains(verb::get, "/a/{zzz}"));
  EXPECT_FALSE(r.contains(verb::put, "/a/{b}"));
}

TEST(Router, MalformedPathIs400) {
  const auto r = sample();
  try {
    r.match(verb::get, "/bad%zz");
    FAIL() << "expected 400";
  } catch (const Error& e) {
    EXPECT_EQ(e.status(), ErrorStatus::bad_request);
  }
}

}  // namespace
}  // namespace kok::http
