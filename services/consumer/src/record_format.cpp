#include "record_format.hpp"

#include <algorithm>
#include <charconv>
#include <iterator>
#include <map>

#include <nlohmann/json.hpp>

namespace kok::consumer {

std::string format_text(const kafka::Message& m) {
  std::string out = "offset: " + std::to_string(m.offset) + " key: ";
  if (m.key) out += *m.key;
  out += " value: ";
  out += m.value;
  return out;
}

namespace {

// A string as a JSON string literal. Printable ASCII without '"' or '\\' (what keys and most values are) is copied as
// it is; anything else goes through nlohmann's serializer, which escapes and replaces invalid UTF-8.
void append_string(std::string& out, std::string_view s) {
  const bool plain = std::all_of(s.begin(), s.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u >= 0x20 && u < 0x7f && c != '"' && c != '\\';
  });
  if (plain) {
    out.push_back('"');
    out.append(s);
    out.push_back('"');
    return;
  }
  out.append(nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void append_number(std::string& out, std::int64_t n) {
  char digits[24];
  const auto [end, ec] = std::to_chars(std::begin(digits), std::end(digits), n);
  out.append(digits, end);
}

void append_headers(std::string& out, const kafka::Headers& headers) {
  if (headers.empty()) {
    out.append("{}");
    return;
  }
  // Rare, and JSON objects have unique keys: the map sorts them and keeps the last value of a repeated name.
  std::map<std::string_view, const std::optional<std::string>*> sorted;
  for (const auto& h : headers) sorted.insert_or_assign(h.key, &h.value);
  out.push_back('{');
  bool first = true;
  for (const auto& [name, value] : sorted) {
    if (!first) out.push_back(',');
    first = false;
    append_string(out, name);
    out.push_back(':');
    if (*value) {
      append_string(out, **value);
    } else {
      out.append("null");
    }
  }
  out.push_back('}');
}

}  // namespace

void append_json(std::string& out, const kafka::Message& m) {
  out.append("{\"headers\":");
  append_headers(out, m.headers);
  out.append(",\"key\":");
  if (m.key) {
    append_string(out, *m.key);
  } else {
    out.append("null");
  }
  out.append(",\"offset\":");
  append_number(out, m.offset);
  out.append(",\"partition\":");
  append_number(out, m.partition);
  out.append(",\"timestamp\":");
  append_number(out, m.timestamp_ms);
  out.append(",\"topic\":");
  append_string(out, m.topic);
  out.append(",\"value\":");
  append_string(out, m.value);
  out.push_back('}');
}

std::string record_json(const kafka::Message& m) {
  std::string out;
  out.reserve(128 + m.topic.size() + (m.key ? m.key->size() : 0) + m.value.size());
  append_json(out, m);
  return out;
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
