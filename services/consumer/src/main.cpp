// kok-consumer: hands out Kafka messages over HTTP, each to exactly one caller, committing after the reply is written.
//
// Assembled here, in dependency order, each piece finished before the next takes it: the io_context, the Kafka admin
// client and readiness probe, the per-topic consumer registry, the service, its routes, the server. Destruction runs
// the other way: the server first, the io_context last.

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>

#include "consumer_metrics.hpp"
#include "consumer_registry.hpp"
#include "kok/http/server.hpp"
#include "kok/kafka/admin.hpp"
#include "kok/kafka/config.hpp"
#include "kok/service/memory_limit.hpp"
#include "kok/service/service_main.hpp"
#include "kok/service/options.hpp"
#include "kok/service/readiness.hpp"
#include "routes.hpp"
#include "settings.hpp"

namespace {

int run(const kok::consumer::ConsumerSettings& settings) {
  using namespace kok;
  const auto& common = settings.common;
  boost::asio::io_context io{static_cast<int>(common.http.threads)};

  kafka::Admin::Options admin_options;
  admin_options.request_timeout = common.kafka_request_timeout;
  kafka::Admin admin{kafka::admin_config(common.bootstrap_servers, common.kafka_overrides), admin_options};
  service::KafkaReadiness readiness{io, admin, common.readiness_interval};

  auto metrics_registry = std::make_shared<http::metrics::Registry>();
  consumer::ConsumerMetrics metrics{*metrics_registry};
  consumer::RegistryOptions registry_options;
  registry_options.consumer_config =
      kafka::consumer_config(common.bootstrap_servers, settings.group, common.kafka_overrides);
  registry_options.max_topics = settings.max_topics;
  registry_options.idle_timeout = settings.idle_timeout;
  registry_options.ack_timeout = settings.ack_timeout;
  registry_options.metadata_timeout = common.kafka_request_timeout;
  const auto memory_limit = service::cgroup_memory_limit();
  registry_options.prefetch.budget = settings.memory_budget.value_or(consumer::default_prefetch_budget(memory_limit));
  if (registry_options.prefetch.floor * settings.max_topics > registry_options.prefetch.budget) {
    spdlog::warn("CONSUMER_MEMORY_BUDGET {} MiB gives {} topics less than {} MiB each: topics get that floor, and all "
                 "of them backlogged may use more than the budget",
                 registry_options.prefetch.budget >> 20, settings.max_topics, registry_options.prefetch.floor >> 20);
  }
  consumer::ConsumerRegistry registry{registry_options, io.get_executor(), admin, metrics};

  consumer::ConsumerService service{settings, registry};
  http::Server server{io, common.http, consumer::make_router(service), metrics_registry, readiness.check()};

  readiness.start();
  registry.start();
  spdlog::info("consumer group '{}', kafka {}, prefetch budget {} MiB (memory limit: {})", settings.group,
               common.bootstrap_servers, registry_options.prefetch.budget >> 20,
               memory_limit ? std::to_string(*memory_limit >> 20) + " MiB" : std::string{"none found"});
  server.run();  // until SIGTERM/SIGINT and the drain of in-flight requests
  // Every written response has been acknowledged by now: commit it before leaving.
  registry.close_all();
  // Closing cancelled the consumers' waits; their completions, still queued, hold the consumers. Run them now, while
  // what a consumer's destructor touches (the metrics) exists, rather than in the io_context's destructor after it.
  io.restart();
  io.poll();
  spdlog::info("consumer stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  kok::consumer::ConsumerSettings settings;
  kok::service::Options options{"kok-consumer",
                                "Reads Kafka topics over HTTP: GET /{topic}, GET /consumer/{topic} (text, or JSON "
                                "long-poll batches), GET /consumer/{topic}/stream (Server-Sent Events)."};
  kok::consumer::add_consumer_options(options, settings);
  return kok::service::service_main(argc, argv, options, "kok-consumer", settings.common.log_level,
                                    [&settings] { return run(settings); });
}
