#pragma once
// Settings both services share: Kafka bootstrap servers, the HTTP server, logging.

#include <chrono>
#include <string>

#include "kok/http/server.hpp"
#include "kok/kafka/config.hpp"
#include "kok/service/options.hpp"

namespace kok::service {

struct CommonConfig {
  std::string bootstrap_servers = "localhost:9092";
  http::ServerConfig http;
  std::string log_level = "info";
  // Bound for one Kafka admin/metadata request (create, describe, exists, readiness).
  std::chrono::milliseconds kafka_request_timeout{std::chrono::seconds{5}};
  // librdkafka properties for every Kafka client of the service, after the project's own (KAFKA_CLIENT_CONFIG):
  // TLS/SASL for a remote cluster, debug contexts, tuning. The durability settings are checked all the same.
  kafka::ConfigMap kafka_overrides;
  // How often the readiness probe (kok/service/readiness.hpp) asks the cluster.
  std::chrono::milliseconds readiness_interval{std::chrono::seconds{2}};
};

// Registers the shared options, writing into `config`:
//   KAFKA_BOOTSTRAP_SERVERS (legacy KAFKAURL) --bootstrap-servers, HTTP_ADDRESS --address, HTTP_PORT --port,
//   HTTP_THREADS --threads, LOG_LEVEL --log-level, HTTP_BODY_LIMIT --body-limit, HTTP_BODY_MEMORY --body-memory,
//   HTTP_HEADER_LIMIT --header-limit,
//   HTTP_READ_TIMEOUT --read-timeout, HTTP_IDLE_TIMEOUT --idle-timeout, HTTP_WRITE_TIMEOUT --write-timeout,
//   HTTP_MAX_CONNECTIONS --max-connections, HTTP_CORS_ORIGINS --cors-origins, SHUTDOWN_DRAIN_TIMEOUT --drain-timeout,
//   KAFKA_REQUEST_TIMEOUT --kafka-request-timeout, KAFKA_CLIENT_CONFIG --kafka-config,
//   READINESS_INTERVAL --readiness-interval.
// `config.http.port` should hold the service's default port before the call (it is shown in --help).
void add_common_options(Options& options, CommonConfig& config);

// "key=value,key=value" as librdkafka properties. A comma splits only where a "key=" follows, so a value may hold
// commas itself ("debug=broker,topic,reconnect.backoff.max.ms=500" is two properties). Throws ConfigError.
kafka::ConfigMap parse_kafka_properties(std::string_view text);

// "host:port,host:port" with any "scheme://" prefixes (seen in old KAFKAURL values) removed and blanks trimmed.
std::string normalize_bootstrap_servers(std::string_view value);

}  // namespace kok::service
