#include "producer_config.hpp"

namespace kok::producer {

void add_producer_options(service::Options& options, ProducerConfig& config) {
  service::add_common_options(options, config.common);
  options
      .add("produce-timeout", "PRODUCE_TIMEOUT",
           "How long a message may wait for all in-sync replicas before the request fails with 504", "15s",
           [&config](std::string_view v) {
             config.produce_timeout = service::parse_duration(v);
             if (config.produce_timeout.count() <= 0) throw service::ConfigError("must be greater than zero");
           })
      .add("readiness-interval", "READINESS_INTERVAL", "How often /readyz re-checks that Kafka is reachable", "2s",
           [&config](std::string_view v) {
             config.readiness_interval = service::parse_duration(v);
             if (config.readiness_interval.count() <= 0) throw service::ConfigError("must be greater than zero");
           });
}

}  // namespace kok::producer
