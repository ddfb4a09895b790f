// The real server on an ephemeral port, driven over real sockets.
#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <future>
#include <thread>

#include "kok/http/http.hpp"
#include "test_server.hpp"

namespace kok::http {
namespace {

namespace asio = boost::asio;
using namespace std::chrono_literals;
using testing::RunningServer;
using testing::test_config;

Response echo(Request& req) {
  auto res = Response::text(status::ok, std::string(req.method_string()) + " " + req.body());
  res.header("X-Route", req.route_name());
  return res;
}

Response topic(Request& req) { return Response::text(status::ok, "topic " + req.param("t")); }

Response boom(Request&) { throw std::runtime_error("kaboom"); }

Response kafka_down(Request&) { throw unavailable("kafka unreachable", 2s); }

// Waits on a plain timer (not sleep_for, which shutdown cuts short): models a request still in flight.
asio::awaitable<Response> slow(Request&) {
  asio::steady_timer timer(co_await asio::this_coro::executor, 600ms);
  co_await timer.async_wait(asio::use_awaitable);
  co_return Response::text(status::ok, "slow done");
}

// Long-poll: waits without holding a thread, answers early on shutdown.
asio::awaitable<Response> long_poll(Request& req) {
  const bool full = co_await req.sleep_for(300ms);
  co_return Response::text(status::ok, full ? "waited" : "interrupted");
}

asio::awaitable<void> send_three(EventStream& stream) {
  for (int i = 1; i <= 3; ++i) {
    Event e;
    e.id = std::to_string(i);
    e.data = "event " + std::to_string(i);
    if (!co_await stream.send(e)) break;
  }
}

Response three_events(Request&) { return Response::event_stream(send_three); }

// Streams until the client goes away or the server shuts down.
asio::awaitable<void> send_ticks(EventStream& stream) {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (int i = 0; !stream.stopping(); ++i) {
    Event e;
    e.id = std::to_string(i);
    e.data = "tick";
    if (!co_await stream.send(e)) break;
    timer.expires_after(20ms);
    boost::system::error_code ec;
    const Interruption::Wait wait{stream.interruption()};
    co_await timer.async_wait(asio::bind_cancellation_slot(wait.slot(), asio::redirect_error(asio::use_awaitable, ec)));
  }
}

Response endless_events(Request&) { return Response::event_stream(send_ticks); }

// Ignores shutdown: only the drain timeout ends it.
asio::awaitable<Response> slow_forever() {
  asio::steady_timer timer(co_await asio::this_coro::executor, 60s);
  boost::system::error_code ec;
  co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  co_return Response::text(status::ok, "never");
}

Router test_router() {
  Router r;
  r.add(verb::post, "/echo", "echo", echo);
  r.add(verb::get, "/echo", "echo_get", echo);
  r.add(verb::post, "/topic/{t}", "topic", topic);
  r.add(verb::get, "/boom", "boom", boom);
  r.add(verb::get, "/down", "down", kafka_down);
  r.add(verb::get, "/slow", "slow", slow);
  r.add(verb::post, "/slow", "slow_post", slow);
  r.add(verb::get, "/poll", "poll", long_poll);
  r.add(verb::get, "/events", "events", three_events);
  r.add(verb::get, "/endless", "endless", endless_events);
  return r;
}

TEST(Server, KeepAliveReusesTheConnection) {
  RunningServer s(test_config(), test_router());
  auto c = s.client();
  for (int i = 0; i < 5; ++i) {
    const auto res = c.post("/echo", "hello");
    EXPECT_EQ(res.status, 200U);
    EXPECT_EQ(res.body, "POST hello");
    EXPECT_TRUE(res.keep_alive);
    EXPECT_EQ(res.header("X-Route"), "echo");
  }
  EXPECT_EQ(c.connections_opened(), 1U);
}

TEST(Server, PathParamsArePercentDecoded) {
  RunningServer s(test_config(), test_router());
  auto c = s.client();
  EXPECT_EQ(c.post("/topic/a%20b", "").body, "topic a b");
}

TEST(Server, PipelinedRequestsAreAnsweredInOrder) {
  RunningServer s(test_config(), test_router());
  auto c = s.client();
  c.send_raw("GET /echo HTTP/1.1\r\nHost: x\r\n\r\nPOST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhi");
  EXPECT_EQ(c.read_response().body, "GET ");
  EXPECT_EQ(c.read_response().body, "POST hi");
}

TEST(Server, Http10ClosesUnlessKeepAlive) {
  RunningServer s(test_config(), test_router());
  auto c = s.client();
  const auto res = c.request("GET", "/echo", {}, {}, 10);
  EXPECT_EQ(res.status, 200U);
  EXPECT_EQ(res.version, 10U);
  EXPECT_FALSE(res.keep_alive);
  EXPECT_FALSE(c.is_open());
  const auto kept = c.request("GET", "/echo", {}, {{"Connection", "keep-alive"}}, 10);
  EXPECT_TRUE(kept.keep_alive);
  EXPECT_TRUE(c.is_open());
}

TEST(Server, BodyOverLimitIs413) {
  auto config = test_config();
  config.body_limit = 1024;
  RunningServer s(config, test_router());
  auto c = s.client();
  const auto res = c.post("/echo", std::string(4096, 'x'));
  EXPECT_EQ(res.status, 413U);
  EXPECT_NE(res.body.find("1024 bytes"), std::string::npos);
  EXPECT_FALSE(res.keep_alive);
  // Exactly at the limit is fine.
  auto c2 = s.client();
  EXPECT_EQ(c2.post("/echo", std::string(1024, 'x')).status, 200U);
}

// Bodies held at once are bounded for the whole server: a request that would go over is refused before its body is
// read; once the first request is done, its share is free again.
TEST(Server, BodiesBeyondTheMemoryBudgetAre503BeforeBeingRead) {
  auto config = test_config();
  config.body_memory = 1000;
  RunningServer s(config, test_router());
  std::thread first([&] { EXPECT_EQ(s.client().post("/slow", std::string(800, 'a')).status, 200U); });
  std::this_thread::sleep_for(200ms);  // the first body is held by its (600 ms) handler
  auto c = s.client();
  const auto refused = c.post("/echo", std::string(800, 'b'));
  EXPECT_EQ(refused.status, 503U);
  EXPECT_EQ(refused.body, "too many request bodies in memory at once (1000 bytes); retry later\n");
  EXPECT_EQ(refused.header("Retry-After"), "1");
  EXPECT_FALSE(refused.keep_alive);
  EXPECT_EQ(s.client().post("/echo", std::string(150, 'c')).status, 200U);  // what is left still serves
  first.join();
  EXPECT_EQ(s.client().post("/echo", std::string(800, 'd')).status, 200U);
}

TEST(Server, ChunkedBodyOverLimitIs413) {
  auto config = test_config();
  config.body_limit = 100;
  RunningServer s(config, test_router());
  auto c = s.client();
  c.send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n80\r\n" + std::string(128, 'y') +
             "\r\n0\r\n\r\n");
  EXPECT_EQ(c.read_response().status, 413U);
}

TEST(Server, ExpectContinueGetsGoAheadOr413) {
  auto config = test_config();
  config.body_limit = 100;
  RunningServer s(config, test_router());
  {
    auto c = s.client();
    c.send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
    EXPECT_EQ(c.read_response().status, 100U);
    c.send_raw("hello");
    EXPECT_EQ(c.read_response().body, "POST hello");
  }
  {
    auto c = s.client();
    c.send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5000\r\n\r\n");
    EXPECT_EQ(c.read_response().status, 413U);
  }
}

TEST(Server, MalformedRequestIs400AndClosed) {
  RunningServer s(test_config(), test_router());
  auto c = s.client();
  c.send_raw("THIS IS NOT HTTP\r\n\r\n");
  const auto raw = c.read_until_closed(3s);
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->rfind("HTTP/1.1 400", 0), 0U) << *raw;
  // The server is still fine.
  EXPECT_EQ(s.client().get("/echo").status, 200U);
}

