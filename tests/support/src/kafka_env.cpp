#include "kok/test_support/kafka_env.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <stdexcept>

namespace kok::test_support {

std::string kafka_bootstrap_servers() {
  const char* value = std::getenv("KAFKA_BOOTSTRAP_SERVERS");
  if (value == nullptr || *value == '\0') {
    throw std::runtime_error(
        "KAFKA_BOOTSTRAP_SERVERS is not set: start the local cluster (deploy/local/kafka.sh up) and export the "
        "bootstrap servers it prints, or run the tests through ctest, whose kafka_cluster fixture does both");
  }
  return value;
}

std::string unique_topic(std::string_view prefix) {
  static std::atomic<unsigned> counter{0};
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return std::string(prefix) + "-" + std::to_string(::getpid()) + "-" + std::to_string(now) + "-" +
         std::to_string(counter++);
}

}  // namespace kok::test_support
