#include "kok/service/kafka_errors.hpp"

#include <spdlog/spdlog.h>

#include "kok/kafka/error.hpp"

namespace kok::service {

namespace {

std::string with_reason(std::string_view what, std::string_view reason) {
  std::string text(what);
  if (!reason.empty()) text.append(": ").append(reason);
  return text;
}

}  // namespace

http::Error to_http_error(std::error_code ec, std::string_view reason) {
  using http::ErrorStatus;
  using kafka::ErrorKind;
  using std::chrono::seconds;
  switch (kafka::classify(ec)) {
    case ErrorKind::unknown_topic:
      return {ErrorStatus::not_found, "topic does not exist"};
    case ErrorKind::topic_already_exists:
      return {ErrorStatus::conflict, "topic already exists"};
    case ErrorKind::invalid_topic:
      return {ErrorStatus::bad_request, with_reason("invalid topic", reason)};
    case ErrorKind::invalid_request:
      return {ErrorStatus::bad_request, with_reason("request rejected by Kafka", reason)};
    case ErrorKind::message_too_large:
      return {ErrorStatus::payload_too_large, with_reason("message too large for Kafka", reason)};
    case ErrorKind::queue_full:
      return {ErrorStatus::service_unavailable, "producer queue full, retry later", seconds{1}};
    case ErrorKind::not_enough_replicas:
      return {ErrorStatus::service_unavailable, with_reason("not enough in-sync replicas", reason), seconds{5}};
    case ErrorKind::unavailable:
      return {ErrorStatus::service_unavailable, with_reason("kafka unavailable", reason), seconds{5}};
    case ErrorKind::shutting_down:
      return {ErrorStatus::service_unavailable, "service shutting down, retry later", seconds{1}};
    case ErrorKind::timeout:
      return {ErrorStatus::gateway_timeout, with_reason("kafka did not answer in time", reason)};
    case ErrorKind::none:
    case ErrorKind::other:
      break;
  }
  spdlog::error("unexpected kafka error {}: {} ({})", ec.value(), ec.message(), reason);
  return {ErrorStatus::internal_server_error, with_reason("kafka error", reason.empty() ? ec.message() : reason)};
}

void throw_if_kafka_error(std::error_code ec, std::string_view reason) {
  if (ec) throw to_http_error(ec, reason);
}

}  // namespace kok::service
