#pragma once
// When to send a commit: at most one in flight per topic consumer, and the newest positions when it answers.
//
// Brokers serve a connection's requests one at a time, so one commit request per delivered message would fall ever
// further behind under load. Instead the positions that moved while a commit was in flight wait, and are sent (merged,
// the newest per partition) when it answers; a failed commit sends its positions again. Pure logic around a
// DeliveryQueue; the owner sends what next() returns and reports answers with answered().

#include <optional>
#include <vector>

#include "delivery_queue.hpp"

namespace kok::consumer {

class CommitPipeline {
 public:
  // Positions to send now, if any and none is in flight. The caller must send them (then they are in flight) or
  // report failed_to_send().
  std::optional<std::vector<PartitionPosition>> next(DeliveryQueue& queue) {
    if (in_flight_) return std::nullopt;
    auto positions = queue.take_commits();
    if (positions.empty()) return std::nullopt;
    in_flight_ = true;
    return positions;
  }
  // The broker answered the commit in flight: ok, or failed (its positions are sent again with the next one).
  void answered(DeliveryQueue& queue, bool ok) {
    in_flight_ = false;
    if (!ok) queue.recommit();
  }
  // The commit could not even be sent.
  void failed_to_send(DeliveryQueue& queue) { answered(queue, false); }
  [[nodiscard]] bool in_flight() const noexcept { return in_flight_; }

 private:
  bool in_flight_ = false;
};

}  // namespace kok::consumer
