#pragma once
// Shared setup for the consumer's end-to-end tests: a real kok-consumer process on a free port, a unique consumer
// group and topic per test, and a producer/admin straight to the cluster to prepare data.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "kok/kafka/admin.hpp"
#include "kok/kafka/producer.hpp"
#include "kok/test_support/http_client.hpp"
#include "kok/test_support/kafka_env.hpp"
#include "kok/test_support/service_process.hpp"

namespace kok::consumer::e2e {

using test_support::HttpClient;
using test_support::HttpResponse;
using test_support::ServiceProcess;

class ConsumerE2E : public ::testing::Test {
 protected:
  void SetUp() override;

  // Starts (or restarts) the service with this test's group; `env` adds settings.
  std::unique_ptr<ServiceProcess> start_service(std::vector<std::pair<std::string, std::string>> env = {});
  // A fresh topic with `partitions` partitions (RF 3).
  std::string make_topic(std::string_view prefix, int partitions = 1);
  // Produces `value` (key optional) and returns its offset.
  std::int64_t produce(const std::string& topic, const std::string& value, std::optional<std::string> key = {},
                       const kafka::Headers& headers = {}, std::int32_t partition = kafka::any_partition);
  // Produces many messages without waiting for each (values value_prefix + index).
  void produce_many(const std::string& topic, int count, const std::string& value_prefix);

  std::string bootstrap_;
  std::string group_;
  std::unique_ptr<kafka::Admin> admin_;
  std::unique_ptr<kafka::Producer> producer_;
};

// "offset: N key: K value: V" → N (-1 if the text does not look like that).
std::int64_t offset_of(const std::string& text);
// Value of an unlabelled series in Prometheus text (NaN if absent).
double metric_value(const std::string& metrics_text, const std::string& series);
// The V part.
std::string value_of(const std::string& text);

}  // namespace kok::consumer::e2e
