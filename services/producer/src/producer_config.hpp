#pragma once
// The producer service's settings: the shared ones plus how long a produce may wait for the brokers.

#include <chrono>
#include <cstddef>
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

// Registers the common options plus PRODUCE_TIMEOUT --produce-timeout, KAFKA_MESSAGE_MAX_BYTES --message-max-bytes
// KAFKA_TOPIC_VISIBLE_TIMEOUT --topic-visible-timeout, IDEMPOTENCY_KEY_TTL --idempotency-key-ttl and
// IDEMPOTENCY_TOPIC --idempotency-topic.
void add_producer_options(service::Options& options, ProducerConfig& config);

}  // namespace kok::producer
