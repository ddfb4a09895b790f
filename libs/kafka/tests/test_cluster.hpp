#pragma once
// Shared helpers for tests that need the real cluster.

#include <string>
#include <string_view>

#include <gtest/gtest.h>

namespace kok::kafka::testing {

// KAFKA_BOOTSTRAP_SERVERS, or empty when unset.
std::string bootstrap_servers();

// A topic name no other test (or earlier run) uses.
std::string unique_topic(std::string_view prefix);

}  // namespace kok::kafka::testing

// Skips the current test when no cluster is configured.
#define KOK_REQUIRE_CLUSTER()                                                             \
  do {                                                                                    \
    if (::kok::kafka::testing::bootstrap_servers().empty())                               \
      GTEST_SKIP() << "KAFKA_BOOTSTRAP_SERVERS not set (start deploy/local/kafka.sh up)"; \
  } while (false)
