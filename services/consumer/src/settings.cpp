#include "settings.hpp"

namespace kok::consumer {

void add_consumer_options(service::Options& options, ConsumerSettings& s) {
  service::add_common_options(options, s.common);
  options
      .add("group", "CONSUMER_GROUP", "Kafka consumer group whose committed offsets this service uses", s.group,
           [&s](std::string_view v) {
             if (v.empty()) throw service::ConfigError("must not be empty");
             s.group = std::string(v);
           })
      .add("next-wait", "CONSUMER_NEXT_WAIT", "GET /{topic}: wait this long for a message before answering 404",
           service::duration_text(s.next_wait), [&s](std::string_view v) { s.next_wait = service::parse_duration(v); })
      .add("catch-up-grace", "CONSUMER_CATCH_UP_GRACE", "A read past its wait that finds nothing while the consumer "
           "has not fetched up to the topic's end yet waits on this long at most (an empty answer means nothing to read)",
           service::duration_text(s.catch_up_grace),
           [&s](std::string_view v) { s.catch_up_grace = service::parse_duration(v); })
      .add("max-wait", "CONSUMER_MAX_WAIT", "Upper bound for ?wait= on long polls", service::duration_text(s.max_wait),
           [&s](std::string_view v) { s.max_wait = service::parse_positive_duration(v); })
      .add("default-batch", "CONSUMER_DEFAULT_BATCH", "Records per JSON answer when ?max= is not given",
           std::to_string(s.default_batch),
           [&s](std::string_view v) { s.default_batch = static_cast<std::size_t>(service::parse_integer(v, 1, 100000)); })
      .add("max-batch", "CONSUMER_MAX_BATCH", "Upper bound for ?max=", std::to_string(s.max_batch),
           [&s](std::string_view v) { s.max_batch = static_cast<std::size_t>(service::parse_integer(v, 1, 100000)); })
      .add("max-topics", "CONSUMER_MAX_TOPICS", "Per-topic Kafka consumers open at once (least recently used idle "
           "ones are closed to make room)", std::to_string(s.max_topics),
           [&s](std::string_view v) { s.max_topics = static_cast<std::size_t>(service::parse_integer(v, 1, 100000)); })
      .add("memory-budget", "CONSUMER_MEMORY_BUDGET", "Memory for the prefetched messages of all open topics "
           "together, e.g. 128MiB (auto: half the container's memory limit, or 128MiB without one)", "auto",
           [&s](std::string_view v) {
             if (v == "auto") {
               s.memory_budget.reset();
               return;
             }
             const auto bytes = service::parse_size(v);
             if (bytes < (std::size_t{1} << 20)) throw service::ConfigError("must be at least 1MiB");
             s.memory_budget = bytes;
           })
      .add("topic-idle-timeout", "CONSUMER_IDLE_TIMEOUT", "Close a topic's consumer after this long unused (commits first)",
           service::duration_text(s.idle_timeout), [&s](std::string_view v) { s.idle_timeout = service::parse_positive_duration(v); })
      .add("ack-timeout", "CONSUMER_ACK_TIMEOUT", "?reader=R: hand out again what R has not acknowledged after this long",
           service::duration_text(s.ack_timeout), [&s](std::string_view v) { s.ack_timeout = service::parse_positive_duration(v); })
      .add("sse-heartbeat", "SSE_HEARTBEAT", "Comment line on an idle event stream this often",
           service::duration_text(s.heartbeat), [&s](std::string_view v) { s.heartbeat = service::parse_positive_duration(v); });
}

}  // namespace kok::consumer
