#include <boost/asio/use_awaitable.hpp>

#include "handlers/handlers.hpp"
#include "kok/service/kafka_errors.hpp"
#include "kok/service/topic_param.hpp"

namespace kok::producer {

Reply delete_topic(const ProducerService& service, http::Request& request) {
  const auto topic = service::topic_param(request);
  // Kafka's own (__consumer_offsets) and this service's (the Idempotency-Key store) live under "__": deleting one
  // would lose committed positions or let a retried POST write twice.
  if (topic.starts_with("__")) {
    throw http::Error(http::ErrorStatus::forbidden, "internal topic (name starts with \"__\"): not deleted");
  }
  const auto deleted = co_await service.admin.async_delete_topic(topic, boost::asio::use_awaitable);
  service::throw_if_kafka_error(deleted);
  // A second DELETE of the same topic finds nothing: 404, like any missing topic.
  if (!deleted.value) throw http::not_found("topic does not exist");
  request.log(spdlog::level::info, "deleted topic '{}'", topic);
  co_return http::Response::empty(http::status::no_content);
}

}  // namespace kok::producer
