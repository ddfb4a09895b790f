#pragma once
// The queue semantics of one topic: every message goes to exactly one caller, in offset order per partition, and a
// message whose response could not be written goes back to the FRONT (before anything newer of its partition).
//
// Pure logic over a message source (the Kafka consumer's non-blocking poll in production, a vector in unit tests).
// Not thread-safe: the owning TopicConsumer serializes calls.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "commit_tracker.hpp"
#include "kok/kafka/message.hpp"

namespace kok::consumer {

class DeliveryQueue {
 public:
  // Next message from Kafka without blocking, nullopt when none is available right now.
  using Source = std::function<std::optional<kafka::Message>()>;

  // Reading of `partition` starts at its committed offset `offset`.
  void start_at(std::int32_t partition, std::int64_t offset) { tracker_.start_at(partition, offset); }
  // Up to `max` messages for one caller: those waiting for redelivery first (lowest offsets first), then new ones.
  std::vector<kafka::Message> take(std::size_t max, const Source& source);
  // The caller's response was written (done = true) or not (false: the messages will be handed out again).
  void finish(const std::vector<kafka::Message>& messages, bool done);

  // Positions that moved forward since the last call: commit these.
  std::vector<PartitionPosition> take_commits() { return tracker_.take_commits(); }
  // The last positions taken were not stored: report them again next time.
  void recommit() { tracker_.forget_committed(); }
  [[nodiscard]] const CommitTracker& tracker() const noexcept { return tracker_; }
  [[nodiscard]] std::size_t waiting_redelivery() const noexcept { return redelivery_.size(); }

 private:
  CommitTracker tracker_;
  // Keyed by (offset, partition): taking from the front gives each partition's lowest offset first.
  std::map<std::pair<std::int64_t, std::int32_t>, kafka::Message> redelivery_;
};

}  // namespace kok::consumer
