#include "producer_config.hpp"

#include <stdexcept>

#include "kok/kafka/topic_name.hpp"

namespace kok::producer {

void add_producer_options(service::Options& options, ProducerConfig& config) {
  service::add_common_options(options, config.common);
  options
      .add("produce-timeout", "PRODUCE_TIMEOUT",
           "How long a message may wait for all in-sync replicas before the request fails with 504",
           service::duration_text(config.produce_timeout),
           [&config](std::string_view v) { config.produce_timeout = service::parse_positive_duration(v); })
      .add("message-max-bytes", "KAFKA_MESSAGE_MAX_BYTES",
           "Largest record the producer sends; keep it equal to the brokers' message.max.bytes",
           std::to_string(config.message_max_bytes),
           [&config](std::string_view v) {
             config.message_max_bytes = static_cast<std::size_t>(service::parse_integer(v, 1000, 1000000000));
           })
      .add("topic-visible-timeout", "KAFKA_TOPIC_VISIBLE_TIMEOUT",
           "How long a topic created here may take to reach every broker; creating a topic waits for it",
           service::duration_text(config.topic_visible_timeout),
           [&config](std::string_view v) { config.topic_visible_timeout = service::parse_positive_duration(v); })
      .add("idempotency-key-ttl", "IDEMPOTENCY_KEY_TTL",
           "How long a request's Idempotency-Key is remembered: a repeat within it is answered as the first was",
           service::duration_text(config.idempotency_key_ttl),
           [&config](std::string_view v) { config.idempotency_key_ttl = service::parse_positive_duration(v); })
      .add("idempotency-topic", "IDEMPOTENCY_TOPIC",
           "Kafka topic holding the Idempotency-Keys, shared by every producer replica (created when missing)",
           config.idempotency_topic, [&config](std::string_view v) {
             if (const auto error = kafka::topic_name_error(v)) throw std::invalid_argument(*error);
             config.idempotency_topic = std::string(v);
           });
}

std::size_t local_queue_kbytes(std::optional<std::uint64_t> memory_limit) {
  return memory_limit.value_or(std::uint64_t{256} << 20) / 4 / 1024;
}

}  // namespace kok::producer
