#include "kok/kafka/error.hpp"

#include <librdkafka/rdkafka.h>

#include <string>

namespace kok::kafka {
namespace {

class KafkaCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "kafka"; }
  std::string message(int value) const override {
    return rd_kafka_err2str(static_cast<rd_kafka_resp_err_t>(value));
  }
  std::error_condition default_error_condition(int value) const noexcept override {
    return make_error_condition(classify(std::error_code{value, *this}));
  }
};

class ErrorKindCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "kafka-error-kind"; }
  std::string message(int value) const override { return std::string{to_string(static_cast<ErrorKind>(value))}; }
  bool equivalent(const std::error_code& code, int condition) const noexcept override {
    return static_cast<int>(classify(code)) == condition;
  }
};

ErrorKind classify_kafka(rd_kafka_resp_err_t err) noexcept {
  switch (err) {
    case RD_KAFKA_RESP_ERR_NO_ERROR:
      return ErrorKind::none;
    case RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC:
    case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
    case RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION:
      return ErrorKind::unknown_topic;
    case RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS:
      return ErrorKind::topic_already_exists;
    case RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION:
      return ErrorKind::invalid_topic;
    case RD_KAFKA_RESP_ERR_INVALID_PARTITIONS:
    case RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR:
    case RD_KAFKA_RESP_ERR_INVALID_REPLICA_ASSIGNMENT:
    case RD_KAFKA_RESP_ERR_INVALID_CONFIG:
    case RD_KAFKA_RESP_ERR_INVALID_REQUEST:
    case RD_KAFKA_RESP_ERR_POLICY_VIOLATION:
    case RD_KAFKA_RESP_ERR_INVALID_RECORD:
    case RD_KAFKA_RESP_ERR__INVALID_ARG:
    case RD_KAFKA_RESP_ERR__INVALID_TYPE:
      return ErrorKind::invalid_request;
    case RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE:
    case RD_KAFKA_RESP_ERR_RECORD_LIST_TOO_LARGE:
      return ErrorKind::message_too_large;
    case RD_KAFKA_RESP_ERR__QUEUE_FULL:
      return ErrorKind::queue_full;
    case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS:
    case RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS_AFTER_APPEND:
      return ErrorKind::not_enough_replicas;
    case RD_KAFKA_RESP_ERR__TRANSPORT:
    case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
    case RD_KAFKA_RESP_ERR__RESOLVE:
    case RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION:
    case RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_REPLICA_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_NETWORK_EXCEPTION:
    case RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS:
    case RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE:
    case RD_KAFKA_RESP_ERR_NOT_COORDINATOR:
    case RD_KAFKA_RESP_ERR_NOT_CONTROLLER:
    case RD_KAFKA_RESP_ERR__WAIT_COORD:
    case RD_KAFKA_RESP_ERR_KAFKA_STORAGE_ERROR:
    case RD_KAFKA_RESP_ERR_UNKNOWN_LEADER_EPOCH:
    case RD_KAFKA_RESP_ERR_FENCED_LEADER_EPOCH:
      return ErrorKind::unavailable;
    case RD_KAFKA_RESP_ERR__TIMED_OUT:
    case RD_KAFKA_RESP_ERR__MSG_TIMED_OUT:
    case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
    case RD_KAFKA_RESP_ERR__TIMED_OUT_QUEUE:
      return ErrorKind::timeout;
    case RD_KAFKA_RESP_ERR__DESTROY:
    case RD_KAFKA_RESP_ERR__PURGE_QUEUE:
    case RD_KAFKA_RESP_ERR__PURGE_INFLIGHT:
      return ErrorKind::shutting_down;
    default:
      return ErrorKind::other;
  }
}

}  // namespace

const std::error_category& kafka_category() noexcept {
  static const KafkaCategory category;
  return category;
}

const std::error_category& error_kind_category() noexcept {
  static const ErrorKindCategory category;
  return category;
}

std::error_code make_kafka_error(int rd_kafka_resp_err) noexcept {
  if (rd_kafka_resp_err == RD_KAFKA_RESP_ERR_NO_ERROR) return {};
  return {rd_kafka_resp_err, kafka_category()};
}

std::error_condition make_error_condition(ErrorKind kind) noexcept {
  return {static_cast<int>(kind), error_kind_category()};
}

ErrorKind classify(std::error_code ec) noexcept {
  if (!ec) return ErrorKind::none;
  if (ec.category() == kafka_category()) return classify_kafka(static_cast<rd_kafka_resp_err_t>(ec.value()));
  // Errors from our own plumbing (timeouts of waits, cancelled operations).
  if (ec == std::errc::timed_out) return ErrorKind::timeout;
  if (ec == std::errc::operation_canceled) return ErrorKind::shutting_down;
  if (ec == std::errc::invalid_argument) return ErrorKind::invalid_request;
  return ErrorKind::other;
}

bool is_retriable(std::error_code ec) noexcept {
  switch (classify(ec)) {
    case ErrorKind::queue_full:
    case ErrorKind::not_enough_replicas:
    case ErrorKind::unavailable:
    case ErrorKind::timeout:
      return true;
    default:
      return false;
  }
}

std::string_view to_string(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::none: return "none";
    case ErrorKind::unknown_topic: return "unknown topic";
    case ErrorKind::topic_already_exists: return "topic already exists";
    case ErrorKind::invalid_topic: return "invalid topic";
    case ErrorKind::invalid_request: return "invalid request";
    case ErrorKind::message_too_large: return "message too large";
    case ErrorKind::queue_full: return "queue full";
    case ErrorKind::not_enough_replicas: return "not enough replicas";
    case ErrorKind::unavailable: return "unavailable";
    case ErrorKind::timeout: return "timeout";
    case ErrorKind::shutting_down: return "shutting down";
    case ErrorKind::other: return "other";
  }
  return "other";
}

}  // namespace kok::kafka
