// kok-producer: creates topics and writes messages to Kafka over HTTP (port 8070). See --help.
#include <unistd.h>

#include <array>
#include <boost/asio/io_context.hpp>
#include <spdlog/spdlog.h>

#include "idempotency/key_store.hpp"
#include "kok/http/server.hpp"
#include "kok/kafka/admin.hpp"
#include "kok/kafka/config.hpp"
#include "kok/kafka/producer.hpp"
#include "kok/service/memory_limit.hpp"
#include "kok/service/readiness.hpp"
#include "kok/service/service_main.hpp"
#include "producer_config.hpp"
#include "producer_service.hpp"
#include "routes.hpp"

namespace {

using namespace kok;

// How long a claim on an Idempotency-Key lasts: past the last moment its attempt can still put a record into Kafka —
// the delivery timeout (the last send), plus how long a broker may hold that acks=all produce before it answers
// (request.timeout.ms), plus a margin for the clocks.
std::chrono::milliseconds claim_lease(const kafka::ConfigMap& producer_settings) {
  const auto setting = [&producer_settings](const char* name, long fallback) {
    const auto it = producer_settings.find(name);
    return std::chrono::milliseconds{it == producer_settings.end() ? fallback : std::stol(it->second)};
  };
  return setting("message.timeout.ms", 30'000) + setting("request.timeout.ms", 30'000) + std::chrono::seconds{5};
}

producer::idempotency::KeyStore::Options key_store_options(const producer::ProducerConfig& config,
                                                           const kafka::ConfigMap& producer_settings) {
  producer::idempotency::KeyStore::Options options;
  options.topic = config.idempotency_topic;
  options.timing.ttl = config.idempotency_key_ttl;
  options.timing.lease = claim_lease(producer_settings);
  std::array<char, 256> host{};
  (void)gethostname(host.data(), host.size() - 1);
  const auto started = std::chrono::system_clock::now().time_since_epoch();
  options.instance = std::string(host.data()) + "-" + std::to_string(getpid()) + "-" +
                     std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(started).count());
  return options;
}

// Assembled in dependency order, each piece finished before the next takes it: the io_context, the Kafka clients, the
// readiness probe and the Idempotency-Key store, the service, its routes, the server. Destruction runs the other way:
// the server first (no request left), then the clients (their last completions go to the io_context, which is still there), the io_context last.
int run(const kok::producer::ProducerConfig& config) {
    const auto& bootstrap = config.common.bootstrap_servers;
  spdlog::info("kafka bootstrap servers: {}", bootstrap);
  boost::asio::io_context io{static_cast<int>(config.common.http.threads)};

  kafka::Admin::Options admin_options;
  admin_options.request_timeout = config.common.kafka_request_timeout;
  admin_options.visible_timeout = config.topic_visible_timeout;
  const auto& overrides = config.common.kafka_overrides;
  kafka::Admin admin{kafka::admin_config(bootstrap, overrides), admin_options};
  // message.max.bytes matches the brokers' max.message.bytes (1 MiB + 1 KiB): a body at the 1 MiB HTTP limit plus its
  // key and the record overhead must fit, or librdkafka would refuse it locally before any broker saw it.
  // The named settings win over the same property in KAFKA_CLIENT_CONFIG.
  kafka::ConfigMap producer_settings{{"message.timeout.ms", std::to_string(config.produce_timeout.count())},
                                     {"message.max.bytes", std::to_string(config.message_max_bytes)}};
  producer_settings.insert(overrides.begin(), overrides.end());
  // Sized from the memory the process may use, unless KAFKA_CLIENT_CONFIG sets it.
  const auto memory_limit = service::cgroup_memory_limit();
  producer_settings.emplace("queue.buffering.max.kbytes", std::to_string(producer::local_queue_kbytes(memory_limit)));
  spdlog::info("local queue up to {} KiB (memory limit: {})", producer_settings.at("queue.buffering.max.kbytes"),
               memory_limit ? std::to_string(*memory_limit >> 20) + " MiB" : std::string{"none found"});
  kafka::Producer producer{kafka::producer_config(bootstrap, producer_settings)};
  service::KafkaReadiness readiness{io, admin, config.common.readiness_interval};

  auto metrics_registry = std::make_shared<http::metrics::Registry>();
  producer::ProducerMetrics metrics{*metrics_registry};
  producer::TopicCreations creations{io.get_executor(), config.topic_visible_timeout};
  producer::idempotency::KeyStore keys{kafka::consumer_config(bootstrap, "kok-producer-idempotency", overrides),
                                       admin, producer, key_store_options(config, producer_settings)};
  const producer::ProducerService service{config, admin, producer, metrics, creations, keys};
  http::Server server{io, config.common.http, producer::make_router(service), metrics_registry, readiness.check()};

  readiness.start();
  keys.start();
  server.run();  // until SIGTERM/SIGINT and the drain
  spdlog::info("producer stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  kok::producer::ProducerConfig config;
  kok::service::Options options(
      "kok-producer",
      "HTTP front end that creates Kafka topics and writes messages (acks=all, idempotent). Routes: POST /topic/{t}, "
      "POST /message/{t}, POST /producer/{t}, GET /topics, GET|POST /topics/{t}, POST /topics/{t}/messages, "
      "GET /healthz, /readyz, /metrics, /openapi.yaml.");
  kok::producer::add_producer_options(options, config);
  return kok::service::service_main(argc, argv, options, "kok-producer", config.common.log_level,
                                    [&config] { return run(config); });
}
