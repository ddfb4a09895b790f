#include "prefetch_budget.hpp"

#include <algorithm>

namespace kok::consumer {

std::uint64_t PrefetchBudget::share(std::size_t open_topics) const {
  const auto n = std::max<std::size_t>(open_topics, 1);
  return std::max(options_.budget / n, options_.floor);
}

PrefetchLimits PrefetchBudget::limits(std::size_t open_topics) const {
  const auto bytes = share(open_topics);
  const auto overhead = std::max<std::size_t>(options_.per_message_overhead, 1);
  PrefetchLimits out;
  out.messages = static_cast<std::size_t>(std::min<std::uint64_t>(options_.max_messages, bytes / 2 / overhead));
  const auto left = bytes - std::uint64_t{out.messages} * overhead;
  out.kbytes = static_cast<std::size_t>(std::min<std::uint64_t>(options_.max_kbytes, left / 1024));
  out.messages = std::max<std::size_t>(out.messages, 1);  // librdkafka's minimum for both
  out.kbytes = std::max<std::size_t>(out.kbytes, 1);
  return out;
}

std::uint64_t PrefetchBudget::cost(const TopicPrefetch& topic) const {
  if (topic.paused) return 0;
  return std::uint64_t{topic.queued_messages} * (options_.per_message_overhead + topic.average_bytes);
}

std::vector<std::string> PrefetchBudget::to_pause(const std::vector<TopicPrefetch>& topics) const {
  std::uint64_t total = 0;
  for (const auto& t : topics) total += cost(t);
  if (total <= options_.budget) return {};
  const auto fair = share(topics.size());
  struct Candidate {
    const TopicPrefetch* topic;
    std::uint64_t cost;
  };
  std::vector<Candidate> over;
  for (const auto& t : topics) {
    const auto c = cost(t);
    if (c > fair && !t.wanted) over.push_back({&t, c});
  }
  std::sort(over.begin(), over.end(), [](const Candidate& a, const Candidate& b) {
    if (a.topic->last_used != b.topic->last_used) return a.topic->last_used < b.topic->last_used;
    return a.cost > b.cost;
  });
  std::vector<std::string> out;
  for (const auto& c : over) {
    if (total <= options_.budget) break;
    out.push_back(c.topic->topic);
    total -= c.cost;
  }
  return out;
}

std::uint64_t default_prefetch_budget(std::optional<std::uint64_t> memory_limit) {
  return memory_limit.value_or(std::uint64_t{256} << 20) / 2;
}

}  // namespace kok::consumer
