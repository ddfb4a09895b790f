#pragma once
// docs/openapi.yaml, embedded at build time: served at GET /openapi.yaml and read for the route tables
// (spec_routes.hpp).

#include <string_view>

namespace kok::service {

std::string_view openapi_yaml() noexcept;

}  // namespace kok::service
