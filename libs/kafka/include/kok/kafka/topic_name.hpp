#pragma once
// Kafka's own rule for topic names (kafka.common.internals.Topic.validate): 1..249 characters from [A-Za-z0-9._-],
// and not "." or "..". Checked before any request so the answer is a clear 400 instead of a broker error.

#include <optional>
#include <string>
#include <string_view>

namespace kok::kafka {

inline constexpr std::size_t max_topic_name_length = 249;

// nullopt when `name` is a legal topic name, otherwise the reason it is not (suitable for an HTTP 400 body).
[[nodiscard]] std::optional<std::string> topic_name_error(std::string_view name);

[[nodiscard]] inline bool is_valid_topic_name(std::string_view name) { return !topic_name_error(name).has_value(); }

// Names starting with "__" are Kafka-internal (__consumer_offsets, __transaction_state, ...).
[[nodiscard]] bool is_internal_topic(std::string_view name) noexcept;

}  // namespace kok::kafka
