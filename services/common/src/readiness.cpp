#include "kok/service/readiness.hpp"

#include <algorithm>
#include <optional>

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
  bool ever_ready = false;
  std::optional<std::chrono::steady_clock::time_point> failing_since;

  // How long probes must keep failing before the service says "not ready". One failed metadata request is not the
  // cluster being down: the admin client's only open connection may have been to the broker that just died (librdkafka
  // then reports all brokers down until it reconnects elsewhere), while the partitions have leaders and in-sync quorums
  // on the other two. A broker that hangs instead (SIGSTOP, a paused VM) keeps that connection looking alive: every
  // probe goes to it and times out until librdkafka drops it after socket.timeout.ms (10 s, kafka/config.cpp), so the
  // grace outlasts that (measured in the chaos test: 6 s let the consumer report "not ready" in 2 of 255 samples).
  std::chrono::milliseconds grace() const { return std::max(3 * interval, std::chrono::milliseconds{12'000}); }

  // Records one probe's outcome; returns when to probe next.
  std::chrono::milliseconds record(bool ok, const std::string& reason) {
    const auto now = std::chrono::steady_clock::now();
    if (ok) {
      failing_since.reset();
      ever_ready = true;
      update(http::Readiness::ok());
      return interval;
    }
    if (!failing_since) failing_since = now;
    // Before the first success there is nothing to keep: not ready at once.
    if (!ever_ready || now - *failing_since >= grace()) update(http::Readiness::not_ready(reason));
    // Failing: look again soon, so a recovered cluster is seen quickly.
    return std::min(interval, std::chrono::milliseconds{500});
  }

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
    const bool ok = result.ok() && !result.value.brokers.empty();
    const auto next = state->record(
        ok, "kafka not reachable" + (result.reason.empty() ? std::string{} : ": " + result.reason));
    state->timer.expires_after(next);
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
