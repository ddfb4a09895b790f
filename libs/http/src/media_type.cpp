#include "media_type.hpp"

#include <boost/beast/core/string.hpp>

#include "kok/http/text.hpp"

namespace kok::http::detail {

namespace {
std::string_view media_type_of(std::string_view value) { return trim(value.substr(0, value.find(';'))); }
}  // namespace

bool media_type_equals(std::string_view header_value, std::string_view media_type) {
  return boost::beast::iequals(media_type_of(header_value), media_type);
}

bool accept_lists(std::string_view accept, std::string_view media_type) {
  while (!accept.empty()) {
    const auto comma = accept.find(',');
    if (media_type_equals(accept.substr(0, comma), media_type)) return true;
    if (comma == std::string_view::npos) break;
    accept.remove_prefix(comma + 1);
  }
  return false;
}

bool accept_prefers_json(std::string_view accept) {
  return accept_lists(accept, "application/json") || accept_lists(accept, "application/*");
}

}  // namespace kok::http::detail
