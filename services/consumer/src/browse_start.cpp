#include "browse_start.hpp"

#include <charconv>
#include <chrono>

namespace kok::consumer {
namespace {

// Exactly `digits` decimal digits at `pos` (advanced past them).
std::optional<int> digits_at(std::string_view text, std::size_t& pos, std::size_t digits) {
  if (pos + digits > text.size()) return std::nullopt;
  int value = 0;
  for (std::size_t i = 0; i < digits; ++i) {
    const char c = text[pos + i];
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  pos += digits;
  return value;
}

bool expect(std::string_view text, std::size_t& pos, char c) {
  if (pos >= text.size() || text[pos] != c) return false;
  ++pos;
  return true;
}

std::optional<std::int64_t> whole_number(std::string_view text) {
  std::int64_t value = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc{} || ptr != end || value < 0) return std::nullopt;
  return value;
}

// YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM) → milliseconds since the epoch.
std::optional<std::int64_t> iso_time(std::string_view t) {
  using namespace std::chrono;
  std::size_t pos = 0;
  const auto y = digits_at(t, pos, 4);
  if (!y || !expect(t, pos, '-')) return std::nullopt;
  const auto mo = digits_at(t, pos, 2);
  if (!mo || !expect(t, pos, '-')) return std::nullopt;
  const auto d = digits_at(t, pos, 2);
  if (!d || pos >= t.size() || (t[pos] != 'T' && t[pos] != 't')) return std::nullopt;
  ++pos;
  const auto h = digits_at(t, pos, 2);
  if (!h || !expect(t, pos, ':')) return std::nullopt;
  const auto mi = digits_at(t, pos, 2);
  if (!mi || !expect(t, pos, ':')) return std::nullopt;
  const auto s = digits_at(t, pos, 2);
  if (!s || *h > 23 || *mi > 59 || *s > 59) return std::nullopt;
  int millis = 0;
  if (pos < t.size() && t[pos] == '.') {
    ++pos;
    int seen = 0;
    while (pos < t.size() && t[pos] >= '0' && t[pos] <= '9') {
      if (seen < 3) millis = millis * 10 + (t[pos] - '0');
      ++seen;
      ++pos;
    }
    if (seen == 0) return std::nullopt;
    for (; seen < 3; ++seen) millis *= 10;
  }
  int zone_minutes = 0;
  if (pos < t.size() && (t[pos] == 'Z' || t[pos] == 'z')) {
    ++pos;
  } else if (pos < t.size() && (t[pos] == '+' || t[pos] == '-')) {
    const int sign = t[pos] == '-' ? -1 : 1;
    ++pos;
    const auto zh = digits_at(t, pos, 2);
    if (!zh || !expect(t, pos, ':')) return std::nullopt;
    const auto zm = digits_at(t, pos, 2);
    if (!zm || *zh > 23 || *zm > 59) return std::nullopt;
    zone_minutes = sign * (*zh * 60 + *zm);
  } else {
    return std::nullopt;  // a time without its zone means a different instant on every machine
  }
  if (pos != t.size()) return std::nullopt;
  const year_month_day date{year{*y}, month{static_cast<unsigned>(*mo)}, day{static_cast<unsigned>(*d)}};
  if (!date.ok()) return std::nullopt;
  const auto at =
      sys_days{date} + hours{*h} + minutes{*mi} + seconds{*s} + milliseconds{millis} - minutes{zone_minutes};
  const auto ms = duration_cast<milliseconds>(at.time_since_epoch()).count();
  if (ms < 0) return std::nullopt;
  return ms;
}

}  // namespace

std::optional<BrowseStart> parse_browse_start(std::string_view text) {
  using Kind = BrowseStart::Kind;
  if (text == "beginning") return BrowseStart{Kind::beginning, 0};
  if (text == "end") return BrowseStart{Kind::end, 0};
  if (text.size() > 2 && text.substr(text.size() - 2) == "ms") {
    if (const auto ms = whole_number(text.substr(0, text.size() - 2))) return BrowseStart{Kind::time, *ms};
    return std::nullopt;
  }
  if (const auto offset = whole_number(text)) return BrowseStart{Kind::offset, *offset};
  if (const auto ms = iso_time(text)) return BrowseStart{Kind::time, *ms};
  return std::nullopt;
}

}  // namespace kok::consumer
