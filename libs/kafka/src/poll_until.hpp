#pragma once
// Asking a broker again until its answer settles or a deadline passes: the one loop behind every "a broker may not have
// applied this yet" wait of the Admin (a new topic's visibility, the confirmation of a "no").

#include <chrono>
#include <functional>
#include <memory>
#include <thread>
#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace kok::kafka::detail {

using PollClock = std::chrono::steady_clock;

// Calls `attempt` until `settled` accepts its result or `deadline` has passed, `interval` apart; at least once. Returns
// the last result. Blocks the calling thread between attempts: only for callers that own their thread.
template <typename Attempt, typename Settled>
auto poll_until(PollClock::time_point deadline, std::chrono::milliseconds interval, Attempt attempt, Settled settled) {
  for (;;) {
    auto result = attempt();
    if (settled(result) || PollClock::now() >= deadline) return result;
    std::this_thread::sleep_for(interval);
  }
}

// The same loop without holding a thread between attempts: each attempt runs on `executor`, the pauses are a timer's.
// `done` receives the last result, on `executor`.
template <typename T>
void async_poll_until(boost::asio::any_io_executor executor, PollClock::time_point deadline,
                      std::chrono::milliseconds interval, std::function<T()> attempt,
                      std::function<bool(const T&)> settled, std::function<void(T)> done) {
  struct Poll : std::enable_shared_from_this<Poll> {
    Poll(boost::asio::any_io_executor ex, PollClock::time_point d, std::chrono::milliseconds i, std::function<T()> a,
         std::function<bool(const T&)> s, std::function<void(T)> f)
        : timer(std::move(ex)), deadline(d), interval(i), attempt(std::move(a)), settled(std::move(s)),
          done(std::move(f)) {}
    void once() {
      auto result = attempt();
      if (settled(result) || PollClock::now() >= deadline) {
        done(std::move(result));
        return;
      }
      timer.expires_after(interval);
      timer.async_wait([self = this->shared_from_this()](boost::system::error_code) { self->once(); });
    }
    boost::asio::steady_timer timer;
    PollClock::time_point deadline;
    std::chrono::milliseconds interval;
    std::function<T()> attempt;
    std::function<bool(const T&)> settled;
    std::function<void(T)> done;
  };
  auto poll = std::make_shared<Poll>(executor, deadline, interval, std::move(attempt), std::move(settled),
                                     std::move(done));
  boost::asio::post(executor, [poll] { poll->once(); });
}

}  // namespace kok::kafka::detail
