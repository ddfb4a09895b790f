#include "handlers/request_params.hpp"

#include <algorithm>
#include <cctype>
#include <exception>

#include "kok/http/error.hpp"
#include "kok/service/options.hpp"

namespace kok::consumer {

namespace {

constexpr std::string_view start_rule =
    "beginning, end, an offset, a time as epoch milliseconds (e.g. 1733253600000ms) or an ISO-8601 time with its zone "
    "(e.g. 2024-12-03T19:20:00Z)";

// parse(text) for ?name= when present; whatever it throws, or an empty answer, becomes 400 "name must be rule".
template <typename Parse>
auto parsed(const http::Request& req, std::string_view name, std::string_view rule, Parse parse)
    -> std::optional<typename decltype(parse(std::string_view{}))::value_type> {
  const auto text = req.query(name);
  if (!text) return std::nullopt;
  decltype(parse(std::string_view{})) value;
  try {
    value = parse(std::string_view{*text});
  } catch (const std::exception&) {
  }
  if (!value) throw http::bad_request(std::string(name) + " must be " + std::string(rule));
  return value;
}

}  // namespace

std::optional<std::size_t> max_param(const http::Request& req) {
  return parsed(req, "max", "a whole number of at least 1", [](std::string_view text) {
    return std::optional{static_cast<std::size_t>(service::parse_integer(text, 1, 1'000'000'000))};
  });
}

std::optional<std::chrono::milliseconds> wait_param(const http::Request& req) {
  return parsed(req, "wait", "a duration like 500ms, 5s or 1m", [](std::string_view text) {
    return std::optional{service::parse_duration(text)};  // refuses negative numbers
  });
}

std::optional<std::int32_t> partition_param(const http::Request& req) {
  return parsed(req, "partition", "a partition number (0 or more)", [](std::string_view text) {
    return std::optional{static_cast<std::int32_t>(service::parse_integer(text, 0, INT32_MAX))};
  });
}

std::optional<std::string> reader_param(const http::Request& req) {
  return parsed(req, "reader", "1-128 characters of [A-Za-z0-9._-]", [](std::string_view text) {
    const bool legal = !text.empty() && text.size() <= 128 && std::all_of(text.begin(), text.end(), [](unsigned char c) {
      return std::isalnum(c) != 0 || c == '.' || c == '_' || c == '-';
    });
    return legal ? std::optional<std::string>{text} : std::nullopt;
  });
}

std::optional<BrowseStart> start_param(const http::Request& req, std::string_view name) {
  return parsed(req, name, start_rule, [](std::string_view text) { return parse_browse_start(text); });
}

BrowseStart required_start_param(const http::Request& req, std::string_view name) {
  if (auto start = start_param(req, name)) return *start;
  throw http::bad_request(std::string(name) + " must be " + std::string(start_rule));
}

std::optional<EventPosition> last_event_id(const http::Request& req) {
  const auto id = req.header("Last-Event-ID");
  if (!id || id->empty()) return std::nullopt;
  auto position = parse_event_id(*id);
  if (!position) throw http::bad_request("Last-Event-ID must be partition:offset, as sent in the event ids");
  return position;
}

}  // namespace kok::consumer
