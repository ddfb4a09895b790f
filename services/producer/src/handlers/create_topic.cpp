#include <boost/asio/use_awaitable.hpp>

#include "handlers/common.hpp"
#include "handlers/handlers.hpp"
#include "handlers/request_bodies.hpp"
#include "handlers/topic_json.hpp"
#include "kok/kafka/error.hpp"
#include "kok/service/kafka_errors.hpp"
#include "kok/service/topic_param.hpp"

namespace kok::producer {

namespace {

Reply create(const ProducerService& service, http::Request& request, const std::string& topic,
             KeyedAttempt* attempt) {
  auto spec = parse_topic_options(topic, request.body());
  const auto created = co_await create_new_topic(service, std::move(spec));
  // A keyed repeat of a creation that timed out: the topic that exists is the one that request made.
  const bool ours = attempt != nullptr && attempt->recovering;
  if (created == kafka::TopicCreation::already_exists && !ours) throw http::conflict("topic already exists");
  request.log(spdlog::level::info, "topic {} created", topic);

  // The Admin returned once the topic was visible (or its visibility budget ran out): one describe tells what was made.
  const auto described = co_await service.admin.async_describe_topic(topic, boost::asio::use_awaitable);
  kafka::TopicDescription description;
  if (described.ok()) {
    description = described.value;
  } else {
    description.name = topic;  // created all the same: answer 201 with what is known
    request.log(spdlog::level::warn, "topic {} created but not described yet: {}", topic, described.reason);
  }
  co_return http::Response::json(http::status::created, topic_json(description));
}

}  // namespace

Reply create_topic(const ProducerService& service, http::Request& request) {
  auto topic = service::topic_param(request);
  const bool has_body = request.body().find_first_not_of(" \t\r\n") != std::string::npos;
  if (has_body && request.header("Content-Type") && !request.content_type_is("application/json")) {
    throw http::Error(http::ErrorStatus::unsupported_media_type, "expected Content-Type: application/json");
  }
  co_return co_await idempotent(service, request, topic, KeyedWrite::topic,
                                [&](KeyedAttempt* attempt) { return create(service, request, topic, attempt); });
}

}  // namespace kok::producer
