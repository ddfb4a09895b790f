#pragma once
// The producer service's settings: the shared ones plus how long a produce may wait for the brokers.

#include <chrono>
#include <cstddef>

#include "kok/service/common_config.hpp"

namespace kok::producer {

struct ProducerConfig {
  service::CommonConfig common;
  // message.timeout.ms: how long a message may wait for acks=all before the request answers 504.
  std::chrono::milliseconds produce_timeout{std::chrono::seconds{15}};
  // librdkafka message.max.bytes; keep it equal to the brokers' message.max.bytes.
  std::size_t message_max_bytes = 1049600;

  ProducerConfig() { common.http.port = 8070; }
};

// Registers the common options plus PRODUCE_TIMEOUT --produce-timeout and KAFKA_MESSAGE_MAX_BYTES --message-max-bytes.
void add_producer_options(service::Options& options, ProducerConfig& config);

}  // namespace kok::producer
