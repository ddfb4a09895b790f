#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace kok::http::detail {

// The client's X-Request-Id if it is safe to echo and log (1..128 chars of [A-Za-z0-9._:-]), else a fresh id.
std::string request_id_from(std::optional<std::string_view> incoming);
// 16 random hex digits.
std::string generate_request_id();

}  // namespace kok::http::detail
