#pragma once
// Deliveries that a named reader must acknowledge before they are committed.
//
// A response written to a socket is not a response read: the client may vanish right after the kernel took the bytes
// (a proxy timeout, a closed tab). A reader that names itself (?reader=R) gets at-least-once across that window too:
// what it was sent stays outstanding — not committed — until the reader acknowledges it (its next request, or the ack
// endpoint), and is handed out again when the acknowledgement does not come within the hold time. Pure bookkeeping;
// the owning TopicConsumer serializes calls.

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "kok/kafka/message.hpp"

namespace kok::consumer {

class AckTable {
 public:
  using Clock = std::chrono::steady_clock;

  // `messages` were written to `reader`; they wait for its acknowledgement until `deadline`. A reader that already
  // holds some (two requests at once) holds all of them, until the later deadline.
  void hold(const std::string& reader, std::vector<kafka::Message> messages, Clock::time_point deadline);
  // What `reader` holds, now acknowledged: commit these. Empty when it holds nothing.
  std::vector<kafka::Message> acknowledge(const std::string& reader);
  // Everything whose deadline passed: hand these out again.
  std::vector<kafka::Message> expire(Clock::time_point now);
  // Every held message for which `old` is true, whoever holds it (a replay moved past it): never committed.
  std::vector<kafka::Message> discard_if(const std::function<bool(const kafka::Message&)>& old);
  // Everything held (on close: not committed, so another run serves it again).
  std::vector<kafka::Message> release_all();

  [[nodiscard]] std::size_t readers() const noexcept { return held_.size(); }
  [[nodiscard]] std::size_t messages() const noexcept;

 private:
  struct Held {
    std::vector<kafka::Message> messages;
    Clock::time_point deadline;
  };
  std::map<std::string, Held, std::less<>> held_;
};

}  // namespace kok::consumer
