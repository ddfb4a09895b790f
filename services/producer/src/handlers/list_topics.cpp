#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include "handlers/handlers.hpp"
#include "kok/service/kafka_errors.hpp"

namespace kok::producer {

Reply list_topics(const ProducerService& service, http::Request&) {
  const auto result = co_await service.admin.async_list_topics(boost::asio::use_awaitable);
  service::throw_if_kafka_error(result);
  co_return http::Response::json(http::status::ok, nlohmann::json{{"topics", result.value}});
}

}  // namespace kok::producer
