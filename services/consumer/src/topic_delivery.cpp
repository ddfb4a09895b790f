#include "topic_delivery.hpp"

namespace kok::consumer {

TopicDelivery::TopicDelivery(std::chrono::milliseconds ack_timeout, Now now)
    : ack_timeout_(ack_timeout), now_(std::move(now)) {}

void TopicDelivery::start_at(std::int32_t partition, std::int64_t offset) { tracker_.start_at(partition, offset); }

TopicDelivery::Messages TopicDelivery::take(std::size_t max, const Source& source) {
  Messages out;
  while (out.size() < max && !redelivery_.empty()) {
    auto node = redelivery_.extract(redelivery_.begin());
    tracker_.taken(node.mapped().partition, node.mapped().offset);
    out.push_back(std::move(node.mapped()));
  }
  while (out.size() < max) {
    auto m = source();
    if (!m) break;
    tracker_.taken(m->partition, m->offset);
    out.push_back(std::move(*m));
  }
  return out;
}

void TopicDelivery::written(const Messages& messages) {
  for (const auto& m : messages) {
    if (!from_before_move(m)) tracker_.done(m.partition, m.offset);
  }
}

void TopicDelivery::not_written(const Messages& messages) {
  // Outstanding in the tracker still, which holds the commit position below them until they are done.
  for (const auto& m : messages) {
    if (!from_before_move(m)) redelivery_.emplace(std::make_pair(m.offset, m.partition), m);
  }
}

void TopicDelivery::hold(const std::string& reader, Messages messages) {
  std::erase_if(messages, [this](const kafka::Message& m) { return from_before_move(m); });
  held_.hold(reader, std::move(messages), now_() + ack_timeout_);
}

std::size_t TopicDelivery::acknowledge(const std::string& reader) {
  const auto done = held_.acknowledge(reader);
  written(done);
  return done.size();
}

std::size_t TopicDelivery::expire() {
  const auto expired = held_.expire(now_());
  not_written(expired);
  return expired.size();
}

std::optional<std::vector<PartitionPosition>> TopicDelivery::commit_due() {
  if (commit_in_flight_) return std::nullopt;
  auto positions = tracker_.take_commits();
  if (positions.empty()) return std::nullopt;
  commit_in_flight_ = true;
  return positions;
}

void TopicDelivery::commit_succeeded() { commit_in_flight_ = false; }

void TopicDelivery::commit_failed() {
  commit_in_flight_ = false;
  tracker_.commit_failed();
}

void TopicDelivery::move_to(const std::vector<PartitionPosition>& positions) {
  std::map<std::int32_t, std::int64_t> moved;
  for (const auto& p : positions) moved[p.partition] = p.offset;
  const auto on_old_path = [&moved](const kafka::Message& m) { return moved.contains(m.partition); };
  // Outstanding on a moved partition is handed back, held or in flight. The first two are dropped here; only what
  // is in flight will still be answered, and that answer must not touch the new path.
  std::map<std::pair<std::int32_t, std::int64_t>, int> dropped;
  for (auto it = redelivery_.begin(); it != redelivery_.end();) {
    if (on_old_path(it->second)) {
      ++dropped[{it->second.partition, it->second.offset}];
      it = redelivery_.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& m : held_.discard_if(on_old_path)) ++dropped[{m.partition, m.offset}];
  for (const auto& [partition, offset] : moved) {
    for (const auto o : tracker_.move_to(partition, offset)) {
      const auto it = dropped.find({partition, o});
      if (it != dropped.end() && it->second > 0) {
        --it->second;
      } else {
        ++before_move_[{partition, o}];
      }
    }
  }
}

bool TopicDelivery::from_before_move(const kafka::Message& m) {
  const auto it = before_move_.find({m.partition, m.offset});
  if (it == before_move_.end()) return false;
  if (--it->second == 0) before_move_.erase(it);
  return true;
}

std::vector<PartitionPosition> TopicDelivery::close() {
  (void)held_.release_all();
  commit_in_flight_ = false;
  return tracker_.take_commits();
}

}  // namespace kok::consumer
