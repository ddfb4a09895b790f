#include "kok/service/readiness.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include "kok/kafka/admin.hpp"

namespace kok::service {

namespace asio = boost::asio;

namespace {

// What /readyz reports. Kept apart from the probe's timer because the server's readiness check holds it, and the
// server (with its io_context) may be destroyed after the probe: nothing bound to the io_context may live here.
struct Status {
  mutable std::mutex mutex;
  http::Readiness current = http::Readiness::not_ready("kafka not checked yet");

  http::Readiness get() const {
    std::lock_guard lock(mutex);
    return current;
  }
};

}  // namespace

struct KafkaReadiness::State {
  State(asio::io_context& io_, kafka::Admin& admin_, std::chrono::milliseconds interval_)
      : admin(admin_), interval(interval_), timer(io_), status(std::make_shared<Status>()) {}

  kafka::Admin& admin;
  std::chrono::milliseconds interval;
  asio::steady_timer timer;
  std::shared_ptr<Status> status;
  bool stopped = false;  // touched only on the io_context

  void update(http::Readiness next) {
    std::lock_guard lock(status->mutex);
    auto& current = status->current;
    if (next.ready != current.ready) {
      if (next.ready) {
        spdlog::info("kafka reachable: ready");
      } else {
        spdlog::warn("not ready: {}", next.reason);
      }
    }
    current = std::move(next);
  }
};

namespace {

// The state travels as a parameter (never a lambda capture) into the coroutine.
asio::awaitable<void> probe_loop(std::shared_ptr<KafkaReadiness::State> state) {
  while (!state->stopped) {
    auto result = co_await state->admin.async_cluster_info(asio::use_awaitable);
    if (result.ok() && !result.value.brokers.empty()) {
      state->update(http::Readiness::ok());
    } else {
      state->update(http::Readiness::not_ready("kafka not reachable" + (result.reason.empty() ? std::string{} : ": " + result.reason)));
    }
    state->timer.expires_after(state->interval);
    boost::system::error_code ec;
    co_await state->timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    if (ec) break;
  }
}

}  // namespace

KafkaReadiness::KafkaReadiness(asio::io_context& io, kafka::Admin& admin, std::chrono::milliseconds interval)
    : state_(std::make_shared<State>(io, admin, interval)) {}

KafkaReadiness::~KafkaReadiness() {
  // Called after the io threads stopped: nothing runs concurrently with this.
  state_->stopped = true;
  state_->timer.cancel();
}

void KafkaReadiness::start() {
  asio::co_spawn(state_->timer.get_executor(), probe_loop(state_), asio::detached);
}

http::Readiness KafkaReadiness::state() const { return state_->status->get(); }

http::ReadinessCheck KafkaReadiness::check() const {
  return [status = state_->status] { return status->get(); };
}

}  // namespace kok::service
