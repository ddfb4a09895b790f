#pragma once
// What every producer handler works with. Owned by main(); handlers get it by const reference.

#include "kok/http/metrics.hpp"
#include "kok/kafka/admin.hpp"
#include "kok/kafka/producer.hpp"
#include "kok/service/readiness.hpp"
#include "producer_config.hpp"

namespace kok::producer {

struct ProducerMetrics {
  explicit ProducerMetrics(http::metrics::Registry& registry);
  // Messages acknowledged by the brokers / failed, by outcome ("acknowledged" or the error kind).
  http::metrics::Family<http::metrics::Counter>& messages;
  // Time from handing a message to librdkafka until acks=all came back.
  http::metrics::Histogram& ack_latency;
};

struct ProducerContext {
  const ProducerConfig* config = nullptr;
  kafka::Admin* admin = nullptr;
  kafka::Producer* producer = nullptr;
  const service::KafkaReadiness* readiness = nullptr;  // null in tests without a probe
  ProducerMetrics* metrics = nullptr;
};

}  // namespace kok::producer
