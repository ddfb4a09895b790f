#include "kok/service/memory_limit.hpp"

#include <charconv>
#include <fstream>
#include <iterator>
#include <string>

namespace kok::service {
namespace {

// v1 writes "no limit" as LLONG_MAX rounded down to a page; no machine has that much, so anything this large is none.
constexpr std::uint64_t unlimited_from = std::uint64_t{1} << 62;

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in{path};
  if (!in) return std::nullopt;
  return std::string{std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

}  // namespace

std::optional<std::uint64_t> parse_cgroup_memory_limit(std::string_view text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc{} || end != text.data() + text.size()) return std::nullopt;  // "max" included
  if (value == 0 || value >= unlimited_from) return std::nullopt;
  return value;
}

std::optional<std::uint64_t> cgroup_memory_limit(const std::filesystem::path& root) {
  if (const auto v2 = read_file(root / "memory.max")) return parse_cgroup_memory_limit(*v2);
  if (const auto v1 = read_file(root / "memory" / "memory.limit_in_bytes")) return parse_cgroup_memory_limit(*v1);
  return std::nullopt;
}

}  // namespace kok::service
