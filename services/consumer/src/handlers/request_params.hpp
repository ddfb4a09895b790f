#pragma once
// The consumer's request parameters (query and headers), each parsed one way for every route that takes it:
// absent → nullopt, malformed → 400 with the rule ("<name> must be <rule>"). Defaults and bounds are the route's (its
// settings), applied by the caller.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "browse_start.hpp"
#include "record_format.hpp"
#include "kok/http/request.hpp"

namespace kok::consumer {

// ?max=: a whole number of at least 1.
std::optional<std::size_t> max_param(const http::Request& req);
// ?wait=: a duration (500ms, 5s, 1m).
std::optional<std::chrono::milliseconds> wait_param(const http::Request& req);
// ?partition=: a partition number (0 or more).
std::optional<std::int32_t> partition_param(const http::Request& req);
// ?reader=: a named reader, 1-128 characters of [A-Za-z0-9._-].
std::optional<std::string> reader_param(const http::Request& req);
// ?from= (browse) or ?to= (replay): beginning, end, an offset, a time (browse_start.hpp).
std::optional<BrowseStart> start_param(const http::Request& req, std::string_view name);
// The same, required (a replay must say where to).
BrowseStart required_start_param(const http::Request& req, std::string_view name);
// Last-Event-ID: where a reconnecting event stream resumes, partition:offset as sent in the event ids (empty: absent).
std::optional<EventPosition> last_event_id(const http::Request& req);

}  // namespace kok::consumer
