#include "session_deadline.hpp"

#include <utility>

#include <boost/system/error_code.hpp>

namespace kok::http::detail {

std::optional<std::chrono::milliseconds> SessionDeadline::timeout_for(Phase phase, const Timeouts& timeouts) {
  switch (phase) {
    case Phase::idle:
      return timeouts.idle;
    case Phase::read:
      return timeouts.read;
    case Phase::handle:
      return std::nullopt;
    case Phase::write:
      return timeouts.write;
    case Phase::linger:
      return timeouts.linger;
  }
  return std::nullopt;
}

SessionDeadline::SessionDeadline(const boost::asio::any_io_executor& executor, Timeouts timeouts,
                                 std::function<void()> cut_short)
    : timeouts_(timeouts), timer_(executor), state_(std::make_shared<State>()) {
  state_->cut_short = std::move(cut_short);
}

SessionDeadline::~SessionDeadline() {
  // A handler already queued finds another generation and leaves what it would cut alone.
  ++state_->generation;
  state_->cut_short = nullptr;
}

void SessionDeadline::enter(Phase phase) {
  const auto generation = ++state_->generation;
  state_->expired = false;
  const auto timeout = timeout_for(phase, timeouts_);
  if (!timeout) {
    timer_.cancel();
    return;
  }
  timer_.expires_after(*timeout);
  timer_.async_wait([state = state_, generation](boost::system::error_code ec) {
    if (ec || state->generation != generation) return;
    state->expired = true;
    if (state->cut_short) state->cut_short();
  });
}

void SessionDeadline::stop() {
  ++state_->generation;
  timer_.cancel();
}

}  // namespace kok::http::detail
