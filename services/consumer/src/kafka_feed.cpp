#include "kafka_feed.hpp"

#include <spdlog/spdlog.h>

#include <utility>

#include "kok/kafka/error.hpp"

namespace kok::consumer {

KafkaFeed::KafkaFeed(std::string topic, std::unique_ptr<kafka::Consumer> consumer, std::vector<std::int32_t> partitions)
    : topic_(std::move(topic)), consumer_(std::move(consumer)), partitions_(std::move(partitions)) {}

std::optional<kafka::Message> KafkaFeed::next() {
  if (stash_) return std::exchange(stash_, std::nullopt);
  while (!fatal_) {
    auto polled = consumer_->poll();
    if (polled) return std::move(polled.value);
    if (kafka::is_unknown_topic(polled.error)) {  // deleted under us
      fatal_ = polled.error;
      fatal_reason_ = polled.reason;
      break;
    }
    spdlog::warn("topic '{}': consumer error: {} ({})", topic_, polled.error.message(), polled.reason);
  }
  return std::nullopt;
}

void KafkaFeed::pause() {
  if (paused_ || fatal_) return;
  if (auto ec = consumer_->pause(topic_, partitions_)) {
    spdlog::warn("topic '{}': pausing the fetch failed: {}", topic_, ec.message());
    return;
  }
  paused_ = true;
  // The pause makes every queued message outdated, but librdkafka 2.0 frees them only as far as they lead the queue;
  // a poll discards outdated messages, so polling now frees them all at once instead of at the next read. A poll
  // that still returns a message (fetched after the pause: none is expected) keeps it for the next take.
  for (std::size_t i = 0, n = consumer_->queued_messages(); i < n && !stash_; ++i) {
    auto polled = consumer_->poll();
    if (polled && !polled.value) break;
    if (polled) {
      stash_ = std::move(polled.value);
    } else if (kafka::is_unknown_topic(polled.error)) {  // deleted under us: as next() would
      fatal_ = polled.error;
      fatal_reason_ = polled.reason;
      break;
    }
  }
}

void KafkaFeed::resume() {
  if (!paused_ || fatal_) return;
  if (auto ec = consumer_->resume(topic_, partitions_)) {
    spdlog::warn("topic '{}': resuming the fetch failed: {}", topic_, ec.message());
    return;
  }
  paused_ = false;
  consumer_->wake_fetchers(topic_, partitions_);  // else the fetch starts up to a second later
}

std::error_code KafkaFeed::restart_at(const std::vector<PartitionPosition>& positions) {
  resume();  // a paused partition would stay paused across the new assignment
  std::vector<kafka::TopicPartitionOffset> assignment;
  assignment.reserve(positions.size());
  for (const auto& p : positions) assignment.push_back({topic_, p.partition, p.offset});
  stash_.reset();
  if (auto ec = consumer_->assign(assignment)) return ec;
  consumer_->wake_fetchers(topic_, partitions_);
  return {};
}

}  // namespace kok::consumer
