#pragma once
// docs/openapi.yaml, embedded at build time, and the route that serves it.

#include <string_view>

#include "kok/http/router.hpp"

namespace kok::service {

std::string_view openapi_yaml() noexcept;
// GET /openapi.yaml ("openapi"), Content-Type application/yaml.
void add_openapi_route(http::Router& router);

}  // namespace kok::service
