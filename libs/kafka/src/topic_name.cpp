#include "kok/kafka/topic_name.hpp"

namespace kok::kafka {
namespace {
constexpr bool legal_char(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}
}  // namespace

std::optional<std::string> topic_name_error(std::string_view name) {
  if (name.empty()) return "topic name is empty";
  if (name == "." || name == "..") return "topic name cannot be \".\" or \"..\"";
  if (name.size() > max_topic_name_length) {
    return "topic name is " + std::to_string(name.size()) + " characters long, the limit is " +
           std::to_string(max_topic_name_length);
  }
  for (const char c : name) {
    if (!legal_char(c)) {
      return "topic name contains an illegal character (allowed: ASCII letters, digits, '.', '_', '-')";
    }
  }
  return std::nullopt;
}

bool is_internal_topic(std::string_view name) noexcept { return name.starts_with("__"); }

}  // namespace kok::kafka
