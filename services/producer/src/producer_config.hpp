#pragma once
// The producer service's settings: the shared ones plus how long a produce may wait for the brokers.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "kok/service/common_config.hpp"

namespace kok::producer {

struct ProducerConfig {
  service::CommonConfig common;
  // message.timeout.ms: how long a message may wait for acks=all before the request answers 504.
  std::chrono::milliseconds produce_timeout{std::chrono::seconds{15}};
  // librdkafka message.max.bytes; keep it equal to the brokers' message.max.bytes.
  std::size_t message_max_bytes = 1049600;
  // kafka::Admin::Options::visible_timeout: how long a topic created here may take to reach every broker's metadata.
  std::chrono::milliseconds topic_visible_timeout{std::chrono::seconds{5}};
  // Idempotency-Key: how long a completed key is remembered (and replayed), and the topic that stores the keys.
  std::chrono::milliseconds idempotency_key_ttl{std::chrono::hours{24}};
  std::string idempotency_topic = "__kok_idempotency_keys";

  ProducerConfig() { common.http.port = 8070; }
};

// librdkafka's queue.buffering.max.kbytes for a process that may use `memory_limit` bytes (the container's, else the
// Deployment's 256 MiB): a quarter of it. librdkafka's own default (1 GiB) lets bodies near 1 MiB that wait for slow or
// hung brokers fill the queue past the pod's limit; a full queue answers 503 at once instead. The rest is for the
// bodies being received (up to the HTTP body limit per connection) and the process itself.
std::size_t local_queue_kbytes(std::optional<std::uint64_t> memory_limit);

// Registers the common options plus PRODUCE_TIMEOUT --produce-timeout, KAFKA_MESSAGE_MAX_BYTES --message-max-bytes
// KAFKA_TOPIC_VISIBLE_TIMEOUT --topic-visible-timeout, IDEMPOTENCY_KEY_TTL --idempotency-key-ttl and
// IDEMPOTENCY_TOPIC --idempotency-topic.
void add_producer_options(service::Options& options, ProducerConfig& config);

}  // namespace kok::producer
