#include "request_id.hpp"

#include <algorithm>
#include <cstdint>
#include <random>

namespace kok::http::detail {

namespace {
bool safe_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
         c == ':' || c == '-';
}
}  // namespace

std::string generate_request_id() {
  // One generator per thread: no locking on the request path.
  thread_local std::mt19937_64 engine{std::random_device{}()};
  static constexpr char digits[] = "0123456789abcdef";
  std::uint64_t value = engine();
  std::string id(16, '0');
  for (auto& c : id) {
    c = digits[value & 0xFU];
    value >>= 4U;
  }
  return id;
}

std::string request_id_from(std::optional<std::string_view> incoming) {
  // Untrusted input goes into headers and logs: accept only a conservative character set.
  if (incoming && !incoming->empty() && incoming->size() <= 128 && std::all_of(incoming->begin(), incoming->end(), safe_char)) {
    return std::string(*incoming);
  }
  return generate_request_id();
}

}  // namespace kok::http::detail
