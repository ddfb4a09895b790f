#pragma once
// One memory budget for the prefetch of every open topic together.
//
// Each topic's Kafka consumer prefetches into a local queue whose limits librdkafka fixes when the client is created
// (docs/decisions.md "Consumer prefetch"). Alone, a topic gets the full prefetch a hot reader needs; with many open,
// each new one gets its share of the budget (budget / open topics, never below a floor). Those limits cannot shrink a
// topic opened earlier, so the registry also looks at what every topic holds, as this class estimates it from the
// queued message count (librdkafka keeps ~300 B of its own per message, beside the payload), and pauses fetching of
// the topics that hold more than their share while the sum is over the budget: a pause drops that topic's queue, and
// its next read resumes fetching where the reader is. The topics read least recently go first; a topic a request is
// waiting on is never paused (its queue is empty anyway, or the request would have been served).
//
// Pure: the caller reads the queues and applies the decisions; unit-tested alone.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kok::consumer {

// librdkafka's queue limits for one topic's client: queued.min.messages, queued.max.messages.kbytes.
struct PrefetchLimits {
  std::size_t messages = 0;
  std::size_t kbytes = 0;
  friend bool operator==(const PrefetchLimits&, const PrefetchLimits&) = default;
};

// One open topic as it is now.
struct TopicPrefetch {
  std::string topic;
  std::size_t queued_messages = 0;  // fetched, not yet polled
  std::size_t average_bytes = 0;    // key + value per message read so far (0 before the first)
  bool paused = false;              // fetching paused by the budget: holds nothing
  bool wanted = false;              // a request is waiting for its messages
  std::chrono::steady_clock::time_point last_used{};
};

class PrefetchBudget {
 public:
  struct Options {
    std::uint64_t budget = std::uint64_t{128} << 20;
    // librdkafka's own memory per queued message (measured, docs/decisions.md "Consumer prefetch").
    std::size_t per_message_overhead = 300;
    // No share is smaller: a topic must still fetch a useful batch when very many are open.
    std::uint64_t floor = std::uint64_t{1} << 20;
    // What one hot topic needs (a second of reading); a larger budget gives no topic more.
    std::size_t max_messages = 100'000;
    std::size_t max_kbytes = 16'384;
  };

  explicit PrefetchBudget(Options options) : options_(options) {}

  // Bytes one topic may hold while `open_topics` are open.
  [[nodiscard]] std::uint64_t share(std::size_t open_topics) const;
  // Queue limits for a topic opened as one of `open_topics`: its message overhead and payload together stay within
  // its share (half for each, as far as the one-topic maximum allows).
  [[nodiscard]] PrefetchLimits limits(std::size_t open_topics) const;
  // Estimated bytes a topic holds.
  [[nodiscard]] std::uint64_t cost(const TopicPrefetch& topic) const;
  // Topics to pause now so that the sum comes back within the budget: only topics over their share and not waited on,
  // the least recently used first.
  [[nodiscard]] std::vector<std::string> to_pause(const std::vector<TopicPrefetch>& topics) const;

  [[nodiscard]] const Options& options() const noexcept { return options_; }

 private:
  Options options_;
};

// The budget when none is configured: half the memory the process may use (the container's limit, else the
// Deployment's 256 MiB), leaving the other half to the rest of the process and to a fetch in flight per topic.
std::uint64_t default_prefetch_budget(std::optional<std::uint64_t> memory_limit);

}  // namespace kok::consumer
