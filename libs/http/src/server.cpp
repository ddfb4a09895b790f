#include "kok/http/server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <optional>
#include <spdlog/spdlog.h>
#include <thread>

#include "server_context.hpp"
#include "session.hpp"

namespace kok::http {

namespace asio = boost::asio;
using asio::ip::tcp;
using boost::system::error_code;

namespace {

// co_spawn completion: a coroutine that ends with an exception is logged, never silently dropped.
void log_failure(std::exception_ptr failure) {
  if (!failure) return;
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    spdlog::error("http server task failed: {}", e.what());
  }
}

void add_builtin_routes(Router& router, ReadinessCheck readiness, metrics::Registry* registry) {
  const auto add_if_missing = [&router](const BuiltInRoute& route, SyncHandler handler) {
    if (router.contains(verb::get, route.path)) return;
    router.add_sync(verb::get, route.path, std::string(route.name), std::move(handler));
  };
  const auto& [healthz, readyz, metrics_route] = built_in_routes;
  add_if_missing(healthz, [](Request&) { return Response::text(status::ok, "ok\n"); });
  add_if_missing(readyz, [readiness = std::move(readiness)](Request&) {
    const auto state = readiness();
    if (!state.ready) throw unavailable(state.reason.empty() ? "not ready" : state.reason);
    return Response::text(status::ok, "ready\n");
  });
  add_if_missing(metrics_route, [registry](Request&) {
    auto response = Response::text(status::ok, registry->serialize());
    response.header("Content-Type", metrics::Registry::content_type);
    return response;
  });
}

}  // namespace

class Server::Impl {
 public:
  Impl(asio::io_context& io, ServerConfig config, Router router, std::shared_ptr<metrics::Registry> registry,
       ReadinessCheck readiness)
      : io_(io), acceptor_strand_(asio::make_strand(io_)) {
    if (!registry) registry = std::make_shared<metrics::Registry>();
    if (!readiness) readiness = [] { return Readiness::ok(); };
    add_builtin_routes(router, std::move(readiness), registry.get());
    context_ = std::make_shared<detail::ServerContext>(std::move(config), std::move(router), std::move(registry));
    context_->set_on_drained([this] { io_.stop(); });
  }

  ~Impl() {
    // Suspended sessions die with the io_context (they share the context, not us): nothing may call back into us.
    context_->set_on_drained(nullptr);
    signals_.reset();
    drain_timer_.reset();
    acceptor_.reset();
    work_.reset();
    acceptor_strand_.reset();
  }

  void listen() {
    if (acceptor_) return;
    const auto& config = context_->config;
    const tcp::endpoint endpoint(asio::ip::make_address(config.address), config.port);
    acceptor_.emplace(*acceptor_strand_);
    acceptor_->open(endpoint.protocol());
    acceptor_->set_option(asio::socket_base::reuse_address(true));
    acceptor_->bind(endpoint);
    acceptor_->listen(asio::socket_base::max_listen_connections);
    port_ = acceptor_->local_endpoint().port();
    spdlog::info("http server listening on {}:{}", config.address, port_);
  }

  void run() {
    listen();
    work_.emplace(io_.get_executor());
    if (context_->config.handle_signals) {
      signals_.emplace(io_, SIGINT, SIGTERM);
      wait_for_signal();
    }
    asio::co_spawn(*acceptor_strand_, accept_loop(), log_failure);
    std::vector<std::thread> threads;
    for (std::size_t i = 1; i < context_->config.threads; ++i) threads.emplace_back([this] { run_io(); });
    run_io();
    for (auto& t : threads) t.join();
    spdlog::info("http server stopped");
  }

