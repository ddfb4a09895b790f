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
  auto name = topic;
  auto result = co_await service.admin.async_describe_topic(std::move(name), boost::asio::use_awaitable);
  if (!result.ok() && kafka::is_unknown_topic(result.error)) {
    // The broker asked may not have applied a creation that just happened: ask once more before saying 404.
    if (co_await request.sleep_for(std::chrono::milliseconds{250})) {
      name = topic;
      result = co_await service.admin.async_describe_topic(std::move(name), boost::asio::use_awaitable);
    }
  }
  service::throw_if_kafka_error(result);
  co_return http::Response::json(http::status::ok, topic_json(result.value));
}

}  // namespace kok::producer
