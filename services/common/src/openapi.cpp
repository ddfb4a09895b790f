#include "kok/service/openapi.hpp"

#include "openapi_data.hpp"

namespace kok::service {

std::string_view openapi_yaml() noexcept { return {detail::openapi_data, detail::openapi_size}; }

}  // namespace kok::service
