#pragma once
// Opening a topic's consumer: every partition, assigned at its committed position. Blocking (metadata and group
// coordinator round trips), so TopicConsumer runs it on the blocking pool, never on an I/O thread.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "fixed_budgets.hpp"
#include "kok/kafka/config.hpp"
#include "kok/kafka/consumer.hpp"
#include "kok/kafka/result.hpp"

namespace kok::consumer {

struct OpenedTopic {
  std::unique_ptr<kafka::Consumer> consumer;
  // Per partition, where reading resumes (negative: nothing committed yet, start at the beginning).
  std::vector<kafka::TopicPartitionOffset> committed;
};

// Retriable errors of a fresh cluster's group coordinator are retried for `retry_for` (see budgets::topic_open_retry).
kafka::Result<OpenedTopic> open_topic(const kafka::ConfigMap& config, const std::string& topic,
                                      std::chrono::milliseconds metadata_timeout,
                                      std::chrono::milliseconds retry_for = budgets::topic_open_retry);

}  // namespace kok::consumer
