#pragma once
// Steps several producer handlers share: name checks, existence checks, producing with delivery reports.

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "kok/http/request.hpp"
#include "kok/kafka/message.hpp"
#include "producer_service.hpp"

namespace kok::producer {

// 404 "topic does not exist" unless the topic exists (cached metadata; no topic is ever auto-created).
boost::asio::awaitable<void> require_topic(const ProducerService& service, std::string topic);

struct Record {
  std::optional<std::string> key;  // nullopt: null key
  std::string value;
  kafka::Headers headers;
};

struct ProduceResult {
  std::error_code error;
  kafka::DeliveryReport report;
};

// Produces every record (all in flight at once, in order) and waits for each delivery report. Never throws for a
// failed record: each ProduceResult says how it went.
boost::asio::awaitable<std::vector<ProduceResult>> produce_all(const ProducerService& service, const std::string& topic,
                                                          std::vector<Record> records);

// The HTTP error for a failed delivery: about that write only (no leader, not enough in-sync replicas, queue full:
// 503 + Retry-After; its own timeout: 504). Never a verdict about "Kafka" from elsewhere, such as readiness.
http::Error delivery_error(std::error_code error);

}  // namespace kok::producer
