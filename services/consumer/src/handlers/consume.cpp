// GET /consumer/{t} — text like GET /{t}, or a JSON long-poll batch with Accept: application/json.

#include <algorithm>

#include "consumer_registry.hpp"
#include "handlers/delivery.hpp"
#include "handlers/handlers.hpp"
#include "handlers/read_one.hpp"
#include "kok/http/error.hpp"
#include "kok/service/options.hpp"
#include "record_format.hpp"
#include "settings.hpp"

namespace kok::consumer {
namespace {

std::size_t max_parameter(const http::Request& req, std::size_t fallback, std::size_t bound) {
  const auto text = req.query("max");
  if (!text) return std::min(fallback, bound);
  try {
    return std::min(static_cast<std::size_t>(service::parse_integer(*text, 1, 1'000'000'000)), bound);
  } catch (const std::exception&) {
    throw http::bad_request("max must be a whole number of at least 1");
  }
}

}  // namespace

boost::asio::awaitable<http::Response> consume(App& app, http::Request& req) {
  const auto& s = app.settings;
  const auto wait = wait_parameter(req, s.next_wait, s.max_wait);
  if (!req.accepts_json()) co_return co_await read_one(app, req, wait);

  const std::string& topic = req.param("t");
  require_valid_topic(topic);
  const auto max = max_parameter(req, s.default_batch, s.max_batch);
  Lease lease = co_await app.registry->acquire(topic);
  auto messages = co_await take_messages(*lease, req, max, wait);
  if (messages.empty()) co_return http::Response::empty(http::status::no_content);

  auto delivery = std::make_shared<Delivery>(lease.shared(), std::move(messages));
  nlohmann::json records = nlohmann::json::array();
  for (const auto& m : delivery->messages()) records.push_back(to_json(m));
  auto response = http::Response::text(http::status::ok, dump_json(records));
  response.header("Content-Type", "application/json");
  response.on_written([delivery](bool written) { delivery->finish(written); });
  co_return response;
}

http::Response consumer_usage(http::Request&) {
  throw http::not_found("name a topic: GET /consumer/{topic}");
}

}  // namespace kok::consumer
