#include "record_format.hpp"

#include <charconv>

namespace kok::consumer {

std::string format_text(const kafka::Message& m) {
  std::string out = "offset: " + std::to_string(m.offset) + " key: ";
  if (m.key) out += *m.key;
  out += " value: ";
  out += m.value;
  return out;
}

nlohmann::json to_json(const kafka::Message& m) {
  nlohmann::json headers = nlohmann::json::object();
  for (const auto& h : m.headers) {
    headers[h.key] = h.value ? nlohmann::json(*h.value) : nlohmann::json(nullptr);
  }
  return {
      {"topic", m.topic},
      {"partition", m.partition},
      {"offset", m.offset},
      {"key", m.key ? nlohmann::json(*m.key) : nlohmann::json(nullptr)},
      {"value", m.value},
      {"timestamp", m.timestamp_ms},
      {"headers", std::move(headers)},
  };
}

std::string dump_json(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string event_id(const kafka::Message& m) {
  return std::to_string(m.partition) + ":" + std::to_string(m.offset);
}

namespace {
template <typename T>
std::optional<T> parse_number(std::string_view text) {
  T value{};
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc{} || ptr != end || value < 0) return std::nullopt;
  return value;
}
}  // namespace

std::optional<EventPosition> parse_event_id(std::string_view id) {
  const auto colon = id.find(':');
  if (colon == std::string_view::npos) {
    const auto offset = parse_number<std::int64_t>(id);
    if (!offset) return std::nullopt;
    return EventPosition{0, *offset};
  }
  const auto partition = parse_number<std::int32_t>(id.substr(0, colon));
  const auto offset = parse_number<std::int64_t>(id.substr(colon + 1));
  if (!partition || !offset) return std::nullopt;
  return EventPosition{*partition, *offset};
}

}  // namespace kok::consumer
