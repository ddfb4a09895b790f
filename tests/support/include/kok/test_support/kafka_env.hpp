#pragma once
// Kafka helpers for integration tests.

#include <string>
#include <string_view>

namespace kok::test_support {

// KAFKA_BOOTSTRAP_SERVERS, or throws std::runtime_error saying how to get a cluster (the test then fails clearly).
std::string kafka_bootstrap_servers();
// A topic name no other test (or earlier run) uses: <prefix>-<pid>-<time>-<counter>, legal in Kafka.
std::string unique_topic(std::string_view prefix = "t");

}  // namespace kok::test_support
