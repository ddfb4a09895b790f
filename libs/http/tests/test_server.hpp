#pragma once
// Runs a kok::http::Server on 127.0.0.1 with an ephemeral port in a background thread.

#include <thread>

#include "kok/http/server.hpp"
#include "kok/test_support/http_client.hpp"

namespace kok::http::testing {

inline ServerConfig test_config() {
  ServerConfig c;
  c.address = "127.0.0.1";
  c.port = 0;
  c.threads = 2;
  c.handle_signals = false;
  c.drain_timeout = std::chrono::seconds{5};
  return c;
}

class RunningServer {
 public:
  RunningServer(ServerConfig config, Router router, ReadinessCheck readiness = nullptr)
      : io_(static_cast<int>(config.threads)), server_(io_, std::move(config), std::move(router), nullptr, std::move(readiness)) {
    server_.listen();
    thread_ = std::thread([this] { server_.run(); });
  }
  ~RunningServer() { stop(); }
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

  // Starts a graceful shutdown and waits for run() to return.
  void stop() {
    server_.stop();
    if (thread_.joinable()) thread_.join();
  }
  bool finished() const { return !thread_.joinable(); }
  std::thread& thread() { return thread_; }

  Server& server() { return server_; }
  std::uint16_t port() { return server_.port(); }
  test_support::HttpClient client(std::chrono::milliseconds timeout = std::chrono::seconds{5}) {
    return test_support::HttpClient("127.0.0.1", port(), timeout);
  }

 private:
  boost::asio::io_context io_;
  Server server_;
  std::thread thread_;
};

}  // namespace kok::http::testing
