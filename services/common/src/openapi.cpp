#include "kok/service/openapi.hpp"

#include "openapi_data.hpp"

namespace kok::service {

std::string_view openapi_yaml() noexcept { return {detail::openapi_data, detail::openapi_size}; }

void add_openapi_route(http::Router& router) {
  router.add_sync(http::verb::get, "/openapi.yaml", "openapi", [](http::Request&) {
    auto response = http::Response::text(http::status::ok, std::string(openapi_yaml()));
    response.header("Content-Type", "application/yaml");
    return response;
  });
}

}  // namespace kok::service
