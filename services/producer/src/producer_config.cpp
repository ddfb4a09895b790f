#include "producer_config.hpp"

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
           [&config](std::string_view v) { config.topic_visible_timeout = service::parse_positive_duration(v); });
}

std::size_t local_queue_kbytes(std::optional<std::uint64_t> memory_limit) {
  return memory_limit.value_or(std::uint64_t{256} << 20) / 4 / 1024;
}

}  // namespace kok::producer
