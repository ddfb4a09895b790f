#pragma once
// How messages look on the wire: the seed's text line, the JSON record, and SSE event ids.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kok/kafka/message.hpp"

namespace kok::consumer {

// "offset: N key: K value: V" — exactly the seed's format (a null key prints as empty).
std::string format_text(const kafka::Message& m);

// The JSON record, appended to `out`:
//   {"headers":{name: value|null},"key":K|null,"offset":N,"partition":N,"timestamp":N,"topic":T,"value":V}
// Keys in this (sorted) order, no spaces. Bytes that are not UTF-8 become U+FFFD: message bodies are arbitrary bytes.
// Written directly rather than through a nlohmann::json object: building one per record (a map node and a copy per
// field) was most of the consumer's CPU time on a batch read (docs/benchmarks.md, "Consumer CPU and memory").
void append_json(std::string& out, const kafka::Message& m);
[[nodiscard]] std::string record_json(const kafka::Message& m);

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
