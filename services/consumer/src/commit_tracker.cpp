#include "commit_tracker.hpp"

#include <algorithm>

namespace kok::consumer {

void CommitTracker::taken(std::int32_t partition, std::int64_t offset) {
  auto& p = partitions_[partition];
  // First message of a partition without a committed offset: reading started here (auto.offset.reset), so a restart
  // would start here too; committing this position would say nothing new.
  if (p.committed < 0 && p.next_untaken < 0) p.committed = offset;
  if (p.outstanding.insert(offset).second) ++outstanding_;
  p.next_untaken = std::max(p.next_untaken, offset + 1);
}

void CommitTracker::start_at(std::int32_t partition, std::int64_t offset) {
  auto& p = partitions_[partition];
  p.next_untaken = std::max(p.next_untaken, offset);
  p.committed = std::max(p.committed, offset);
}

void CommitTracker::done(std::int32_t partition, std::int64_t offset) {
  const auto it = partitions_.find(partition);
  if (it == partitions_.end()) return;
  if (it->second.outstanding.erase(offset) > 0) --outstanding_;
}

std::vector<PartitionPosition> CommitTracker::take_commits() {
  std::vector<PartitionPosition> out;
  for (auto& [id, p] : partitions_) {
    const auto pos = p.position();
    if (pos > p.committed) {
      p.committed = pos;
      out.push_back({id, pos});
    }
  }
  return out;
}

void CommitTracker::commit_failed() {
  for (auto& [id, p] : partitions_) {
    if (p.next_untaken >= 0) p.committed = -1;
  }
}

std::vector<std::int64_t> CommitTracker::move_to(std::int32_t partition, std::int64_t offset) {
  auto& p = partitions_[partition];
  std::vector<std::int64_t> dropped(p.outstanding.begin(), p.outstanding.end());
  outstanding_ -= p.outstanding.size();
  p.outstanding.clear();
  p.next_untaken = offset;
  p.committed = offset;
  return dropped;
}

std::int64_t CommitTracker::position(std::int32_t partition) const {
  const auto it = partitions_.find(partition);
  return it == partitions_.end() ? -1 : it->second.position();
}

std::int64_t CommitTracker::next_untaken(std::int32_t partition) const {
  const auto it = partitions_.find(partition);
  return it == partitions_.end() ? -1 : it->second.next_untaken;
}

std::int64_t CommitTracker::committed(std::int32_t partition) const {
  const auto it = partitions_.find(partition);
  return it == partitions_.end() ? -1 : it->second.committed;
}

std::size_t CommitTracker::outstanding() const noexcept { return outstanding_; }

}  // namespace kok::consumer
