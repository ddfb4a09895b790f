#include "dispatch.hpp"

#include <spdlog/spdlog.h>

namespace kok::http::detail {

boost::asio::awaitable<Response> dispatch(const Router& router, Request& request, std::string& route) {
  try {
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
