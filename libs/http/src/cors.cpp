#include "kok/http/cors.hpp"

#include <algorithm>
#include <boost/beast/core/string.hpp>
#include <stdexcept>

#include "kok/http/text.hpp"

namespace kok::http {

namespace {

// Comma-separated items, blanks trimmed, empty ones dropped.
std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> out;
  while (!text.empty()) {
    const auto comma = text.find(',');
    const auto item = trim(text.substr(0, comma));
    if (!item.empty()) out.emplace_back(item);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return out;
}

bool is_origin(std::string_view s) {
  std::string_view rest;
  if (s.starts_with("http://")) {
    rest = s.substr(7);
  } else if (s.starts_with("https://")) {
    rest = s.substr(8);
  } else {
    return false;
  }
  return !rest.empty() && rest.find_first_of("/?# ") == std::string_view::npos;
}

}  // namespace

CorsPolicy::CorsPolicy(std::vector<std::string> allowed_origins) : origins_(std::move(allowed_origins)) {}

std::vector<std::string> CorsPolicy::parse(std::string_view comma_separated) {
  auto origins = split_list(comma_separated);
  for (const auto& o : origins) {
    if (o == "*") {
      if (origins.size() != 1) throw std::invalid_argument("'*' allows every origin: list no others with it");
    } else if (!is_origin(o)) {
      throw std::invalid_argument("'" + o + "' is not an origin (scheme://host[:port], no path, or '*')");
    }
  }
  return origins;
}

bool CorsPolicy::allows(std::string_view origin) const {
  if (!enabled() || origin.empty()) return false;
  if (any_origin()) return true;
  // Scheme and host are case-insensitive; browsers send them lower-case, a setting may not be.
  return std::any_of(origins_.begin(), origins_.end(),
                     [origin](const std::string& o) { return boost::beast::iequals(o, origin); });
}

const std::vector<std::string_view>& CorsPolicy::allowed_request_headers() {
  static const std::vector<std::string_view> headers{"Content-Type", "Idempotency-Key", "X-Kafka-Key",
                                                     "Last-Event-ID", "Accept"};
  return headers;
}

std::string_view CorsPolicy::exposed_headers() { return "Retry-After, Idempotency-Replayed, X-Request-Id"; }

CorsPolicy::Headers CorsPolicy::response_headers(std::optional<std::string_view> origin) const {
  Headers out;
  if (!enabled()) return out;
  if (origin && allows(*origin)) {
    out.emplace_back("Access-Control-Allow-Origin", any_origin() ? std::string("*") : std::string(*origin));
    out.emplace_back("Access-Control-Expose-Headers", std::string(exposed_headers()));
  }
  if (!any_origin()) out.emplace_back("Vary", "Origin");
  return out;
}

bool CorsPolicy::is_preflight(boost::beast::http::verb method, std::optional<std::string_view> origin,
                              std::optional<std::string_view> request_method) const {
  return enabled() && method == boost::beast::http::verb::options && origin && request_method;
}

std::optional<CorsPolicy::Headers> CorsPolicy::preflight_headers(
    std::string_view origin, const std::vector<boost::beast::http::verb>& methods,
    std::optional<std::string_view> requested_headers) const {
  if (!allows(origin)) return std::nullopt;
  Headers out;
  out.emplace_back("Access-Control-Allow-Origin", any_origin() ? std::string("*") : std::string(origin));
  std::string allow_methods;
  for (const auto m : methods) {
    if (!allow_methods.empty()) allow_methods += ", ";
    allow_methods += boost::beast::http::to_string(m);
  }
  out.emplace_back("Access-Control-Allow-Methods", allow_methods);
  std::string allow_headers;
  for (const auto& h : split_list(requested_headers.value_or(""))) {
    const auto& known = allowed_request_headers();
    if (std::none_of(known.begin(), known.end(), [&h](std::string_view k) { return boost::beast::iequals(k, h); })) {
      continue;
    }
    if (!allow_headers.empty()) allow_headers += ", ";
    allow_headers += h;
  }
  if (!allow_headers.empty()) out.emplace_back("Access-Control-Allow-Headers", allow_headers);
  out.emplace_back("Access-Control-Max-Age", std::to_string(max_age_seconds));
  if (!any_origin()) out.emplace_back("Vary", "Origin");
  return out;
}

}  // namespace kok::http
