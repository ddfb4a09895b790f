#include "dispatch.hpp"

#include <spdlog/spdlog.h>

namespace kok::http::detail {

namespace {

// 204 with the preflight's headers, or nullopt when this is no preflight to answer.
std::optional<Response> answer_preflight(const Router& router, const CorsPolicy& cors, const Request& request) {
  const auto origin = request.header("Origin");
  if (!cors.is_preflight(request.method(), origin, request.header("Access-Control-Request-Method"))) return std::nullopt;
  const auto methods = router.methods_for(request.encoded_path());  // 404 for a path nothing serves
  auto headers = cors.preflight_headers(*origin, methods, request.header("Access-Control-Request-Headers"));
  if (!headers) return std::nullopt;
  auto response = Response::empty(status::no_content);
  for (const auto& [name, value] : *headers) response.header(name, value);
  return response;
}

}  // namespace

boost::asio::awaitable<Response> dispatch(const Router& router, const CorsPolicy& cors, Request& request,
                                          std::string& route) {
  try {
    if (auto preflight = answer_preflight(router, cors, request)) {
      route = "preflight";
      co_return std::move(*preflight);
    }
    auto match = router.match(request.method(), request.encoded_path());
    route = match.route->name;
    request.bind_route(route, std::move(match.params));
    co_return co_await match.route->handler(request);
  } catch (const Error& e) {
    co_return Response::from_error(e);
  } catch (const std::exception& e) {
    spdlog::error("[{}] {} {}: unhandled exception: {}", request.request_id(), request.method_string(),
                  request.target(), e.what());
    co_return Response::from_error(Error(ErrorStatus::internal_server_error, "internal server error"));
  }
}

}  // namespace kok::http::detail
