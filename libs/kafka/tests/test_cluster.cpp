#include "test_cluster.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>

namespace kok::kafka::testing {

std::string bootstrap_servers() {
  const char* v = std::getenv("KAFKA_BOOTSTRAP_SERVERS");
  return v != nullptr ? v : "";
}

std::string unique_topic(std::string_view prefix) {
  static std::atomic<int> counter{0};
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  return std::string{prefix} + "-" + std::to_string(::getpid()) + "-" +
         std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(now).count()) + "-" +
         std::to_string(counter.fetch_add(1));
}

}  // namespace kok::kafka::testing
