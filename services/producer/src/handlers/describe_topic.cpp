#include <boost/asio/use_awaitable.hpp>

#include "handlers/common.hpp"
#include "handlers/handlers.hpp"
#include "handlers/topic_json.hpp"
#include "kok/service/kafka_errors.hpp"

namespace kok::producer {

Handler describe_topic(const ProducerContext& ctx, http::Request& request) {
  auto topic = topic_param(request);
  const auto result = co_await ctx.admin->async_describe_topic(std::move(topic), boost::asio::use_awaitable);
  if (!result.ok()) throw service::to_http_error(result.error, result.reason);
  co_return http::Response::json(http::status::ok, topic_json(result.value));
}

}  // namespace kok::producer
