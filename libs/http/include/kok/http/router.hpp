#pragma once
// Method + path pattern → named handler. Patterns are literal segments and `{name}` parameters
// (`/topic/{t}`, `/topics/{t}/messages`, `/{t}`). When several patterns match a path, the one whose first
// differing segment is literal wins (`/topics` beats `/{t}`). No match → 404; path matches but not the
// method → 405 with `Allow`.

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "kok/http/error.hpp"
#include "kok/http/request.hpp"
#include "kok/http/response.hpp"

namespace kok::http {

// Handlers may co_await (long-poll, Kafka delivery) without blocking a thread. They run on the session's strand.
using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;
using SyncHandler = std::function<Response(Request&)>;

// Any callable taking Request& and returning asio::awaitable<Response> or Response, as a Handler.
Handler from_sync(SyncHandler handler);
template <typename F>
Handler to_handler(F&& handler) {
  if constexpr (std::is_invocable_r_v<boost::asio::awaitable<Response>, F&, Request&>) {
    return Handler(std::forward<F>(handler));
  } else {
    static_assert(std::is_invocable_r_v<Response, F&, Request&>,
                  "handler must take Request& and return Response or asio::awaitable<Response>");
    return from_sync(SyncHandler(std::forward<F>(handler)));
  }
}

struct Route {
  verb method;
  std::string pattern;
  std::string name;
  Handler handler;
  // One entry per segment; parameter segments hold the parameter name and have is_param set.
  struct Segment {
    std::string text;
    bool is_param;
  };
  std::vector<Segment> segments;
};

struct RouteMatch {
  const Route* route;
  Params params;  // percent-decoded
};

class Router {
 public:
  // `handler` is any callable taking Request& and returning asio::awaitable<Response> or Response.
  // Throws std::invalid_argument on a malformed pattern or a duplicate method + pattern.
  template <typename F>
  Router& add(verb method, std::string_view pattern, std::string name, F&& handler) {
    return add_async(method, pattern, std::move(name), to_handler(std::forward<F>(handler)));
  }
  Router& add_async(verb method, std::string_view pattern, std::string name, Handler handler);
  Router& add_sync(verb method, std::string_view pattern, std::string name, SyncHandler handler);

  // `encoded_path` as received, e.g. "/topic/a%20b" (no query). Throws Error 404 or 405 (with Allow).
  RouteMatch match(verb method, std::string_view encoded_path) const;
  bool contains(verb method, std::string_view pattern) const;
  // The methods some route serves `encoded_path` with, in route-table order (what 405's Allow lists). Throws Error
  // 404 when no route's pattern matches the path.
  std::vector<verb> methods_for(std::string_view encoded_path) const;
  const std::vector<Route>& routes() const noexcept { return routes_; }

 private:
  std::vector<Route> routes_;
};

}  // namespace kok::http
