#pragma once
// Kafka consumer building block: explicit assignment, non-blocking poll, manual commits.
//
// Deliberately small. It does not subscribe() (no group rebalancing: an HTTP consumer that is idle between requests would
// be removed from the group after max.poll.interval.ms); callers assign() partitions and the group is used only to store
// committed offsets. It never blocks unless a timeout is passed; pair it with QueueWakeup to be told when poll() has
// something, so an io thread can drive it without waiting.
//
// Not thread-safe: use one Consumer from one strand (librdkafka itself is thread-safe, our bookkeeping is not needed, but
// keeping a single owner keeps message order obvious).

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <system_error>
#include <vector>

#include "kok/kafka/config.hpp"
#include "kok/kafka/message.hpp"
#include "kok/kafka/result.hpp"

namespace kok::kafka {

// Special start offsets for assign().
inline constexpr std::int64_t offset_beginning = -2;   // RD_KAFKA_OFFSET_BEGINNING
inline constexpr std::int64_t offset_end = -1;         // RD_KAFKA_OFFSET_END
inline constexpr std::int64_t offset_committed = -1001;  // RD_KAFKA_OFFSET_INVALID: committed offset, else auto.offset.reset

struct Watermarks {
  std::int64_t low = -1;
  std::int64_t high = -1;  // offset of the next message to be written
};

class Consumer {
 public:
  // `config`: normally consumer_config(); needs group.id to commit. Throws ConfigError.
  explicit Consumer(const ConfigMap& config);
  ~Consumer();  // close() then destroy. Does not commit: commit what you have delivered first.
  Consumer(const Consumer&) = delete;
  Consumer& operator=(const Consumer&) = delete;

  // Partition ids of `topic` from a metadata request (blocking up to timeout). Unknown topic → ErrorKind::unknown_topic.
  Result<std::vector<std::int32_t>> partitions(std::string_view topic, std::chrono::milliseconds timeout);

  // Replaces the assignment. Each position's offset is where reading starts (offset_committed, offset_beginning, or >= 0).
  std::error_code assign(const std::vector<TopicPartitionOffset>& positions);
  // Assigns these partitions of `topic`, each from its committed offset (auto.offset.reset when there is none).
  std::error_code assign(std::string_view topic, const std::vector<std::int32_t>& partitions);

  // The next message, nullopt when none arrives within `timeout` (0: never blocks) or at a partition's end. Every
  // error librdkafka hands to the consumer (a deleted topic, a transient broker error it will retry) comes back as the
  // Result's error, none is skipped: the caller decides which ones end its loop (the per-topic consumer logs transient
  // ones and polls on; a stream's Last-Event-ID replay stops at the first).
  Result<std::optional<Message>> poll(std::chrono::milliseconds timeout = std::chrono::milliseconds{0});

  // Commits positions (offset = next offset to read). Sync: waits for the broker (never from an io thread).
  // Async: returns at once; the broker's answer becomes available through poll_commit_result() (and the queue wakeup
  // fires for it). Brokers handle a connection's requests one after the other, so a caller committing after every
  // message should keep one async commit in flight and send the newest position when it completes, rather than
  // queueing one request per message.
  enum class CommitMode { async, sync };
  std::error_code commit(const std::vector<TopicPartitionOffset>& positions, CommitMode mode);
  // The result of the oldest completed async commit not yet collected, nullopt when none has completed. Non-blocking.
  std::optional<std::error_code> poll_commit_result();

  // Committed positions of these partitions (offset -1001 when nothing committed). Blocking.
  Result<std::vector<TopicPartitionOffset>> committed(std::string_view topic, const std::vector<std::int32_t>& partitions,
                                                      std::chrono::milliseconds timeout);

  // Every partition `group` has a committed offset for, in any topic (Kafka's OffsetFetch for the whole group, through
  // librdkafka's ListConsumerGroupOffsets): what the group has read, also topics this process never opened. Blocking.
  Result<std::vector<TopicPartitionOffset>> group_offsets(std::string_view group, std::chrono::milliseconds timeout);

  // Per partition, the earliest offset whose timestamp is >= `timestamp_ms` (offset_end when there is none). Blocking.
  Result<std::vector<TopicPartitionOffset>> offsets_for_times(std::string_view topic,
                                                              const std::vector<std::int32_t>& partitions,
                                                              std::int64_t timestamp_ms, std::chrono::milliseconds timeout);
  // The next offset this consumer will fetch from the partition (past control records too), -1 before the first fetch.
  [[nodiscard]] std::int64_t position(std::string_view topic, std::int32_t partition) const;

  // Last watermarks seen in fetch responses (no request; nullopt until the first fetch).
  [[nodiscard]] std::optional<Watermarks> cached_watermarks(std::string_view topic, std::int32_t partition) const;
  // Asks the partition leader (blocking).
  Result<Watermarks> query_watermarks(std::string_view topic, std::int32_t partition, std::chrono::milliseconds timeout);

  // librdkafka writes one byte to `fd` whenever the consumer queue (or the async commit result queue) goes from empty
  // to non-empty. Only that transition is signalled: after a wakeup, poll() and poll_commit_result() until they return
  // nullopt before waiting again (or poll first whenever you resume).
  void enable_queue_wakeup(int fd);

  // Messages fetched and not yet polled (librdkafka's local queue). Non-blocking.
  [[nodiscard]] std::size_t queued_messages() const;
  // Stops fetching these partitions and DROPS what was fetched and not yet polled (librdkafka purges the partition's
  // queue on a pause); resume() fetches again from one past the last message poll() returned, so nothing is skipped.
  // Pause only what has not been resumed, and resume only what was paused: a resume bumps the partition's fetch
  // version, which restarts a partition that was not paused from its assigned position.
  std::error_code pause(std::string_view topic, const std::vector<std::int32_t>& partitions);
  std::error_code resume(std::string_view topic, const std::vector<std::int32_t>& partitions);
  // librdkafka 2.0 handles a resume on its main thread and does not wake the broker threads, which fetch again only
  // when they next wake up on their own: up to a second later. A request sent to each partition's leader wakes its
  // broker thread now. Blocks for about a millisecond; the answers are not waited for.
  void wake_fetchers(std::string_view topic, const std::vector<std::int32_t>& partitions);

  // Stops fetching and releases the assignment. Idempotent; blocking (bounded by librdkafka's own timeouts).
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kok::kafka
