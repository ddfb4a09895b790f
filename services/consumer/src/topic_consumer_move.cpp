// TopicConsumer::move_to: the replay of the service's group (POST /consumer/{t}/position), the I/O around
// TopicDelivery::move_to. Apart from the rest of the class because it alone blocks.
#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include <map>

#include "kok/kafka/error.hpp"
#include "topic_consumer.hpp"

namespace kok::consumer {

std::error_code TopicConsumer::move_to(const std::vector<PartitionPosition>& positions) {
  std::vector<kafka::TopicPartitionOffset> to_commit;
  kafka::Consumer* consumer = nullptr;
  {
    std::unique_lock lock{mutex_};
    // A replay may be the first request for the topic: its consumer is still opening then (bounded by the opener).
    opened_.wait_for(lock, 3 * options_.metadata_timeout, [this] { return state_ != State::opening; });
    if (state_ == State::failed) return error_;
    if (state_ != State::open) return kafka::make_kafka_error(RD_KAFKA_RESP_ERR__STATE);
    delivery_.move_to(positions);
    std::map<std::int32_t, std::int64_t> moved;
    for (const auto& p : positions) moved[p.partition] = p.offset;
    // Every partition is assigned again (that drops the fetched messages): a moved one from its new position, the
    // others from one past the last message handed out, so that nothing is skipped nor served twice there.
    std::vector<PartitionPosition> fetch_from;
    for (const auto p : feed_->partitions()) {
      const auto it = moved.find(p);
      const auto next = delivery_.next_untaken(p);
      fetch_from.push_back({p, it != moved.end() ? it->second : next >= 0 ? next : kafka::offset_committed});
    }
    if (auto ec = feed_->restart_at(fetch_from)) return ec;
    for (const auto& p : positions) to_commit.push_back({options_.topic, p.partition, p.offset});
    consumer = &feed_->consumer();
    spdlog::info("topic '{}': the group's position moved on {} partition(s)", options_.topic, positions.size());
  }
  // Synchronous, outside the lock: the answer is the route's; the consumer lives while the caller's lease does. An
  // async commit still in flight was sent before this one on the same connection, so it cannot land after it.
  return consumer->commit(to_commit, kafka::Consumer::CommitMode::sync);
}

}  // namespace kok::consumer
