#pragma once
// Settings both services share: Kafka bootstrap servers, the HTTP server, logging.

#include <chrono>
#include <string>

#include "kok/http/server.hpp"
#include "kok/service/options.hpp"

namespace kok::service {

struct CommonConfig {
  std::string bootstrap_servers = "localhost:9092";
  http::ServerConfig http;
  std::string log_level = "info";
  // Bound for one Kafka admin/metadata request (create, describe, exists, readiness).
  std::chrono::milliseconds kafka_request_timeout{std::chrono::seconds{5}};
  // How often the readiness probe (kok/service/readiness.hpp) asks the cluster.
  std::chrono::milliseconds readiness_interval{std::chrono::seconds{2}};
};

// Registers the shared options, writing into `config`:
//   KAFKA_BOOTSTRAP_SERVERS (legacy KAFKAURL) --bootstrap-servers, HTTP_ADDRESS --address, HTTP_PORT --port,
//   HTTP_THREADS --threads, LOG_LEVEL --log-level, HTTP_BODY_LIMIT --body-limit, HTTP_HEADER_LIMIT --header-limit,
//   HTTP_READ_TIMEOUT --read-timeout, HTTP_IDLE_TIMEOUT --idle-timeout, HTTP_WRITE_TIMEOUT --write-timeout,
//   HTTP_MAX_CONNECTIONS --max-connections, SHUTDOWN_DRAIN_TIMEOUT --drain-timeout,
//   KAFKA_REQUEST_TIMEOUT --kafka-request-timeout, READINESS_INTERVAL --readiness-interval.
// `config.http.port` should hold the service's default port before the call (it is shown in --help).
void add_common_options(Options& options, CommonConfig& config);

// "host:port,host:port" with any "scheme://" prefixes (seen in old KAFKAURL values) removed and blanks trimmed.
std::string normalize_bootstrap_servers(std::string_view value);

}  // namespace kok::service
