#pragma once
// Topic names that differ only in case. Kafka treats "Demo" and "demo" as two topics, but each partition is a
// directory named after its topic, and on a case-insensitive file system (macOS APFS by default, NTFS) both names
// are one directory: the broker then fails that log directory. The producer refuses such a name on every platform,
// so a cluster made on Linux moves to any other host as it is.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace kok::producer {

// The name in `existing` that equals `name` ignoring ASCII case but is not `name` itself; nullopt when there is none,
// and also when `name` itself is in `existing` (that is the topic, not a collision). With several, the first in
// byte order. Topic names are ASCII ([A-Za-z0-9._-]), so ASCII case is all the case there is.
[[nodiscard]] std::optional<std::string> case_sibling(std::string_view name, std::span<const std::string> existing);

// The one-line 409 reason, e.g. "topic 'Demo' differs from the existing 'demo' only in case: ...".
[[nodiscard]] std::string case_conflict_reason(std::string_view name, std::string_view existing);

}  // namespace kok::producer
