// CORS through the real server over real sockets: preflights and the headers of every kind of answer, compared whole.
#include <gtest/gtest.h>

#include <algorithm>

#include "kok/http/http.hpp"
#include "test_server.hpp"

namespace kok::http {
namespace {

using namespace std::chrono_literals;
using testing::RunningServer;
using testing::test_config;
using Headers = test_support::Headers;

const std::string app = "https://app.example";
const std::string exposed = "Retry-After, Idempotency-Replayed, X-Request-Id";

Response text(Request& req) { return Response::text(status::ok, "topic " + req.param("t") + "\n"); }
Response gone(Request&) { throw unavailable("kafka unreachable", 2s); }

boost::asio::awaitable<void> one_event(EventStream& stream) {
  Event e;
  e.id = "1";
  e.data = "hello";
  co_await stream.send(e);
}

Router routes() {
  Router r;
  r.add(verb::get, "/topics/{t}", "get", text);
  r.add(verb::post, "/topics/{t}", "post", text);
  r.add(verb::delete_, "/topics/{t}", "delete", text);
  r.add(verb::get, "/down", "down", gone);
  r.add(verb::get, "/events", "events", [](Request&) { return Response::event_stream(one_event); });
  return r;
}

ServerConfig with_origins(std::vector<std::string> origins) {
  auto config = test_config();
  config.cors_origins = std::move(origins);
  return config;
}

Headers sorted(Headers h) {
  std::sort(h.begin(), h.end());
  return h;
}

Headers preflight_request(const std::string& origin, const std::string& method, const std::string& headers = "") {
  Headers h{{"Origin", origin}, {"Access-Control-Request-Method", method}, {"X-Request-Id", "cors-1"}};
  if (!headers.empty()) h.emplace_back("Access-Control-Request-Headers", headers);
  return h;
}

TEST(CorsServer, PreflightFromAnAllowedOriginListsThePathsMethods) {
  RunningServer s(with_origins({app}), routes());
  auto c = s.client();
  const auto res = c.request("OPTIONS", "/topics/orders", {},
                             preflight_request(app, "DELETE", "content-type,idempotency-key,x-evil"));
  EXPECT_EQ(res.status, 204U);
  EXPECT_EQ(sorted(res.headers), sorted({{"Access-Control-Allow-Origin", app},
                                         {"Access-Control-Allow-Methods", "GET, POST, DELETE"},
                                         {"Access-Control-Allow-Headers", "content-type, idempotency-key"},
                                         {"Access-Control-Max-Age", "600"},
                                         {"Content-Length", "0"},
                                         {"Vary", "Origin"},
                                         {"X-Request-Id", "cors-1"}}));
  EXPECT_EQ(res.body, "");
  // The built-in routes are answered too.
  const auto health = c.request("OPTIONS", "/healthz", {}, preflight_request(app, "GET"));
  EXPECT_EQ(health.status, 204U);
  EXPECT_EQ(health.header("Access-Control-Allow-Methods"), "GET");
}

TEST(CorsServer, PreflightFromARefusedOriginOrWithCorsOffIsA405) {
  const Headers not_cors{{"Allow", "GET, POST, DELETE"},
                         {"Content-Type", "text/plain; charset=utf-8"},
                         {"Content-Length", "47"},
                         {"X-Request-Id", "cors-1"}};
  {
    RunningServer s(with_origins({app}), routes());
    auto c = s.client();
    const auto res = c.request("OPTIONS", "/topics/orders", {}, preflight_request("https://evil.example", "GET"));
    EXPECT_EQ(res.status, 405U);
    auto expected = not_cors;
    expected.emplace_back("Vary", "Origin");
    EXPECT_EQ(sorted(res.headers), sorted(expected));
    EXPECT_EQ(res.body, "method not allowed; allowed: GET, POST, DELETE\n");
  }
  {
    RunningServer s(test_config(), routes());
    auto c = s.client();
    const auto res = c.request("OPTIONS", "/topics/orders", {}, preflight_request(app, "GET"));
    EXPECT_EQ(res.status, 405U);
    EXPECT_EQ(sorted(res.headers), sorted(not_cors));
  }
}

TEST(CorsServer, PreflightOfAPathNothingServesIs404) {
  RunningServer s(with_origins({"*"}), routes());
  auto c = s.client();
  const auto res = c.request("OPTIONS", "/nothing/here", {}, preflight_request(app, "GET"));
  EXPECT_EQ(res.status, 404U);
  EXPECT_EQ(res.header("Access-Control-Allow-Origin"), "*");  // the browser may read why
}

TEST(CorsServer, TextErrorAndStreamAnswersCarryTheOriginAndExposedHeaders) {
  RunningServer s(with_origins({app, "http://localhost:5173"}), routes());
  auto c = s.client();
  const Headers from_app{{"Origin", app}, {"X-Request-Id", "cors-1"}};
  const auto ok = c.get("/topics/orders", from_app);
  EXPECT_EQ(ok.status, 200U);
  EXPECT_EQ(sorted(ok.headers), sorted({{"Access-Control-Allow-Origin", app},
                                        {"Access-Control-Expose-Headers", exposed},
                                        {"Vary", "Origin"},
                                        {"Content-Type", "text/plain; charset=utf-8"},
                                        {"Content-Length", "13"},
                                        {"X-Request-Id", "cors-1"}}));
  const auto error = c.get("/down", from_app);
  EXPECT_EQ(error.status, 503U);
  EXPECT_EQ(sorted(error.headers), sorted({{"Access-Control-Allow-Origin", app},
                                           {"Access-Control-Expose-Headers", exposed},
                                           {"Vary", "Origin"},
                                           {"Retry-After", "2"},
                                           {"Content-Type", "text/plain; charset=utf-8"},
                                           {"Content-Length", "18"},
                                           {"X-Request-Id", "cors-1"}}));
  test_support::HttpResponse head;
  const auto events = c.read_events("/events", 1, from_app, &head);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(sorted(head.headers), sorted({{"Access-Control-Allow-Origin", app},
                                          {"Access-Control-Expose-Headers", exposed},
                                          {"Vary", "Origin"},
                                          {"Content-Type", "text/event-stream"},
                                          {"Cache-Control", "no-cache"},
                                          {"X-Accel-Buffering", "no"},
                                          {"Transfer-Encoding", "chunked"},
                                          {"X-Request-Id", "cors-1"}}));
}

TEST(CorsServer, ARefusedOriginGetsNoCorsHeaders) {
  RunningServer s(with_origins({app}), routes());
  auto c = s.client();
  const auto res = c.get("/topics/orders", {{"Origin", "https://evil.example"}, {"X-Request-Id", "cors-1"}});
  EXPECT_EQ(res.status, 200U);  // the server answers; the browser keeps the answer from the script
  EXPECT_EQ(sorted(res.headers), sorted({{"Vary", "Origin"},
                                         {"Content-Type", "text/plain; charset=utf-8"},
                                         {"Content-Length", "13"},
                                         {"X-Request-Id", "cors-1"}}));
}

TEST(CorsServer, OffByDefault) {
  RunningServer s(test_config(), routes());
  auto c = s.client();
  const auto res = c.get("/topics/orders", {{"Origin", app}, {"X-Request-Id", "cors-1"}});
  EXPECT_EQ(sorted(res.headers), sorted({{"Content-Type", "text/plain; charset=utf-8"},
                                         {"Content-Length", "13"},
                                         {"X-Request-Id", "cors-1"}}));
}

}  // namespace
}  // namespace kok::http
