#pragma once
// Steps several producer handlers share: name checks, existence checks, producing with delivery reports.

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "kok/http/request.hpp"
#include "kok/kafka/admin.hpp"
#include "kok/kafka/message.hpp"
#include "handlers/idempotent.hpp"
#include "producer_service.hpp"

namespace kok::producer {

// 404 "topic does not exist" unless the topic exists (cached metadata; no topic is ever auto-created).
boost::asio::awaitable<void> require_topic(const ProducerService& service, std::string topic);

// Creates `spec` unless its name differs from an existing topic's only in case (409 naming that topic, see
// topic_case.hpp). The check reads a fresh topic list; it and the creation run with no other creation of the same
// name (ignoring case) of this process in between. Kafka's errors are thrown as their HTTP answers.
boost::asio::awaitable<kafka::TopicCreation> create_new_topic(const ProducerService& service, kafka::NewTopic spec);

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
// failed record: each ProduceResult says how it went. With a keyed attempt, each record carries the key's headers,
// records an earlier attempt wrote are not written again (their reports are those found), and the attempt learns
// whether something was or may have been written.
boost::asio::awaitable<std::vector<ProduceResult>> produce_all(const ProducerService& service, const std::string& topic,
                                                          std::vector<Record> records, KeyedAttempt* attempt = nullptr);

// The HTTP error for a failed delivery: about that write only (no leader, not enough in-sync replicas, queue full:
// 503 + Retry-After; its own timeout: 504). Never a verdict about "Kafka" from elsewhere, such as readiness.
http::Error delivery_error(std::error_code error);

}  // namespace kok::producer
