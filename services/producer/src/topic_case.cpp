#include "topic_case.hpp"

#include <algorithm>

namespace kok::producer {

namespace {

constexpr char fold(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool equal_ignoring_case(std::string_view a, std::string_view b) noexcept {
  return std::ranges::equal(a, b, [](char x, char y) { return fold(x) == fold(y); });
}

}  // namespace

std::optional<std::string> case_sibling(std::string_view name, std::span<const std::string> existing) {
  if (std::ranges::find(existing, name) != existing.end()) return std::nullopt;
  std::optional<std::string> sibling;
  for (const auto& other : existing) {
    if (equal_ignoring_case(name, other) && (!sibling || other < *sibling)) sibling = other;
  }
  return sibling;
}

std::string case_conflict_reason(std::string_view name, std::string_view existing) {
  std::string reason = "topic '";
  reason.append(name).append("' differs from the existing '").append(existing).append(
      "' only in case: on case-insensitive file systems (macOS, Windows) both would share one directory");
  return reason;
}

}  // namespace kok::producer
