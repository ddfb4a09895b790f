#pragma once
// The consumer service's own Prometheus series (the http library adds request counts and latencies).

#include <string>

#include "kok/http/metrics.hpp"

namespace kok::consumer {

struct ConsumerMetrics {
  explicit ConsumerMetrics(http::metrics::Registry& registry);

  // Per topic: messages whose response was written, messages handed out again after a failed write, and how far the
  // group's committed position trails the end of the log (from the last fetch's high watermark, no extra request).
  http::metrics::Family<http::metrics::Counter>& delivered;
  http::metrics::Family<http::metrics::Counter>& redelivered;
  http::metrics::Family<http::metrics::Gauge>& lag;
  // Open per-topic consumers, and how many were closed because they were idle or to make room.
  http::metrics::Gauge& open_topics;
  http::metrics::Counter& closed_idle;
  http::metrics::Counter& evicted;
};

}  // namespace kok::consumer
