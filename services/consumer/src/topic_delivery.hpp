#pragma once
// The state machine of one topic's deliveries, whole: what is handed out, what a named reader holds, what may be
// committed, when a commit starts, and where the group's position moves on a replay.
//
// Every message goes to exactly one caller, in offset order per partition. Its response is then *written* (done), or
// *not written* (it goes back to the FRONT, before anything newer of its partition), or written to a named reader who
// *holds* it until it *acknowledges* — or until its deadline passes and the hold *expires* (handed out again). The
// commit position of a partition is its lowest outstanding offset (CommitTracker); one commit is in flight at a time,
// and the newest positions go when it answers (a broker serves a connection's requests one by one: one commit per
// message would fall ever further behind), the same positions again when it failed.
//
// Pure: no Kafka, no threads, no I/O; time comes from an injected clock and messages from a Source (the Kafka
// consumer's non-blocking poll in production, a vector in unit tests). The owning TopicConsumer serializes calls and
// does the I/O: polling, sending what commit_due() returns, waking waiters.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ack_table.hpp"
#include "commit_tracker.hpp"
#include "kok/kafka/message.hpp"

namespace kok::consumer {

class TopicDelivery {
 public:
  using Clock = std::chrono::steady_clock;
  using Now = std::function<Clock::time_point()>;
  // Next message from Kafka without blocking, nullopt when none is available right now.
  using Source = std::function<std::optional<kafka::Message>()>;
  using Messages = std::vector<kafka::Message>;

  // `ack_timeout`: how long a named reader holds a delivery before it is handed out again.
  explicit TopicDelivery(std::chrono::milliseconds ack_timeout, Now now = &Clock::now);

  // Reading of `partition` starts at its committed offset `offset`.
  void start_at(std::int32_t partition, std::int64_t offset);
  // Up to `max` messages for one caller: those handed back first (lowest offsets first), then new ones from `source`.
  Messages take(std::size_t max, const Source& source);

  // Their response was written (to a caller that did not name itself): done, they may be committed.
  void written(const Messages& messages);
  // Their response was not written: handed out again, first.
  void not_written(const Messages& messages);
  // Written to the named `reader`: outstanding until it acknowledges, handed out again after the ack timeout.
  void hold(const std::string& reader, Messages messages);
  // The reader processed what it holds: done. Returns how many messages that was.
  std::size_t acknowledge(const std::string& reader);
  // Holds whose deadline passed are handed out again. Returns how many messages that was.
  std::size_t expire();

  // The one place a commit starts: the positions to send now, when some moved and no commit is in flight. The
  // caller sends them (they are then in flight) and reports the answer; a commit that could not even be sent failed.
  std::optional<std::vector<PartitionPosition>> commit_due();
  void commit_succeeded();
  // Its positions are sent again with the next commit.
  void commit_failed();
  [[nodiscard]] bool commit_in_flight() const noexcept { return commit_in_flight_; }

  // The group's position moves to `positions` (a replay): what was handed back and what readers hold is dropped (it
  // lies on the old path), responses still being written when it moved count for nothing, and the next take reads
  // from the new positions. The caller refetches from there and commits them. Partitions not named keep theirs.
  void move_to(const std::vector<PartitionPosition>& positions);

  // The last positions to commit when the consumer closes, whether or not a commit is in flight. What readers hold
  // is released uncommitted (the position holds below it, so the next run serves it again).
  std::vector<PartitionPosition> close();

  [[nodiscard]] std::size_t waiting_redelivery() const noexcept { return redelivery_.size(); }
  // One past the highest offset handed out from `partition` (-1 if none).
  [[nodiscard]] std::int64_t next_untaken(std::int32_t partition) const { return tracker_.next_untaken(partition); }
  // Last position sent in a commit, or where reading started (-1 if neither).
  [[nodiscard]] std::int64_t committed(std::int32_t partition) const { return tracker_.committed(partition); }
  // Messages handed out and not done, held, or waiting to be handed out again.
  [[nodiscard]] std::size_t outstanding() const noexcept { return tracker_.outstanding(); }

 private:
  // Drops `m` if it was in flight when the position moved (its answer belongs to the old path). True if dropped.
  bool from_before_move(const kafka::Message& m);

  std::chrono::milliseconds ack_timeout_;
  Now now_;
  CommitTracker tracker_;
  AckTable held_;
  // Keyed by (offset, partition): taking from the front gives each partition's lowest offset first.
  std::map<std::pair<std::int64_t, std::int32_t>, kafka::Message> redelivery_;
  bool commit_in_flight_ = false;
  // (partition, offset) of responses in flight when the position moved, with how many times each.
  std::map<std::pair<std::int32_t, std::int64_t>, int> before_move_;
};

}  // namespace kok::consumer
