// GET /consumer/{t} — text like GET /{t}, or a JSON long-poll batch with Accept: application/json.
// POST /consumer/{t}/ack — a named reader acknowledges what it was sent.

#include <algorithm>

#include <nlohmann/json.hpp>

#include "consumer_registry.hpp"
#include "handlers/delivery.hpp"
#include "kok/service/topic_param.hpp"
#include "handlers/handlers.hpp"
#include "handlers/read_one.hpp"
#include "kok/http/error.hpp"
#include "handlers/query_params.hpp"
#include "record_format.hpp"
#include "settings.hpp"

namespace kok::consumer {
boost::asio::awaitable<http::Response> consume(ConsumerService& service, http::Request& req) {
  const auto& s = service.settings;
  const auto wait = std::min(wait_param(req).value_or(s.next_wait), s.max_wait);
  if (!req.accepts_json()) co_return co_await read_one(service, req, wait);

  const auto topic = service::topic_param(req);
  const auto max = std::min(max_param(req).value_or(s.default_batch), s.max_batch);
  auto reader = reader_param(req);
  Lease lease = co_await service.registry.acquire(topic);
  if (reader) lease->acknowledge(*reader);  // its next read says it processed the last batch
  auto messages = co_await take_messages(*lease, req.interruption(), max, wait, service.settings.catch_up_grace);
  if (messages.empty()) co_return http::Response::empty(http::status::no_content);

  auto delivery = std::make_shared<Delivery>(lease.shared(), std::move(messages), std::move(reader));
  std::string body;
  body.reserve(delivery->messages().size() * 256);
  body.push_back('[');
  for (const auto& m : delivery->messages()) {
    if (body.size() > 1) body.push_back(',');
    append_json(body, m);
  }
  body.push_back(']');
  auto response = http::Response::text(http::status::ok, std::move(body));
  response.header("Content-Type", "application/json");
  response.on_written([delivery](bool written) { delivery->finish(written); });
  co_return response;
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
