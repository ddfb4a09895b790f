#pragma once
// Everything the consumer service can be told, from environment variables or flags (see --help).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "kok/service/common_config.hpp"
#include "kok/service/options.hpp"

namespace kok::consumer {

struct ConsumerSettings {
  ConsumerSettings() { common.http.port = 8072; }

  service::CommonConfig common;
  // One consumer group per service: where committed offsets are kept.
  std::string group = "kafka-rest-consumer";
  // GET /{t}: how long to wait for a message before answering 404. Long enough for a new topic consumer to connect
  // and fetch, so a message already in the topic is returned by the very first GET.
  std::chrono::milliseconds next_wait{std::chrono::seconds{1}};
  // A read past its wait that finds nothing while the topic's consumer has not yet fetched up to the high watermark
  // (a cold start: group coordinator, committed offsets, first fetch) waits on this long at most, so that an empty
  // answer means "nothing to read", not "not fetched yet"; a cluster in trouble still gets an answer then.
  std::chrono::milliseconds catch_up_grace{std::chrono::seconds{10}};
  // Upper bound for ?wait= on long polls.
  std::chrono::milliseconds max_wait{std::chrono::seconds{30}};
  // ?max= default and upper bound for JSON batches.
  std::size_t default_batch = 100;
  std::size_t max_batch = 1000;
  // Per-topic consumers: how many may be open, and when an unused one is closed.
  std::size_t max_topics = 64;
  std::chrono::milliseconds idle_timeout{std::chrono::seconds{60}};
  // Memory for the prefetched messages of all open topics together; unset: from the container's memory limit
  // (default_prefetch_budget).
  std::optional<std::uint64_t> memory_budget;
  // ?reader=R: how long what R was sent waits for R's acknowledgement before it is handed out again.
  std::chrono::milliseconds ack_timeout{std::chrono::seconds{30}};
  // SSE: a comment line this often when there is nothing to send, so proxies keep the stream open.
  std::chrono::milliseconds heartbeat{std::chrono::seconds{15}};
};

void add_consumer_options(service::Options& options, ConsumerSettings& settings);

}  // namespace kok::consumer
