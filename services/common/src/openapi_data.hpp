#pragma once
// Defined in the file generated from docs/openapi.yaml at build time (cmake/embed_file.cmake).
#include <cstddef>

namespace kok::service::detail {
extern const char openapi_data[];
extern const std::size_t openapi_size;
}  // namespace kok::service::detail
