#include "producer_service.hpp"

namespace kok::producer {

ProducerMetrics::ProducerMetrics(http::metrics::Registry& registry)
    : messages(registry.counter("kafka_produced_messages_total", "Messages handed to Kafka, by outcome.", {"outcome"})),
      ack_latency(registry
                      .histogram("kafka_produce_ack_seconds", "Time until the in-sync replicas acknowledged a message.",
                                 {})
                      .get()) {}

}  // namespace kok::producer
