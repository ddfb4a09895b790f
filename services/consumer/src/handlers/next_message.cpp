// GET /{t} — the seed's read: one message as text, 404 "Not Found" when there is none.

#include "handlers/handlers.hpp"
#include "handlers/read_one.hpp"
#include "settings.hpp"

namespace kok::consumer {

boost::asio::awaitable<http::Response> next_message(ConsumerService& service, http::Request& req) {
  co_return co_await read_one(service, req, service.settings.next_wait);
}

}  // namespace kok::consumer
