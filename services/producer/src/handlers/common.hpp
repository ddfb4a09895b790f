#pragma once
// Steps several producer handlers share: name checks, existence checks, producing with delivery reports.

#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "kok/http/request.hpp"
#include "kok/kafka/message.hpp"
#include "producer_context.hpp"

namespace kok::producer {

// The {t} path parameter, checked against Kafka's naming rules (400 with the reason otherwise). Superseded by
// service::topic_param (kok/service/topic_param.hpp), which every handler calls; kept only until common.cpp, which
// defines it, is rewritten.
std::string topic_param(const http::Request& request);

// 503 with Retry-After while the readiness probe cannot reach Kafka: answering now beats a 15 s produce timeout.
void require_kafka_reachable(const ProducerContext& ctx);

// 404 "topic does not exist" unless the topic exists (cached metadata; no topic is ever auto-created).
boost::asio::awaitable<void> require_topic(const ProducerContext& ctx, http::Request& request, std::string topic);

struct Record {
  std::optional<std::string> key;  // nullopt: null key
  std::string value;
  kafka::Headers headers;
};

struct Delivery {
  std::error_code error;
  kafka::DeliveryReport report;
};

// Produces every record (all in flight at once, in order) and waits for each delivery report. Never throws for a
// failed record: each Delivery says how it went.
boost::asio::awaitable<std::vector<Delivery>> produce_all(const ProducerContext& ctx, const std::string& topic,
                                                          std::vector<Record> records);

// The HTTP error for a failed delivery (a timeout while Kafka is unreachable is reported as 503, not 504).
http::Error delivery_error(const ProducerContext& ctx, std::error_code error);

}  // namespace kok::producer
