#pragma once
// Turns librdkafka's "queue became non-empty" fd signal into an Asio wait, so one strand can drive a Consumer without a
// thread blocked in poll().
//
//   kok::kafka::QueueWakeup wakeup{strand};
//   consumer.enable_queue_wakeup(wakeup.notify_fd());
//   for (;;) { while (auto m = consumer.poll()...) ...; co_await wakeup.async_wait(use_awaitable); wakeup.drain(); }

#include <array>
#include <system_error>

#include <boost/asio/buffer.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>

namespace kok::kafka {

class QueueWakeup {
 public:
  // Creates a non-blocking pipe; the read end is watched with `executor`.
  explicit QueueWakeup(boost::asio::any_io_executor executor);
  ~QueueWakeup();
  QueueWakeup(const QueueWakeup&) = delete;
  QueueWakeup& operator=(const QueueWakeup&) = delete;

  // The write end, for Consumer::enable_queue_wakeup. Stays valid for the lifetime of this object.
  [[nodiscard]] int notify_fd() const noexcept { return write_fd_; }

  // Completes with (error_code, bytes) once the pipe holds a byte (or operation_aborted after cancel()).
  // A read, not async_wait(wait_read): Asio's epoll reactor is edge-triggered and does not check readiness when a
  // wait starts, so a byte written just before arming would be missed; a read is tried at once and finds it.
  template <typename CompletionToken>
  auto async_wait(CompletionToken&& token) {
    return read_end_.async_read_some(boost::asio::buffer(scratch_), std::forward<CompletionToken>(token));
  }

  // Empties the pipe (call after a wakeup, before polling the queue).
  void drain() noexcept;
  void cancel();

 private:
  boost::asio::posix::stream_descriptor read_end_;
  int write_fd_ = -1;
  std::array<char, 64> scratch_{};
};

}  // namespace kok::kafka
