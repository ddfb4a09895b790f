#pragma once
// The HTTP/1.1 server: an accept loop plus one coroutine session per connection, each on its own strand, with
// explicit timeouts and size limits, built-in /healthz, /readyz and /metrics, and graceful shutdown on SIGTERM/SIGINT.
//
//   boost::asio::io_context io{config.threads};         // the service's: its clients and timers use it too
//   kok::http::Router router;
//   router.add(verb::post, "/topic/{t}", "create_topic", create_topic);
//   kok::http::Server server(io, config, std::move(router), metrics, [&] { return probe.state(); });
//   server.run();  // returns after a graceful shutdown

#include <array>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "kok/http/metrics.hpp"
#include "kok/http/router.hpp"

namespace kok::http {

struct ServerConfig {
  std::string address = "0.0.0.0";
  std::uint16_t port = 8080;  // 0 = any free port (see Server::port())
  std::size_t threads = 2;    // io threads running the sessions
  std::size_t body_limit = 1024 * 1024;  // larger bodies → 413
  // Request bodies held at once, all connections together (announced by Content-Length, body_limit for a chunked one,
  // from the headers until the handler returns): a request that would go over is answered 503 + Retry-After before
  // its body is read, so many large bodies at once cannot grow the process past its memory limit.
  std::size_t body_memory = 64 * 1024 * 1024;
  std::size_t header_limit = 16 * 1024;  // larger request line + headers → 431
  // Time allowed to receive one request's headers and body once its first byte arrived (slow clients → 408).
  std::chrono::milliseconds read_timeout{std::chrono::seconds{15}};
  // Time a keep-alive connection may wait for the next request before it is closed.
  std::chrono::milliseconds idle_timeout{std::chrono::seconds{60}};
  // Time allowed for writing one response (or one streamed event) to a slow reader.
  std::chrono::milliseconds write_timeout{std::chrono::seconds{30}};
  // Connections above this are answered 503 and closed.
  std::size_t max_connections = 1024;
  // After a shutdown request, in-flight requests get this long to finish before connections are closed.
  std::chrono::milliseconds drain_timeout{std::chrono::seconds{10}};
  // Origins whose browser scripts may call the API (CORS, see cors.hpp), or {"*"} for any; empty = CORS off.
  std::vector<std::string> cors_origins;
  // Install SIGINT/SIGTERM handlers in run(). Tests turn this off and call stop().
  bool handle_signals = true;
};

// Result of the service's readiness check, served by /readyz.
struct Readiness {
  bool ready = true;
  std::string reason;
  static Readiness ok() { return {true, {}}; }
  static Readiness not_ready(std::string why) { return {false, std::move(why)}; }
};
// Called on an io thread for every /readyz: keep it quick (e.g. read a state a background check keeps fresh).
using ReadinessCheck = std::function<Readiness()>;

// The routes every Server answers itself unless the router has them, by name (the metrics label) and GET path.
struct BuiltInRoute {
  std::string_view name;
  std::string_view path;
};
inline constexpr std::array<BuiltInRoute, 3> built_in_routes{
    {{"healthz", "/healthz"}, {"readyz", "/readyz"}, {"metrics", "/metrics"}}};

class Server {
 public:
  // Serves on `io` (owned by the caller, which must outlive the server). Adds GET /healthz ("healthz"), GET /readyz
  // ("readyz", answered from `readiness`; always ready when null) and GET /metrics ("metrics") unless the router has
  // them. `registry` holds the service's own metrics; null = a fresh one.
  Server(boost::asio::io_context& io, ServerConfig config, Router router,
         std::shared_ptr<metrics::Registry> registry = nullptr, ReadinessCheck readiness = nullptr);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  metrics::Registry& metrics() noexcept;

  // Binds and listens (throws std::system_error, e.g. address in use). Afterwards port() is the bound port.
  void listen();
  std::uint16_t port() const noexcept;
  // Serves on config.threads threads (calling listen() first if needed) until a graceful shutdown completed.
  void run();
  // Starts a graceful shutdown: stop accepting, let in-flight requests finish (bounded by drain_timeout),
  // end streams and long polls, close idle connections. Thread-safe, idempotent.
  void stop();

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace kok::http
