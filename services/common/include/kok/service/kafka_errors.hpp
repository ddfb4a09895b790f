#pragma once
// Kafka failures → HTTP answers, per docs/architecture.md "Answers to bad input":
//   unknown topic → 404 "topic does not exist"; topic exists → 409; invalid name/request → 400; record too large → 413;
//   queue full / not enough in-sync replicas / brokers unreachable / shutting down → 503 with Retry-After;
//   timeout → 504; anything else → 500.

#include <string_view>
#include <system_error>

#include "kok/http/error.hpp"
#include "kok/kafka/result.hpp"

namespace kok::service {

// `reason`: the broker's or librdkafka's explanation (kok::kafka::Result::reason), appended where it helps.
http::Error to_http_error(std::error_code ec, std::string_view reason = {});

// Throws to_http_error(ec, reason) if ec is set.
void throw_if_kafka_error(std::error_code ec, std::string_view reason = {});

// Throws to_http_error(result.error, result.reason) unless `result` succeeded: the one step after every Kafka call
// whose failure is the request's answer.
template <typename T>
void throw_if_kafka_error(const kafka::Result<T>& result) {
  throw_if_kafka_error(result.error, result.reason);
}

}  // namespace kok::service