TEST(Server, OversizedHeadersAre431) {
  auto config = test_config();
  config.header_limit = 512;
  RunningServer s(config, test_router());
  auto c = s.client();
  const auto res = c.get("/echo", {{"X-Big", std::string(2000, 'h')}});
  EXPECT_EQ(res.status, 431U);
}

TEST(Server, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  RunningServer s(test_config(), test_router());
  auto c = s.client();
  EXPECT_EQ(c.get("/nope").status, 404U);
  const auto res = c.request("DELETE", "/echo");
  EXPECT_EQ(res.status, 405U);
  EXPECT_EQ(res.header("Allow"), "POST, GET");
  EXPECT_TRUE(res.keep_alive);  // an error answer does not cost the connection
}

TEST(Server, ErrorsAreJsonWhenAccepted) {
  RunningServer s(test_config(), test_router());
  auto c = s.client();
  const auto text = c.get("/down");
  EXPECT_EQ(text.status, 503U);
  EXPECT_EQ(text.header("Retry-After"), "2");
  EXPECT_EQ(text.body, "kafka unreachable\n");
  const auto json = c.get("/down", {{"Accept", "application/json"}});
  EXPECT_EQ(json.header("Content-Type"), "application/json");
  EXPECT_EQ(json.body, R"({"error":"kafka unreachable","status":503})");
}

