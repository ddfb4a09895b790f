#include "kok/service/spec_routes.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace kok::service {
namespace {

constexpr std::string_view spec = R"(openapi: 3.0.3
paths:
  /things/{topic}:
    parameters: [{$ref: '#/components/parameters/topic'}]
    get:
      operationId: read_thing
      x-service: reader
    post:
      operationId: write_thing
      x-service: writer
  /:
    get:
      operationId: home
      x-service: reader
  /healthz:
    get:
      operationId: healthz
      x-service: each
  /openapi.yaml:
    get:
      operationId: openapi
      x-service: each
)";

http::Response ok(http::Request&) { return http::Response::text(http::status::ok, "ok\n"); }

std::vector<std::string> table(const http::Router& router) {
  std::vector<std::string> rows;
  for (const auto& route : router.routes()) {
    rows.push_back(std::string(boost::beast::http::to_string(route.method)) + " " + route.pattern + " " + route.name);
  }
  return rows;
}

std::string refusal(std::string_view spec_yaml, std::string_view service, std::vector<Operation> operations) {
  try {
    routes_from_spec(spec_yaml, service, std::move(operations));
  } catch (const std::logic_error& e) {
    return e.what();
  }
  return "accepted";
}

TEST(SpecRoutes, RoutesTheServicesOperationsAndTheSpecInTheSpecsOrder) {
  const auto router = routes_from_spec(spec, "reader", {{"home", ok}, {"read_thing", ok}});
  EXPECT_EQ(table(router), (std::vector<std::string>{"GET /things/{topic} read_thing", "GET / home",
                                                     "GET /openapi.yaml openapi"}));
}

TEST(SpecRoutes, AHandlerGetsThePartsItWasBoundWith) {
  struct Parts {
    std::string greeting;
  } parts{"hello"};
  const auto greet = [](Parts& p, http::Request&) { return http::Response::text(http::status::ok, p.greeting); };
  const auto router = routes_from_spec(spec, "writer", {{"write_thing", with(parts, greet)}});
  const auto match = router.match(http::verb::post, "/things/a");
  ASSERT_EQ(match.route->name, "write_thing");
  EXPECT_EQ(match.params, (http::Params{{"topic", "a"}}));
  http::Request request(http::BeastRequest{http::verb::post, "/things/a", 11}, {}, "test");
  boost::asio::io_context io;
  auto answer = boost::asio::co_spawn(io, match.route->handler(request), boost::asio::use_future);
  io.run();
  EXPECT_EQ(answer.get().message().body(), "hello");
}

TEST(SpecRoutes, EveryMismatchIsNamed) {
  EXPECT_EQ(refusal(spec, "reader", {{"read_thing", ok}, {"write_thing", ok}, {"gone", ok}}),
            "the reader's routes and its API spec disagree: GET / (home) has no handler; "
            "handler write_thing has no operation of the reader; handler gone has no operation of the reader");
}

TEST(SpecRoutes, AnOperationWithoutIdOrServiceIsRefused) {
  constexpr std::string_view unnamed = R"(paths:
  /a:
    get:
      summary: no id
  /b:
    post:
      operationId: b
)";
  EXPECT_EQ(refusal(unnamed, "reader", {}),
            "the reader's routes and its API spec disagree: GET /a has no operationId or no x-service; "
            "POST /b has no operationId or no x-service; handler openapi has no operation of the reader");
}

TEST(SpecRoutes, TheServersOwnRoutesMustBeWhereTheServerAnswers) {
  constexpr std::string_view moved = R"(paths:
  /health:
    get:
      operationId: healthz
      x-service: each
  /openapi.yaml:
    get:
      operationId: openapi
      x-service: each
)";
  EXPECT_EQ(refusal(moved, "reader", {}),
            "the reader's routes and its API spec disagree: GET /health (healthz): the server answers healthz at "
            "GET /healthz");
}

TEST(SpecRoutes, APlaceholderSpecRoutesNothingAndIsRefused) {
  EXPECT_EQ(refusal("placeholder\n", "reader", {{"home", ok}}),
            "the reader's routes and its API spec disagree: the spec has no paths: map; handler home has no "
            "operation of the reader; handler openapi has no operation of the reader");
  EXPECT_EQ(refusal("paths: [unclosed\n", "reader", {}),
            "the reader's routes and its API spec disagree: the spec is not YAML (yaml-cpp: error at line 2, column 1: "
            "end of sequence flow not found); handler openapi has no operation of the reader");
}

TEST(SpecRoutes, TheEmbeddedSpecServesItself) {
  const auto router = routes_from_spec("nobody", {});
  EXPECT_EQ(table(router), (std::vector<std::string>{"GET /openapi.yaml openapi"}));
}

}  // namespace
}  // namespace kok::service
