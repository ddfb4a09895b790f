#include "kok/http/router.hpp"

#include <algorithm>
#include <boost/url/parse_path.hpp>
#include <stdexcept>

namespace kok::http {

namespace {

std::vector<Route::Segment> parse_pattern(std::string_view pattern) {
  if (pattern.empty() || pattern.front() != '/') throw std::invalid_argument("route pattern must start with '/': " + std::string(pattern));
  std::vector<Route::Segment> segments;
  pattern.remove_prefix(1);
  if (pattern.empty()) return segments;  // "/"
  for (;;) {
    const auto slash = pattern.find('/');
    const auto text = pattern.substr(0, slash);
    if (text.size() >= 2 && text.front() == '{' && text.back() == '}') {
      segments.push_back({std::string(text.substr(1, text.size() - 2)), true});
    } else if (text.empty() || text.find_first_of("{}") != std::string_view::npos) {
      throw std::invalid_argument("bad segment in route pattern: " + std::string(pattern));
    } else {
      segments.push_back({std::string(text), false});
    }
    if (slash == std::string_view::npos) break;
    pattern.remove_prefix(slash + 1);
  }
  return segments;
}

bool same_shape(const std::vector<Route::Segment>& a, const std::vector<Route::Segment>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].is_param != b[i].is_param) return false;
    if (!a[i].is_param && a[i].text != b[i].text) return false;
  }
  return true;
}

// Decoded path segments; Boost.URL does the percent-decoding.
std::vector<std::string> decode_segments(std::string_view encoded_path) {
  auto parsed = boost::urls::parse_path(encoded_path);
  if (!parsed) throw bad_request("malformed request path");
  std::vector<std::string> out;
  for (const auto& segment : *parsed) out.push_back(segment.decode());
  return out;
}

bool matches_path(const Route& route, const std::vector<std::string>& segments) {
  if (route.segments.size() != segments.size()) return false;
  for (std::size_t i = 0; i < segments.size(); ++i) {
    const auto& s = route.segments[i];
    if (s.is_param ? segments[i].empty() : s.text != segments[i]) return false;
  }
  return true;
}

// Literal segments rank above parameters, compared left to right.
std::vector<bool> specificity(const Route& route) {
  std::vector<bool> rank;
  rank.reserve(route.segments.size());
  for (const auto& s : route.segments) rank.push_back(!s.is_param);
  return rank;
}

}  // namespace

Router& Router::add_async(verb method, std::string_view pattern, std::string name, Handler handler) {
  auto segments = parse_pattern(pattern);
  for (const auto& r : routes_) {
    if (r.method == method && same_shape(r.segments, segments)) {
      throw std::invalid_argument("duplicate route: " + std::string(pattern));
    }
  }
  routes_.push_back(Route{method, std::string(pattern), std::move(name), std::move(handler), std::move(segments)});
  return *this;
}

namespace {
boost::asio::awaitable<Response> call_sync(SyncHandler handler, Request& request) { co_return handler(request); }
}  // namespace

Handler from_sync(SyncHandler handler) {
  // A plain (non-coroutine) lambda may capture; the coroutine receives the handler as a parameter.
  return [h = std::move(handler)](Request& request) { return call_sync(h, request); };
}

Router& Router::add_sync(verb method, std::string_view pattern, std::string name, SyncHandler handler) {
  return add_async(method, pattern, std::move(name), from_sync(std::move(handler)));
}

RouteMatch Router::match(verb method, std::string_view encoded_path) const {
  const auto segments = decode_segments(encoded_path);
  const Route* best = nullptr;
  std::vector<bool> best_rank;
  std::vector<verb> allowed;
  for (const auto& route : routes_) {
    if (!matches_path(route, segments)) continue;
    if (std::find(allowed.begin(), allowed.end(), route.method) == allowed.end()) allowed.push_back(route.method);
    if (route.method != method) continue;
    auto rank = specificity(route);
    if (best == nullptr || rank > best_rank) {
      best = &route;
      best_rank = std::move(rank);
    }
  }
  if (best == nullptr) {
    if (allowed.empty()) throw not_found("no such resource");
    std::string allow;
    for (const auto m : allowed) {
      if (!allow.empty()) allow += ", ";
      allow += boost::beast::http::to_string(m);
    }
    throw Error(ErrorStatus::method_not_allowed, "method not allowed; allowed: " + allow).with_header("Allow", allow);
  }
  RouteMatch result{best, {}};
  for (std::size_t i = 0; i < segments.size(); ++i) {
    if (best->segments[i].is_param) result.params.emplace_back(best->segments[i].text, segments[i]);
  }
  return result;
}

std::vector<verb> Router::methods_for(std::string_view encoded_path) const {
  const auto segments = decode_segments(encoded_path);
  std::vector<verb> methods;
  for (const auto& route : routes_) {
    if (!matches_path(route, segments)) continue;
    if (std::find(methods.begin(), methods.end(), route.method) == methods.end()) methods.push_back(route.method);
  }
  if (methods.empty()) throw not_found("no such resource");
  return methods;
}

bool Router::contains(verb method, std::string_view pattern) const {
  const auto segments = parse_pattern(pattern);
  for (const auto& r : routes_) {
    if (r.method == method && same_shape(r.segments, segments)) return true;
  }
  return false;
}

}  // namespace kok::http
