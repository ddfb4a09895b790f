#pragma once
// Where a browse (GET /consumer/{t}/records) starts reading, as its ?from= names it.

#include <cstdint>
#include <optional>
#include <string_view>

namespace kok::consumer {

struct BrowseStart {
  enum class Kind { beginning, end, offset, time };
  Kind kind = Kind::beginning;
  std::int64_t value = 0;  // the offset, or the time in milliseconds since the epoch
  friend bool operator==(const BrowseStart&, const BrowseStart&) = default;
};

// "beginning", "end", an offset ("42"), a time as epoch milliseconds with the unit ("1733253600000ms"), or an ISO-8601
// time with its zone ("2024-12-03T19:20:00Z", "2026-12-03T19:00:00.250+01:00"): a bare number is an offset, so a time
// must say it is one. nullopt when it is none of these.
std::optional<BrowseStart> parse_browse_start(std::string_view text);

}  // namespace kok::consumer
