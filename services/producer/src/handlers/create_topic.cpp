#include <boost/asio/use_awaitable.hpp>

#include "handlers/common.hpp"
#include "handlers/handlers.hpp"
#include "handlers/request_bodies.hpp"
#include "handlers/topic_json.hpp"
#include "kok/kafka/error.hpp"
#include "kok/service/kafka_errors.hpp"
#include "kok/service/topic_param.hpp"

namespace kok::producer {

Reply create_topic(const ProducerService& service, http::Request& request) {
  auto topic = service::topic_param(request);
  const bool has_body = request.body().find_first_not_of(" \t\r\n") != std::string::npos;
  if (has_body && request.header("Content-Type") && !request.content_type_is("application/json")) {
    throw http::Error(http::ErrorStatus::unsupported_media_type, "expected Content-Type: application/json");
  }
  auto spec = parse_topic_options(topic, request.body());
  const auto created = co_await service.admin.async_create_topic(std::move(spec), boost::asio::use_awaitable);
  service::throw_if_kafka_error(created);
  if (created.value == kafka::TopicCreation::already_exists) throw http::conflict("topic already exists");
  request.log(spdlog::level::info, "topic {} created", topic);

  // Brokers learn about a new topic a moment after the controller created it: retry the describe briefly.
  for (int attempt = 0;; ++attempt) {
    auto name = topic;
    const auto described = co_await service.admin.async_describe_topic(std::move(name), boost::asio::use_awaitable);
    if (described.ok() && !described.value.partitions.empty()) {
      co_return http::Response::json(http::status::created, topic_json(described.value));
    }
    if (attempt >= 20 || (!described.ok() && !kafka::is_unknown_topic(described.error))) {
      // Created, but not describable yet: still a 201, with what we know.
      co_return http::Response::json(http::status::created, {{"name", topic}, {"partitions", nlohmann::json::array()}, {"configs", nlohmann::json::object()}});
    }
    if (!co_await request.sleep_for(std::chrono::milliseconds{100})) {
      co_return http::Response::json(http::status::created, {{"name", topic}});
    }
  }
}

}  // namespace kok::producer
