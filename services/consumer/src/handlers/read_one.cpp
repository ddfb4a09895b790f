#include "handlers/read_one.hpp"

#include "consumer_registry.hpp"
#include "handlers/delivery.hpp"
#include "handlers/query_params.hpp"
#include "kok/service/topic_param.hpp"
#include "record_format.hpp"
#include "settings.hpp"

namespace kok::consumer {

boost::asio::awaitable<http::Response> read_one(ConsumerService& service, http::Request& req,
                                                std::chrono::milliseconds wait) {
  const auto topic = service::topic_param(req);
  auto reader = reader_param(req);
  Lease lease = co_await service.registry.acquire(topic);
  if (reader) lease->acknowledge(*reader);  // its next read says it processed the last one
  auto messages = co_await take_messages(*lease, req.interruption(), 1, wait, service.settings.catch_up_grace);
  // Exactly the seed's answer (no trailing newline), not the generic error rendering.
  if (messages.empty()) co_return http::Response::text(http::status::not_found, "Not Found");
  auto delivery = std::make_shared<Delivery>(lease.shared(), std::move(messages), std::move(reader));
  auto response = http::Response::text(http::status::ok, format_text(delivery->messages().front()));
  // Commit only once the bytes are out; if writing fails the message goes to the next caller.
  response.on_written([delivery](bool written) { delivery->finish(written); });
  co_return response;
}

}  // namespace kok::consumer
