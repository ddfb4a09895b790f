#pragma once
// Shared by the producer's end-to-end tests: the real kok-producer binary (one process per test binary, started on
// first use and stopped with SIGTERM at the end, which must exit 0), real HTTP, and the real cluster from
// KAFKA_BOOTSTRAP_SERVERS for checking what arrived in Kafka.

#include <chrono>
#include <string>
#include <vector>

#include "kok/kafka/admin.hpp"
#include "kok/kafka/message.hpp"
#include "kok/test_support/http_client.hpp"
#include "kok/test_support/kafka_env.hpp"
#include "kok/test_support/service_process.hpp"

namespace kok::producer::e2e {

using test_support::HttpClient;
using test_support::HttpResponse;

test_support::ServiceProcess& service();
HttpClient client();

// Creates `topic` through the seed route (1 partition, RF 3) and checks the answer.
void create_topic(const std::string& topic);

// Reads partition `partition` of `topic` from the beginning until `count` messages arrived (or `timeout`).
std::vector<kafka::Message> read_back(const std::string& topic, std::size_t count,
                                      std::chrono::milliseconds timeout = std::chrono::seconds{30},
                                      std::int32_t partition = 0);

// Straight from Kafka (not through the service).
kafka::TopicDescription describe_in_kafka(const std::string& topic);

}  // namespace kok::producer::e2e
