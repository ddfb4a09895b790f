#pragma once
#include <string_view>

namespace kok::http::detail {

// "Application/JSON; charset=utf-8" → equals "application/json" (case-insensitive, parameters ignored).
bool media_type_equals(std::string_view header_value, std::string_view media_type);
// True if an Accept header value lists `media_type` (parameters such as q= ignored).
bool accept_lists(std::string_view accept, std::string_view media_type);
// True if an Accept header value lists application/json or application/* (we answer JSON then).
bool accept_prefers_json(std::string_view accept);

}  // namespace kok::http::detail
