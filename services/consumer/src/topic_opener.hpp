#pragma once
// Opening a topic's consumer: every partition, assigned at its committed position. Blocking (metadata and group
// coordinator round trips), so TopicConsumer runs it on the blocking pool, never on an I/O thread.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "kok/kafka/config.hpp"
#include "kok/kafka/consumer.hpp"
#include "kok/kafka/result.hpp"

namespace kok::consumer {

struct OpenedTopic {
  std::unique_ptr<kafka::Consumer> consumer;
  // Per partition, where reading resumes (negative: nothing committed yet, start at the beginning).
  std::vector<kafka::TopicPartitionOffset> committed;
};

// A fresh cluster creates __consumer_offsets on the first group request and answers "not coordinator" or
// "coordinator loading" meanwhile: retriable errors are retried for `retry_for` instead of failing the first reads.
kafka::Result<OpenedTopic> open_topic(const kafka::ConfigMap& config, const std::string& topic,
                                      std::chrono::milliseconds metadata_timeout,
                                      std::chrono::milliseconds retry_for = std::chrono::seconds{15});

}  // namespace kok::consumer
