#pragma once
// How messages look on the wire: the seed's text line, the JSON record, and SSE event ids.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "kok/kafka/message.hpp"

namespace kok::consumer {

// "offset: N key: K value: V" — exactly the seed's format (a null key prints as empty).
std::string format_text(const kafka::Message& m);

// {"topic","partition","offset","key"(null when absent),"value","timestamp","headers":{name: value}}.
nlohmann::json to_json(const kafka::Message& m);
// Serializes without throwing on bytes that are not UTF-8 (they become U+FFFD): message bodies are arbitrary bytes.
std::string dump_json(const nlohmann::json& value);

// SSE event id "partition:offset".
std::string event_id(const kafka::Message& m);
struct EventPosition {
  std::int32_t partition = 0;
  std::int64_t offset = -1;
  friend bool operator==(const EventPosition&, const EventPosition&) = default;
};
// Parses a Last-Event-ID: "partition:offset", or a bare "offset" meaning partition 0. nullopt if malformed.
std::optional<EventPosition> parse_event_id(std::string_view id);

}  // namespace kok::consumer