TEST(Server, UnexpectedExceptionIs500) {
  RunningServer s(test_config(), test_router());
  auto c = s.client();
  const auto res = c.get("/boom");
  EXPECT_EQ(res.status, 500U);
  EXPECT_EQ(res.body, "internal server error\n");  // no internals leak to the client
  EXPECT_EQ(c.get("/echo").status, 200U);
}

TEST(Server, RequestIdIsEchoedOrGenerated) {
  RunningServer s(test_config(), test_router());
  auto c = s.client();
  EXPECT_EQ(c.get("/echo", {{"X-Request-Id", "abc-123"}}).header("X-Request-Id"), "abc-123");
  const auto generated = c.get("/echo").header("X-Request-Id");
  EXPECT_EQ(generated.size(), 16U);
  // Unsafe ids are replaced, not echoed.
  const auto replaced = c.get("/echo", {{"X-Request-Id", "a b\"c"}}).header("X-Request-Id");
  EXPECT_EQ(replaced.size(), 16U);
  EXPECT_EQ(c.get("/nope").header("X-Request-Id").size(), 16U);
}

TEST(Server, StalledRequestGets408) {
  auto config = test_config();
  config.read_timeout = 300ms;
  RunningServer s(config, test_router());
  auto c = s.client();
  c.send_raw("GET /echo HTTP/1.1\r\nHost: x\r\n");  // headers never finished
  const auto raw = c.read_until_closed(3s);
  ASSERT_TRUE(raw) << "server kept a stalled client";
  EXPECT_EQ(raw->rfind("HTTP/1.1 408", 0), 0U) << *raw;
}

TEST(Server, SlowlorisCannotExtendTheDeadline) {
  auto config = test_config();
  config.read_timeout = 400ms;
  RunningServer s(config, test_router());
  auto c = s.client();
  const auto started = std::chrono::steady_clock::now();
  c.send_raw("GET /echo HTTP/1.1\r\n");
  bool closed = false;
  for (int i = 0; i < 30 && !closed; ++i) {
    std::this_thread::sleep_for(50ms);
    try {
      c.send_raw("X-A: b\r\n");
    } catch (const std::exception&) {
      closed = true;
    }
  }
  if (!closed) closed = c.read_until_closed(3s).has_value();
  EXPECT_TRUE(closed);
  // Enforced deadline: 408 at ~0.4 s, then the server lingers (reading and discarding) at most 2 s → closed by ~2.4 s.
  // A deadline restarted by each byte would fire only after the 1.5 s trickle (~1.9 s) and close at ~3.9 s.
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3200ms);
}

TEST(Server, IdleKeepAliveConnectionIsClosed) {
  auto config = test_config();
  config.idle_timeout = 200ms;
  RunningServer s(config, test_router());
  auto c = s.client();
  EXPECT_EQ(c.get("/echo").status, 200U);
  const auto raw = c.read_until_closed(3s);
  ASSERT_TRUE(raw);
  EXPECT_TRUE(raw->empty());
  // The client reconnects transparently.
  EXPECT_EQ(c.get("/echo").status, 200U);
}

