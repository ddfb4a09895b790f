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
    tracker_.done(m.partition, m.offset);
  }
}

void TopicDelivery::not_written(const Messages& messages) {
  // Outstanding in the tracker still, which holds the commit position below them until they are done.
  for (const auto& m : messages) {
    redelivery_.emplace(std::make_pair(m.offset, m.partition), m);
  }
}

void TopicDelivery::hold(const std::string& reader, Messages messages) {
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

std::vector<PartitionPosition> TopicDelivery::close() {
  (void)held_.release_all();
  commit_in_flight_ = false;
  return tracker_.take_commits();
}

}  // namespace kok::consumer
