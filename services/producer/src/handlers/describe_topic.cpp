#include <boost/asio/use_awaitable.hpp>

#include "handlers/common.hpp"
#include "handlers/handlers.hpp"
#include "handlers/topic_json.hpp"
#include "kok/kafka/error.hpp"
#include "kok/service/kafka_errors.hpp"
#include "kok/service/topic_param.hpp"

namespace kok::producer {

Reply describe_topic(const ProducerService& service, http::Request& request) {
  const auto topic = service::topic_param(request);
  // A topic this service created a moment ago is waited for by the Admin (its visibility budget), not here.
  const auto result = co_await service.admin.async_describe_topic(topic, boost::asio::use_awaitable);
  service::throw_if_kafka_error(result);
  co_return http::Response::json(http::status::ok, topic_json(result.value));
}

}  // namespace kok::producer
