#pragma once
// What every producer handler works with: assembled in main() before the server exists, finished (no empty slots),
// outliving every request. Handlers get it by const reference.

#include "idempotency/key_store.hpp"
#include "kok/http/metrics.hpp"
#include "kok/kafka/admin.hpp"
#include "kok/kafka/producer.hpp"
#include "producer_config.hpp"
#include "topic_creations.hpp"

namespace kok::producer {

struct ProducerMetrics {
  explicit ProducerMetrics(http::metrics::Registry& registry);
  // Messages acknowledged by the brokers / failed, by outcome ("acknowledged" or the error kind).
  http::metrics::Family<http::metrics::Counter>& messages;
  // Time from handing a message to librdkafka until acks=all came back.
  http::metrics::Histogram& ack_latency;
};

struct ProducerService {
  const ProducerConfig& config;
  kafka::Admin& admin;
  kafka::Producer& producer;
  ProducerMetrics& metrics;
  TopicCreations& creations;  // this process's topic creations, for the case check (handlers/common.hpp)
  idempotency::KeyStore& keys;  // Idempotency-Key (handlers/idempotent.hpp)
};

}  // namespace kok::producer
