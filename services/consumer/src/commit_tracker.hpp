#pragma once
// Which offset may be committed, per partition, when messages are handed out concurrently.
//
// Committing offset N for a partition tells Kafka "everything below N is done". With several messages in flight at once
// (20 callers reading the same topic) they finish in any order, so the commit position is the lowest offset that is
// still outstanding (handed out and not yet written, or waiting to be handed out again); when nothing is outstanding it
// is one past the highest offset handed out. Pure bookkeeping: no Kafka, no threads — the owner serializes calls.

#include <cstdint>
#include <map>
#include <set>
#include <vector>

namespace kok::consumer {

struct PartitionPosition {
  std::int32_t partition = -1;
  std::int64_t offset = -1;  // next offset to read after a restart
  friend bool operator==(const PartitionPosition&, const PartitionPosition&) = default;
};

class CommitTracker {
 public:
  // Reading starts at `offset` (the committed position): nothing below it will be taken, nothing to commit there.
  void start_at(std::int32_t partition, std::int64_t offset);
  // The message at (partition, offset) was handed to a caller (first time or again).
  void taken(std::int32_t partition, std::int64_t offset);
  // Its response was written: it is done. A message whose response was not written needs no call: it stays
  // outstanding (it will be handed out again), which holds the commit position below it.
  void done(std::int32_t partition, std::int64_t offset);

  // Positions that moved forward since the last call (what to commit now), sorted by partition.
  std::vector<PartitionPosition> take_commits();
  // The commit of the positions last returned by take_commits() failed: return them again next time.
  void commit_failed();
  // Reading of `partition` moves to `offset` (a replay), taken as committed (the caller commits it). Returns the
  // offsets that were outstanding there: nothing of the old path holds the position any more.
  std::vector<std::int64_t> move_to(std::int32_t partition, std::int64_t offset);
  // Position that would be committed for `partition` now (-1 if nothing was ever taken from it).
  [[nodiscard]] std::int64_t position(std::int32_t partition) const;
  // One past the highest offset ever taken from `partition` (-1 if none).
  [[nodiscard]] std::int64_t next_untaken(std::int32_t partition) const;
  // Last position returned by take_commits() (-1 if none).
  [[nodiscard]] std::int64_t committed(std::int32_t partition) const;
  // Messages handed out or waiting for redelivery, over all partitions.
  [[nodiscard]] std::size_t outstanding() const noexcept;

 private:
  struct Partition {
    std::set<std::int64_t> outstanding;
    std::int64_t next_untaken = -1;
    std::int64_t committed = -1;
    [[nodiscard]] std::int64_t position() const {
      return outstanding.empty() ? next_untaken : *outstanding.begin();
    }
  };
  std::map<std::int32_t, Partition> partitions_;
  std::size_t outstanding_ = 0;
};

}  // namespace kok::consumer
