#include "routes.hpp"

#include "handlers/handlers.hpp"
#include "kok/service/spec_routes.hpp"

namespace kok::producer {

http::Router make_router(const ProducerService& service) {
  using service::with;
  // operationId in docs/openapi.yaml → handler; the spec gives each its method and path.
  return service::routes_from_spec("producer", {
      {"seed_create_topic", with(service, create_topic_seed)},
      {"seed_message",      with(service, produce_message)},
      {"seed_producer",     with(service, produce_message)},
      {"list_brokers",      with(service, list_brokers)},
      {"list_topics",       with(service, list_topics)},
      {"describe_topic",    with(service, describe_topic)},
      {"create_topic",      with(service, create_topic)},
      {"delete_topic",      with(service, delete_topic)},
      {"produce_records",   with(service, produce_records)},
  });
}

}  // namespace kok::producer