TEST(Server, StalledClientsDoNotBlockOthers) {
  auto config = test_config();
  config.threads = 1;
  RunningServer s(config, test_router());
  std::vector<test_support::HttpClient> stalled;
  for (int i = 0; i < 20; ++i) {
    stalled.push_back(s.client());
    stalled.back().send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\npartial");
  }
  auto c = s.client();
  EXPECT_EQ(c.get("/echo").status, 200U);
}

TEST(Server, TooManyConnectionsAre503) {
  auto config = test_config();
  config.max_connections = 2;
  RunningServer s(config, test_router());
  auto a = s.client();
  auto b = s.client();
  EXPECT_EQ(a.get("/echo").status, 200U);
  EXPECT_EQ(b.get("/echo").status, 200U);
  auto c = s.client();
  c.connect();
  const auto raw = c.read_until_closed(3s);
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->rfind("HTTP/1.1 503", 0), 0U) << *raw;
  a.close();
  // Once a slot is free, new connections are served again.
  bool served = false;
  for (int i = 0; i < 50 && !served; ++i) {
    auto d = s.client();
    try {
      served = d.get("/echo").status == 200U;
    } catch (const std::exception&) {
    }
    if (!served) std::this_thread::sleep_for(20ms);
  }
  EXPECT_TRUE(served);
}

TEST(Server, LongPollDoesNotHoldAThread) {
  auto config = test_config();
  config.threads = 1;
  RunningServer s(config, test_router());
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::future<unsigned>> results;
  for (int i = 0; i < 20; ++i) {
    results.push_back(std::async(std::launch::async, [port = s.port()] {
      test_support::HttpClient c("127.0.0.1", port);
      return c.get("/poll").status;
    }));
  }
  for (auto& r : results) EXPECT_EQ(r.get(), 200U);
  // 20 waits of 300 ms on one thread: concurrent, not serial (which would take 6 s).
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
}

