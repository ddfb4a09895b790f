// kok-producer: creates topics and writes messages to Kafka over HTTP (port 8070). See --help.
#include <iostream>
#include <spdlog/spdlog.h>

#include "kok/http/server.hpp"
#include "kok/kafka/admin.hpp"
#include "kok/kafka/config.hpp"
#include "kok/kafka/producer.hpp"
#include "kok/service/logging.hpp"
#include "kok/service/readiness.hpp"
#include "producer_config.hpp"
#include "producer_context.hpp"
#include "routes.hpp"

namespace {

int run(const kok::producer::ProducerConfig& config) {
  using namespace kok;
  const auto& bootstrap = config.common.bootstrap_servers;
  spdlog::info("kafka bootstrap servers: {}", bootstrap);

  kafka::Admin::Options admin_options;
  admin_options.request_timeout = config.common.kafka_request_timeout;
  auto admin = std::make_unique<kafka::Admin>(kafka::admin_config(bootstrap), admin_options);
  // message.max.bytes matches the brokers' max.message.bytes (1 MiB + 1 KiB): a body at the 1 MiB HTTP limit plus its
  // key and the record overhead must fit, or librdkafka would refuse it locally before any broker saw it.
  auto producer = std::make_unique<kafka::Producer>(kafka::producer_config(
      bootstrap, {{"message.timeout.ms", std::to_string(config.produce_timeout.count())},
                  {"message.max.bytes", std::to_string(config.message_max_bytes)}}));

  auto registry = std::make_shared<http::metrics::Registry>();
  producer::ProducerMetrics metrics(*registry);
  producer::ProducerContext ctx;
  ctx.config = &config;
  ctx.admin = admin.get();
  ctx.producer = producer.get();
  ctx.metrics = &metrics;

  http::Server server(config.common.http, producer::make_routes(ctx), registry);
  {
    service::KafkaReadiness readiness(server.io_context(), *admin, config.readiness_interval);
    ctx.readiness = &readiness;
    server.set_readiness_check(readiness.check());
    readiness.start();
    server.listen();
    server.run();  // until SIGTERM/SIGINT and the drain
    ctx.readiness = nullptr;
  }
  // The Kafka clients post their last completions to the server's io_context: they go first, the server last.
  producer.reset();
  admin.reset();
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
  try {
    if (options.parse(argc, argv, std::cout) == kok::service::Options::Outcome::exit_success) return 0;
    kok::service::setup_logging("producer", config.common.log_level);
  } catch (const std::exception& e) {
    std::cerr << "kok-producer: " << e.what() << "\n";
    return 2;
  }
  try {
    return run(config);
  } catch (const std::exception& e) {
    spdlog::critical("producer failed: {}", e.what());
    return 1;
  }
}
