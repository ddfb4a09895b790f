#pragma once
// A session's one timer (as in Beast's advanced server): each phase of a connection has its own timeout, and when
// the phase in hand runs out its I/O is cut short — cancelled, not closed, so a 408 can still be written.
//
// Why not beast::tcp_stream's expiry: it closes the socket. Why a generation inside: a timer that fired just before
// the phase ended may still have its handler queued; it must not cut the next phase short.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

namespace kok::http::detail {

class SessionDeadline {
 public:
  enum class Phase {
    idle,     // waiting for the first byte of the next request
    read,     // reading a request's head and body
    handle,   // the handler runs: no deadline (a long poll or a stream bounds itself; a client leaving ends it)
    write,    // writing an answer, or one piece of an event stream
    linger,   // discarding what a refused client still sends before the connection closes
  };
  struct Timeouts {
    std::chrono::milliseconds idle;
    std::chrono::milliseconds read;
    std::chrono::milliseconds write;
    std::chrono::milliseconds linger;
  };

  // The timeout of `phase`, nullopt for none. Pure.
  [[nodiscard]] static std::optional<std::chrono::milliseconds> timeout_for(Phase phase, const Timeouts& timeouts);

  // `cut_short` runs on `executor` when a phase runs out, never after this object is gone.
  SessionDeadline(const boost::asio::any_io_executor& executor, Timeouts timeouts, std::function<void()> cut_short);
  ~SessionDeadline();
  SessionDeadline(const SessionDeadline&) = delete;
  SessionDeadline& operator=(const SessionDeadline&) = delete;

  // Enters `phase`: its timeout starts now, whatever the previous phase had left.
  void enter(Phase phase);
  // The phase's I/O finished: the timer stops.
  void stop();
  // Whether the phase entered last ran out (until the next enter()).
  [[nodiscard]] bool expired() const noexcept { return state_->expired; }

 private:
  // Shared with the timer's handler, which may run after this object is gone.
  struct State {
    std::uint64_t generation = 0;
    bool expired = false;
    std::function<void()> cut_short;
  };

  Timeouts timeouts_;
  boost::asio::steady_timer timer_;
  std::shared_ptr<State> state_;
};

}  // namespace kok::http::detail
