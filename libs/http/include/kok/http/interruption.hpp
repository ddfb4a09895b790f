#pragma once
// How a handler at work learns that its answer is no longer wanted, without seeing the connection:
//   - the server began a graceful shutdown: answer now with what you have;
//   - the client went away (closed or reset the connection while its request was being handled): nobody will read
//     the answer, so nothing may be handed to it — a message taken for a reader that is gone would be lost.
// The session owns one per request and watches the connection for the second case.
//
// A wait that must end early binds the slot of a Wait to its completion token:
//   const http::Interruption::Wait wait{req.interruption()};
//   co_await timer.async_wait(asio::bind_cancellation_slot(wait.slot(), asio::use_awaitable));
// The signal is emitted once, with cancellation_type::terminal, on the session's strand. A wait started after it was
// emitted is not cancelled: check interrupted() before each wait.

#include <atomic>

#include <boost/asio/cancellation_signal.hpp>

namespace kok::http {

class Interruption {
 public:
  Interruption() = default;
  Interruption(const Interruption&) = delete;
  Interruption& operator=(const Interruption&) = delete;

  [[nodiscard]] bool stopping() const noexcept { return stopping_.load(); }
  [[nodiscard]] bool client_gone() const noexcept { return client_gone_.load(); }
  [[nodiscard]] bool interrupted() const noexcept { return stopping() || client_gone(); }
  // The slot for one wait, cleared when the Wait goes out of scope: a completed operation leaves its cancellation
  // handler in the slot, pointing into that operation's state (a timer, a waiter), and a signal emitted once that state
  // is gone (a shutdown while the answer is written) would use freed memory. Use from the request's strand only.
  class Wait {
   public:
    explicit Wait(Interruption& interruption) noexcept : interruption_(interruption) {}
    ~Wait() { interruption_.signal_.slot().clear(); }
    Wait(const Wait&) = delete;
    Wait& operator=(const Wait&) = delete;
    [[nodiscard]] boost::asio::cancellation_slot slot() const noexcept { return interruption_.signal_.slot(); }

   private:
    Interruption& interruption_;
  };

  // Called by the session, on its strand.
  void shutdown() {
    stopping_ = true;
    emit();
  }
  void client_left() {
    client_gone_ = true;
    emit();
  }

 private:
  void emit() {
    if (emitted_) return;
    emitted_ = true;
    signal_.emit(boost::asio::cancellation_type::terminal);
  }

  std::atomic<bool> stopping_{false};
  std::atomic<bool> client_gone_{false};
  bool emitted_ = false;
  boost::asio::cancellation_signal signal_;
};

}  // namespace kok::http
