#include "handlers/common.hpp"
#include "handlers/handlers.hpp"
#include "kok/service/topic_param.hpp"

namespace kok::producer {

Reply create_topic_seed(const ProducerService& service, http::Request& request) {
  const auto topic = service::topic_param(request);
  co_return co_await idempotent(service, request, topic, KeyedWrite::topic, [&](KeyedAttempt*) -> Reply {
    // Named first: GCC 12 mishandles brace-initialised temporaries inside co_await expressions.
    kafka::NewTopic spec;
    spec.name = topic;
    spec.partitions = 1;
    spec.replication_factor = 3;
    const auto result = co_await create_new_topic(service, std::move(spec));
    const bool created = result == kafka::TopicCreation::created;
    request.log(spdlog::level::info, "topic {} {}", topic, created ? "created" : "already exists");
    co_return http::Response::text(http::status::ok, "Topic " + topic + (created ? " created" : " already exists"));
  });
}

}  // namespace kok::producer
