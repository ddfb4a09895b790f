#include "kok/service/common_config.hpp"

#include <limits>
#include <stdexcept>

#include "kok/http/cors.hpp"
#include "kok/http/text.hpp"

namespace kok::service {

std::string normalize_bootstrap_servers(std::string_view value) {
  std::string out;
  while (!value.empty()) {
    const auto comma = value.find(',');
    std::string_view entry = value.substr(0, comma);
    while (!entry.empty() && entry.front() == ' ') entry.remove_prefix(1);
    while (!entry.empty() && entry.back() == ' ') entry.remove_suffix(1);
    if (const auto scheme = entry.find("://"); scheme != std::string_view::npos) entry.remove_prefix(scheme + 3);
    while (!entry.empty() && entry.back() == '/') entry.remove_suffix(1);
    if (!entry.empty()) {
      if (!out.empty()) out += ',';
      out += entry;
    }
    if (comma == std::string_view::npos) break;
    value.remove_prefix(comma + 1);
  }
  if (out.empty()) throw ConfigError("no bootstrap server given");
  return out;
}

kafka::ConfigMap parse_kafka_properties(std::string_view text) {
  kafka::ConfigMap out;
  std::string* last_value = nullptr;  // a piece without '=' continues the value before it
  while (!text.empty()) {
    const auto comma = text.find(',');
    const std::string_view piece = text.substr(0, comma);
    text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
    const auto eq = piece.find('=');
    if (eq == std::string_view::npos) {
      if (last_value == nullptr) {
        throw ConfigError("'" + std::string(piece) + "' is not key=value (KAFKA_CLIENT_CONFIG is key=value,key=value)");
      }
      *last_value += ',';
      *last_value += piece;
      continue;
    }
    const std::string key{http::trim(piece.substr(0, eq))};
    if (key.empty()) throw ConfigError("'" + std::string(piece) + "' has no key (KAFKA_CLIENT_CONFIG)");
    last_value = &out.insert_or_assign(key, std::string(piece.substr(eq + 1))).first->second;
  }
  return out;
}

void add_common_options(Options& options, CommonConfig& config) {
  auto& http = config.http;
  options
      .add("bootstrap-servers", "KAFKA_BOOTSTRAP_SERVERS", "Kafka bootstrap servers, host:port[,host:port...]",
           config.bootstrap_servers,
           [&config](std::string_view v) { config.bootstrap_servers = normalize_bootstrap_servers(v); }, {"KAFKAURL"})
      .add("address", "HTTP_ADDRESS", "Address to listen on", http.address,
           [&http](std::string_view v) { http.address = std::string(v); })
      .add("port", "HTTP_PORT", "HTTP port", std::to_string(http.port),
           [&http](std::string_view v) { http.port = static_cast<std::uint16_t>(parse_integer(v, 0, 65535)); })
      .add("threads", "HTTP_THREADS", "I/O threads serving HTTP", std::to_string(http.threads),
           [&http](std::string_view v) { http.threads = static_cast<std::size_t>(parse_integer(v, 1, 256)); })
      .add("log-level", "LOG_LEVEL", "trace, debug, info, warn, error, critical or off", config.log_level,
           [&config](std::string_view v) { config.log_level = std::string(v); })
      .add("body-limit", "HTTP_BODY_LIMIT",
           "Largest request body, e.g. 1MiB (keep it at or below the brokers' message.max.bytes)",
           std::to_string(http.body_limit), [&http](std::string_view v) { http.body_limit = parse_size(v); })
      .add("body-memory", "HTTP_BODY_MEMORY",
           "Request bodies held at once, all connections together; a request over it is answered 503 before its body "
           "is read",
           std::to_string(http.body_memory), [&http](std::string_view v) { http.body_memory = parse_size(v); })
      .add("header-limit", "HTTP_HEADER_LIMIT", "Largest request line + headers", std::to_string(http.header_limit),
           [&http](std::string_view v) { http.header_limit = parse_size(v); })
      .add("read-timeout", "HTTP_READ_TIMEOUT", "Time to receive a whole request once it started (e.g. 15s)",
           duration_text(http.read_timeout), [&http](std::string_view v) { http.read_timeout = parse_positive_duration(v); })
      .add("idle-timeout", "HTTP_IDLE_TIMEOUT", "How long an idle keep-alive connection stays open",
           duration_text(http.idle_timeout), [&http](std::string_view v) { http.idle_timeout = parse_positive_duration(v); })
      .add("write-timeout", "HTTP_WRITE_TIMEOUT", "Time to write one response to a slow client",
           duration_text(http.write_timeout),
           [&http](std::string_view v) { http.write_timeout = parse_positive_duration(v); })
      .add("max-connections", "HTTP_MAX_CONNECTIONS", "Open connections above this are answered 503",
           std::to_string(http.max_connections),
           [&http](std::string_view v) {
             http.max_connections = static_cast<std::size_t>(parse_integer(v, 1, std::numeric_limits<int>::max()));
           })
      .add("drain-timeout", "SHUTDOWN_DRAIN_TIMEOUT", "On SIGTERM, time in-flight requests get to finish",
           duration_text(http.drain_timeout), [&http](std::string_view v) { http.drain_timeout = parse_duration(v); })
      .add("cors-origins", "HTTP_CORS_ORIGINS",
           "Origins whose browser apps may call the API, comma-separated (https://app.example:8443), or * for any; "
           "empty: CORS off",
           "", [&http](std::string_view v) {
             try {
               http.cors_origins = http::CorsPolicy::parse(v);
             } catch (const std::invalid_argument& e) {
               throw ConfigError(e.what());
             }
           })
      .add("kafka-request-timeout", "KAFKA_REQUEST_TIMEOUT", "Bound for one Kafka admin or metadata request",
           duration_text(config.kafka_request_timeout),
           [&config](std::string_view v) { config.kafka_request_timeout = parse_positive_duration(v); })
      .add("kafka-config", "KAFKA_CLIENT_CONFIG",
           "librdkafka properties for every Kafka client, key=value,key=value (TLS/SASL, debug, tuning; durability "
           "settings cannot be weakened)",
           "", [&config](std::string_view v) { config.kafka_overrides = parse_kafka_properties(v); })
      .add("readiness-interval", "READINESS_INTERVAL", "How often /readyz re-checks that Kafka is reachable",
           duration_text(config.readiness_interval),
           [&config](std::string_view v) { config.readiness_interval = parse_positive_duration(v); });
}

}  // namespace kok::service
