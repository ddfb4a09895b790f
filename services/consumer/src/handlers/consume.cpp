// GET /consumer/{t} — text like GET /{t}, or a JSON long-poll batch with Accept: application/json.
// POST /consumer/{t}/ack — a named reader acknowledges what it was sent.

#include <algorithm>

#include <nlohmann/json.hpp>

#include "consumer_registry.hpp"
#include "handlers/delivery.hpp"
#include "handlers/handlers.hpp"
#include "handlers/read_one.hpp"
#include "handlers/request_params.hpp"
#include "kok/http/error.hpp"
#include "kok/service/topic_param.hpp"
#include "record_format.hpp"
#include "settings.hpp"

namespace kok::consumer {

boost::asio::awaitable<http::Response> consume(ConsumerService& service, http::Request& req) {
  const auto& s = service.settings;
  const auto wait = std::min(wait_param(req).value_or(s.next_wait), s.max_wait);
  if (!req.accepts_json()) co_return co_await read_one(service, req, wait);

  const auto max = std::min(max_param(req).value_or(s.default_batch), s.max_batch);
  auto delivery = co_await take_delivery(service, req, max, wait);
  if (!delivery) co_return http::Response::empty(http::status::no_content);

  std::string body;
  body.reserve(delivery->messages().size() * 256);
  body.push_back('[');
  for (const auto& m : delivery->messages()) {
    if (body.size() > 1) body.push_back(',');
    append_json(body, m);
  }
  body.push_back(']');
  auto answer = http::Response::text(http::status::ok, std::move(body));
  answer.header("Content-Type", "application/json");
  co_return delivering(std::move(delivery), std::move(answer));
}

boost::asio::awaitable<http::Response> acknowledge(ConsumerService& service, http::Request& req) {
  const auto topic = service::topic_param(req);
  const auto reader = reader_param(req);
  if (!reader) throw http::bad_request("name the reader: POST /consumer/{topic}/ack?reader=R");
  Lease lease = co_await service.registry.acquire(topic);
  const auto count = lease->acknowledge(*reader);
  co_return http::Response::json(http::status::ok, {{"topic", topic}, {"reader", *reader}, {"acknowledged", count}});
}

http::Response consumer_usage(http::Request&) {
  throw http::not_found("name a topic: GET /consumer/{topic}");
}

}  // namespace kok::consumer