TEST(Server, BuiltinHealthReadinessAndMetrics) {
  std::atomic<bool> ready{false};
  RunningServer s(test_config(), test_router(),
                  [&ready] { return ready ? Readiness::ok() : Readiness::not_ready("kafka not reachable"); });
  auto c = s.client();
  EXPECT_EQ(c.get("/healthz").status, 200U);
  const auto not_ready = c.get("/readyz");
  EXPECT_EQ(not_ready.status, 503U);
  EXPECT_EQ(not_ready.body, "kafka not reachable\n");
  ready = true;
  EXPECT_EQ(c.get("/readyz").status, 200U);
  EXPECT_EQ(c.post("/echo", "x").status, 200U);
  const auto metrics = c.get("/metrics");
  EXPECT_EQ(metrics.status, 200U);
  EXPECT_EQ(metrics.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_NE(metrics.body.find("http_requests_total{route=\"echo\",status=\"200\"} 1\n"), std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("http_requests_total{route=\"readyz\",status=\"503\"} 1\n"), std::string::npos);
  EXPECT_NE(metrics.body.find("http_request_duration_seconds_count{route=\"echo\"} 1\n"), std::string::npos);
  EXPECT_NE(metrics.body.find("http_open_connections 1\n"), std::string::npos);
  EXPECT_NE(metrics.body.find("http_requests_in_flight 1\n"), std::string::npos);  // the /metrics request itself
}

TEST(Server, ServiceMetricsShareTheRegistry) {
  auto registry = std::make_shared<metrics::Registry>();
  registry->counter("messages_produced_total", "Messages.").get().inc(5);
  boost::asio::io_context io;
  Server server(io, test_config(), test_router(), registry);
  server.listen();
  std::thread t([&server] { server.run(); });
  test_support::HttpClient c("127.0.0.1", server.port());
  EXPECT_NE(c.get("/metrics").body.find("messages_produced_total 5\n"), std::string::npos);
  server.stop();
  t.join();
}

TEST(Server, WrittenCallbackReportsSuccess) {
  std::promise<bool> written;
  Router r;
  r.add(verb::get, "/w", "w", [&written](Request&) {
    return Response::text(status::ok, "payload").on_written([&written](bool ok) { written.set_value(ok); });
  });
  RunningServer s(test_config(), std::move(r));
  auto c = s.client();
  EXPECT_EQ(c.get("/w").body, "payload");
  auto f = written.get_future();
  ASSERT_EQ(f.wait_for(3s), std::future_status::ready);
  EXPECT_TRUE(f.get());
}

// Answers with a large body after a delay, by which time the client is gone: the write fails.
asio::awaitable<Response> big_after_delay(Request&, std::promise<bool>* written) {
  asio::steady_timer timer(co_await asio::this_coro::executor, 300ms);
  co_await timer.async_wait(asio::use_awaitable);
  auto res = Response::text(status::ok, std::string(32 * 1024 * 1024, 'z'));
  res.on_written([written](bool ok) { written->set_value(ok); });
  co_return res;
}

TEST(Server, WrittenCallbackReportsFailureWhenClientIsGone) {
  std::promise<bool> written;
  Router r;
  // The lambda is not a coroutine (it returns the coroutine's awaitable), so capturing is fine.
  r.add(verb::get, "/w", "w", [&written](Request& req) { return big_after_delay(req, &written); });
  auto config = test_config();
  config.write_timeout = 2s;
  RunningServer s(config, std::move(r));
  {
    auto c = s.client();
    c.send_raw("GET /w HTTP/1.1\r\nHost: x\r\n\r\n");
    c.close();
  }
  auto f = written.get_future();
  ASSERT_EQ(f.wait_for(5s), std::future_status::ready);
  EXPECT_FALSE(f.get());
}

TEST(Server, ServerSentEventsAreStreamed) {
  RunningServer s(test_config(), test_router());
  auto c = s.client();
  test_support::HttpResponse head;
  const auto events = c.read_events("/events", 10, {{"X-Request-Id", "sse-1"}}, &head);
  EXPECT_EQ(head.status, 200U);
  EXPECT_EQ(head.header("Content-Type"), "text/event-stream");
  EXPECT_EQ(head.header("X-Request-Id"), "sse-1");
  EXPECT_EQ(head.header("Transfer-Encoding"), "chunked");
  ASSERT_EQ(events.size(), 3U);  // the handler ended the stream after three
  EXPECT_EQ(events[0].id, "1");
  EXPECT_EQ(events[2].data, "event 3");
}

TEST(Server, StreamEndsCleanlyAndConnectionIsReusable) {
  RunningServer s(test_config(), test_router());
  auto c = s.client();
  c.send_raw("GET /events HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto stream = c.read_response();  // the chunked body ends with the stream
  EXPECT_NE(stream.body.find("data: event 3\n\n"), std::string::npos);
  EXPECT_TRUE(stream.keep_alive);
  c.send_raw("GET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(c.read_response().status, 200U);
}

// A client that closes its connection while its request waits: the wait ends at once, the handler learns that the
// client is gone, and the answer is never written (so a message taken for it could be handed to someone else).
TEST(Server, ClientThatLeavesInterruptsItsRequest) {
  std::promise<bool> gone;
  std::promise<bool> written;
  std::atomic<long long> waited_ms{-1};
  Router r;
  r.add(verb::get, "/wait", "wait", [&](Request& req) -> asio::awaitable<Response> {
    const auto started = std::chrono::steady_clock::now();
    const bool full = co_await req.sleep_for(10s);
    waited_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
    gone.set_value(!full && req.client_gone());
    co_return Response::text(status::ok, "late").on_written([&written](bool ok) { written.set_value(ok); });
  });
  RunningServer s(test_config(), std::move(r));
  {
    auto c = s.client();
    c.send_raw("GET /wait HTTP/1.1\r\nHost: x\r\n\r\n");
    std::this_thread::sleep_for(200ms);
  }  // the client closes its socket
  auto g = gone.get_future();
  ASSERT_EQ(g.wait_for(3s), std::future_status::ready);
  EXPECT_TRUE(g.get());
  EXPECT_LT(waited_ms.load(), 2000);
  auto w = written.get_future();
  ASSERT_EQ(w.wait_for(3s), std::future_status::ready);
  EXPECT_FALSE(w.get());
}

// Pipelined requests are not mistaken for a client that left: the data that wakes the watch is the next request.
TEST(Server, PipelinedRequestDoesNotInterruptTheOneInHand) {
  RunningServer s(test_config(), test_router());
  auto c = s.client();
  c.send_raw("GET /poll HTTP/1.1\r\nHost: x\r\n\r\nGET /echo HTTP/1.1\r\nHost: x\r\n\r\n");
  const auto first = c.read_response();
  EXPECT_EQ(first.body, "waited");
  EXPECT_EQ(c.read_response().status, 200U);
}

TEST(Server, Http10StreamIsCloseDelimited) {
  RunningServer s(test_config(), test_router());
  auto c = s.client();
  c.send_raw("GET /events HTTP/1.0\r\nHost: x\r\n\r\n");
  const auto raw = c.read_until_closed(3s);
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->rfind("HTTP/1.0 200", 0), 0U);
  EXPECT_EQ(raw->find("chunked"), std::string::npos);
  EXPECT_NE(raw->find("data: event 3\n\n"), std::string::npos);
}

TEST(Server, StreamNoticesClientGone) {
  RunningServer s(test_config(), test_router());
  {
    auto c = s.client();
    EXPECT_EQ(c.read_events("/endless", 3).size(), 3U);
  }
  // The handler saw its write fail and returned: the session is gone.
  for (int i = 0; i < 100; ++i) {
    const auto metrics = s.client().get("/metrics").body;
    if (metrics.find("http_requests_total{route=\"endless\",status=\"200\"} 1") != std::string::npos) return;
    std::this_thread::sleep_for(20ms);
  }
  FAIL() << "stream handler did not finish after the client left";
}

TEST(Server, GracefulShutdownFinishesInFlightRequest) {
  RunningServer s(test_config(), test_router());
  auto slow_result = std::async(std::launch::async, [port = s.port()] {
    test_support::HttpClient c("127.0.0.1", port);
    return c.get("/slow");
  });
  auto idle = s.client();
  EXPECT_EQ(idle.get("/echo").status, 200U);  // an idle keep-alive connection, closed by the shutdown
  std::this_thread::sleep_for(200ms);         // the slow request is now in flight
  const auto started = std::chrono::steady_clock::now();
  s.stop();
  const auto res = slow_result.get();
  EXPECT_EQ(res.status, 200U);
  EXPECT_EQ(res.body, "slow done");
  EXPECT_FALSE(res.keep_alive);  // told to go away
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  // No new connections are accepted.
  auto late = s.client(500ms);
  EXPECT_THROW(late.get("/echo"), std::exception);
}

TEST(Server, ShutdownEndsStreamsAndLongPolls) {
  RunningServer s(test_config(), test_router());
  auto stream_done = std::async(std::launch::async, [port = s.port()] {
    test_support::HttpClient c("127.0.0.1", port);
    return c.read_events("/endless", 1000000).size();
  });
  std::this_thread::sleep_for(200ms);
  const auto started = std::chrono::steady_clock::now();
  s.stop();
  EXPECT_GT(stream_done.get(), 0U);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
}

TEST(Server, DrainTimeoutBoundsShutdown) {
  auto config = test_config();
  config.drain_timeout = 200ms;
  Router r;
  r.add(verb::get, "/forever", "forever", [](Request&) -> asio::awaitable<Response> { return slow_forever(); });
  RunningServer s(config, std::move(r));
  auto pending = std::async(std::launch::async, [port = s.port()] {
    test_support::HttpClient c("127.0.0.1", port, 10s);
    try {
      return c.get("/forever").status;
    } catch (const std::exception&) {
      return 0U;
    }
  });
  std::this_thread::sleep_for(200ms);
  const auto started = std::chrono::steady_clock::now();
  s.stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  EXPECT_EQ(pending.get(), 0U);
}

}  // namespace
}  // namespace kok::http
