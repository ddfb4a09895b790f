// The session's one timer: which phase has which timeout, and that only the phase in hand is ever cut short.
#include "session_deadline.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <optional>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>

namespace kok::http::detail {
namespace {

using namespace std::chrono_literals;
using Phase = SessionDeadline::Phase;

const SessionDeadline::Timeouts kTimeouts{.idle = 1s, .read = 2s, .write = 3s, .linger = 4s};

TEST(SessionDeadline, EachPhaseHasItsOwnTimeoutAndAHandlerHasNone) {
  EXPECT_EQ(SessionDeadline::timeout_for(Phase::idle, kTimeouts), 1s);
  EXPECT_EQ(SessionDeadline::timeout_for(Phase::read, kTimeouts), 2s);
  EXPECT_EQ(SessionDeadline::timeout_for(Phase::handle, kTimeouts), std::nullopt);
  EXPECT_EQ(SessionDeadline::timeout_for(Phase::write, kTimeouts), 3s);
  EXPECT_EQ(SessionDeadline::timeout_for(Phase::linger, kTimeouts), 4s);
}

// Runs `io` for `duration` of real time.
void run_for(boost::asio::io_context& io, std::chrono::milliseconds duration) {
  io.restart();
  io.run_for(duration);
}

TEST(SessionDeadline, APhaseThatRunsOutIsCutShortOnce) {
  boost::asio::io_context io;
  int cuts = 0;
  SessionDeadline deadline{io.get_executor(), {.idle = 20ms, .read = 20ms, .write = 20ms, .linger = 20ms},
                           [&] { ++cuts; }};
  deadline.enter(Phase::read);
  EXPECT_FALSE(deadline.expired());
  run_for(io, 100ms);
  EXPECT_EQ(cuts, 1);
  EXPECT_TRUE(deadline.expired());
  deadline.enter(Phase::write);  // a new phase starts unexpired
  EXPECT_FALSE(deadline.expired());
}

TEST(SessionDeadline, AStoppedPhaseIsNotCutShort) {
  boost::asio::io_context io;
  int cuts = 0;
  SessionDeadline deadline{io.get_executor(), {.idle = 20ms, .read = 20ms, .write = 20ms, .linger = 20ms},
                           [&] { ++cuts; }};
  deadline.enter(Phase::read);
  deadline.stop();
  run_for(io, 100ms);
  EXPECT_EQ(cuts, 0);
  EXPECT_FALSE(deadline.expired());
}

TEST(SessionDeadline, ATimerThatFiredJustBeforeThePhaseEndedDoesNotCutTheNextOne) {
  boost::asio::io_context io;
  int cuts = 0;
  SessionDeadline deadline{io.get_executor(), {.idle = 10ms, .read = 10ms, .write = 1h, .linger = 1h},
                           [&] { ++cuts; }};
  deadline.enter(Phase::read);
  // The read's timer expires while the io thread is busy; the read finishes in a handler that runs before the timer's,
  // whose completion is then already queued and can no longer be cancelled.
  const auto expired_at = std::chrono::steady_clock::now() + 30ms;
  while (std::chrono::steady_clock::now() < expired_at) {
  }
  boost::asio::post(io, [&] { deadline.enter(Phase::write); });
  run_for(io, 50ms);
  EXPECT_EQ(cuts, 0);
  EXPECT_FALSE(deadline.expired());
}

TEST(SessionDeadline, AHandlerHasNoDeadline) {
  boost::asio::io_context io;
  int cuts = 0;
  SessionDeadline deadline{io.get_executor(), {.idle = 10ms, .read = 10ms, .write = 10ms, .linger = 10ms},
                           [&] { ++cuts; }};
  deadline.enter(Phase::read);
  deadline.enter(Phase::handle);
  run_for(io, 60ms);
  EXPECT_EQ(cuts, 0);
}

TEST(SessionDeadline, NothingIsCutAfterTheDeadlineIsGone) {
  boost::asio::io_context io;
  int cuts = 0;
  auto deadline = std::make_unique<SessionDeadline>(
      io.get_executor(), SessionDeadline::Timeouts{.idle = 10ms, .read = 10ms, .write = 10ms, .linger = 10ms},
      [&] { ++cuts; });
  deadline->enter(Phase::read);
  // As above: the timer's completion is queued when the session (and its deadline) ends.
  const auto expired_at = std::chrono::steady_clock::now() + 30ms;
  while (std::chrono::steady_clock::now() < expired_at) {
  }
  boost::asio::post(io, [&] { deadline.reset(); });
  run_for(io, 30ms);
  EXPECT_EQ(cuts, 0);
}

}  // namespace
}  // namespace kok::http::detail
