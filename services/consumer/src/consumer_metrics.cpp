#include "consumer_metrics.hpp"

namespace kok::consumer {

ConsumerMetrics::ConsumerMetrics(http::metrics::Registry& registry)
    : delivered(registry.counter("kok_consumer_messages_delivered_total",
                                 "Messages whose HTTP response (or SSE event) was written", {"topic"})),
      redelivered(registry.counter("kok_consumer_redeliveries_total",
                                   "Messages handed out again because their response could not be written", {"topic"})),
      lag(registry.gauge("kok_consumer_lag_messages",
                         "High watermark minus the committed position, summed over the topic's partitions", {"topic"})),
      open_topics(registry.gauge("kok_consumer_open_topics", "Per-topic Kafka consumers currently open").get()),
      closed_idle(registry.counter("kok_consumer_idle_closed_total", "Per-topic consumers closed after being idle").get()),
      evicted(registry.counter("kok_consumer_evicted_total",
                               "Per-topic consumers closed early to make room for another topic").get()) {}

}  // namespace kok::consumer
