#pragma once
// Kafka errors as std::error_code.
//
// Every failure coming out of librdkafka is an rd_kafka_resp_err_t; we carry it unchanged as the value of an error_code in
// kafka_category() (message from rd_kafka_err2str), so nothing is lost on the way up. Callers rarely care about the exact
// code, they care about what to do: that is the ErrorKind classification below. It is registered as an error_condition, so
// `ec == kok::kafka::ErrorKind::unknown_topic` works. Mapping kinds to HTTP statuses is the services' job, not this library's.

#include <string_view>
#include <system_error>

namespace kok::kafka {

// The category whose values are rd_kafka_resp_err_t.
[[nodiscard]] const std::error_category& kafka_category() noexcept;

// Wraps an rd_kafka_resp_err_t (passed as int so this header does not need rdkafka.h). 0 (NO_ERROR) gives an empty code.
[[nodiscard]] std::error_code make_kafka_error(int rd_kafka_resp_err) noexcept;

// What a caller should do about an error.
enum class ErrorKind {
  none = 0,
  unknown_topic,          // topic (or partition) does not exist
  topic_already_exists,   // CreateTopics on an existing topic
  invalid_topic,          // name Kafka rejects
  invalid_request,        // bad partitions / replication factor / config value, ...
  message_too_large,      // record or batch over message.max.bytes
  queue_full,             // local producer queue full: back off and retry
  not_enough_replicas,    // ISR below min.insync.replicas: retry later
  unavailable,            // brokers unreachable, leader moving, coordinator loading: retry later
  timeout,                // request or message timed out (outcome may be unknown for produce)
  shutting_down,          // client is being destroyed / message purged
  other,
};

[[nodiscard]] ErrorKind classify(std::error_code ec) noexcept;
[[nodiscard]] std::string_view to_string(ErrorKind kind) noexcept;

// The error_condition category of ErrorKind (so std::error_code compares against ErrorKind values).
[[nodiscard]] const std::error_category& error_kind_category() noexcept;
[[nodiscard]] std::error_condition make_error_condition(ErrorKind kind) noexcept;

// Convenience predicates.
[[nodiscard]] inline bool is_unknown_topic(std::error_code ec) noexcept { return classify(ec) == ErrorKind::unknown_topic; }
[[nodiscard]] inline bool is_timeout(std::error_code ec) noexcept { return classify(ec) == ErrorKind::timeout; }
// Worth retrying later with the same request (queue full, not enough replicas, unavailable, timeout).
[[nodiscard]] bool is_retriable(std::error_code ec) noexcept;

}  // namespace kok::kafka

template <>
struct std::is_error_condition_enum<kok::kafka::ErrorKind> : std::true_type {};
