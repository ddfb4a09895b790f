#pragma once
// The Kafka side of one topic's consumer, as TopicDelivery's message source sees it: the next fetched message
// without blocking, the prefetch lever (a pause drops what was fetched, a resume fetches again from one past the last
// message taken), and a restart from given positions (a replay). A poll error that means the topic is gone (deleted
// under us) is kept as fatal; other poll errors are librdkafka's transient reports (it recovers by itself): logged
// and read past. Not thread-safe: the owning TopicConsumer serializes calls.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "commit_tracker.hpp"
#include "kok/kafka/consumer.hpp"

namespace kok::consumer {

class KafkaFeed {
 public:
  KafkaFeed(std::string topic, std::unique_ptr<kafka::Consumer> consumer, std::vector<std::int32_t> partitions);

  // The next fetched message, nullopt when none is there now or the topic is gone (see fatal()).
  std::optional<kafka::Message> next();
  // The topic is gone: nothing more will come.
  [[nodiscard]] bool fatal() const noexcept { return static_cast<bool>(fatal_); }
  [[nodiscard]] const std::error_code& fatal_error() const noexcept { return fatal_; }
  [[nodiscard]] const std::string& fatal_reason() const noexcept { return fatal_reason_; }

  // Stops fetching and frees what was fetched. Fetching resumes one past the last message next() returned.
  void pause();
  void resume();
  [[nodiscard]] bool paused() const noexcept { return paused_; }
  // Drops what was fetched and fetches every partition again from `positions` (one per partition; offset
  // kafka::offset_committed: from the committed offset).
  std::error_code restart_at(const std::vector<PartitionPosition>& positions);

  [[nodiscard]] const std::vector<std::int32_t>& partitions() const noexcept { return partitions_; }
  [[nodiscard]] kafka::Consumer& consumer() noexcept { return *consumer_; }
  [[nodiscard]] const kafka::Consumer& consumer() const noexcept { return *consumer_; }
  // Hands the Kafka consumer over for closing (blocking: not under the owner's lock).
  std::unique_ptr<kafka::Consumer> release() { return std::move(consumer_); }

 private:
  std::string topic_;
  std::unique_ptr<kafka::Consumer> consumer_;
  std::vector<std::int32_t> partitions_;
  bool paused_ = false;
  std::optional<kafka::Message> stash_;  // polled while pausing: see pause()
  std::error_code fatal_;
  std::string fatal_reason_;
};

}  // namespace kok::consumer