  void stop() {
    if (context_->stopping.exchange(true)) return;
    spdlog::info("http server shutting down: {} open connection(s) get {} ms to finish", context_->session_count(),
                 context_->config.drain_timeout.count());
    asio::post(*acceptor_strand_, [this] {
      error_code ignored;
      if (acceptor_) acceptor_->close(ignored);
      drain_timer_.emplace(*acceptor_strand_, context_->config.drain_timeout);
      drain_timer_->async_wait([this](error_code ec) {
        if (!ec) drain_expired();
      });
    });
    for (const auto& weak : context_->sessions()) {
      if (const auto session = weak.lock()) {
        asio::post(session->executor(), [weak] {
          if (const auto s = weak.lock()) s->begin_shutdown();
        });
      }
    }
    context_->check_drained();
  }

  std::uint16_t port() const noexcept { return port_; }
  detail::ServerContext& context() noexcept { return *context_; }

 private:
  void run_io() {
    // A throwing handler must not take the whole server down silently: log it and keep serving.
    for (;;) {
      try {
        io_.run();
        return;
      } catch (const std::exception& e) {
        spdlog::error("http io thread: unhandled exception: {}", e.what());
      }
    }
  }

  void wait_for_signal() {
    signals_->async_wait([this](error_code ec, int signal_number) {
      if (ec) return;
      if (context_->stopping) {
        spdlog::warn("second signal {}: stopping immediately", signal_number);
        io_.stop();
        return;
      }
      spdlog::info("signal {} received", signal_number);
      stop();
      wait_for_signal();
    });
  }

  void drain_expired() {
    const auto left = context_->sessions();
    spdlog::warn("drain timeout: closing {} connection(s) still open", left.size());
    for (const auto& weak : left) {
      if (const auto session = weak.lock()) {
        asio::post(session->executor(), [weak] {
          if (const auto s = weak.lock()) s->force_close();
        });
      }
    }
    // Sessions whose handlers ignore the closed socket must not hold the process forever.
    drain_timer_->expires_after(std::chrono::seconds{1});
    drain_timer_->async_wait([this](error_code ec) {
      if (!ec) io_.stop();
    });
  }

  asio::awaitable<void> accept_loop() {
    const auto& config = context_->config;
    while (!context_->stopping) {
      tcp::socket socket(asio::make_strand(io_));
      error_code ec;
      co_await acceptor_->async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
      if (context_->stopping) break;
      if (ec) {
        spdlog::warn("accept failed: {}", ec.message());
        // Typically out of file descriptors: back off instead of spinning.
        asio::steady_timer pause(*acceptor_strand_, std::chrono::milliseconds{100});
        co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      if (context_->session_count() >= config.max_connections) {
        context_->metrics.rejected_connections.inc();
        const auto executor = socket.get_executor();
        asio::co_spawn(executor, detail::reject_connection(std::move(socket)), log_failure);
        continue;
      }
      auto session = std::make_shared<detail::Session>(std::move(socket), context_);
      context_->add_session(session);
      const auto executor = session->executor();
      asio::co_spawn(executor, detail::Session::run(std::move(session)), log_failure);
    }
  }

  asio::io_context& io_;
  std::optional<asio::strand<asio::io_context::executor_type>> acceptor_strand_;
  std::shared_ptr<detail::ServerContext> context_;
  std::optional<tcp::acceptor> acceptor_;
  std::optional<asio::signal_set> signals_;
  std::optional<asio::steady_timer> drain_timer_;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work_;
  std::uint16_t port_ = 0;
};

Server::Server(asio::io_context& io, ServerConfig config, Router router, std::shared_ptr<metrics::Registry> registry,
               ReadinessCheck readiness)
    : impl_(std::make_shared<Impl>(io, std::move(config), std::move(router), std::move(registry),
                                   std::move(readiness))) {}

Server::~Server() = default;

metrics::Registry& Server::metrics() noexcept { return *impl_->context().registry; }
void Server::listen() { impl_->listen(); }
std::uint16_t Server::port() const noexcept { return impl_->port(); }
void Server::run() { impl_->run(); }
void Server::stop() { impl_->stop(); }

}  // namespace kok::http
