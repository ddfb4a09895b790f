#include "handlers/read_one.hpp"

#include "handlers/delivery.hpp"
#include "record_format.hpp"

namespace kok::consumer {

boost::asio::awaitable<http::Response> read_one(ConsumerService& service, http::Request& req,
                                                std::chrono::milliseconds wait) {
  auto delivery = co_await take_delivery(service, req, 1, wait);
  // Exactly the seed's answer (no trailing newline), not the generic error rendering.
  if (!delivery) co_return http::Response::text(http::status::not_found, "Not Found");
  auto answer = http::Response::text(http::status::ok, format_text(delivery->messages().front()));
  co_return delivering(std::move(delivery), std::move(answer));
}

}  // namespace kok::consumer
