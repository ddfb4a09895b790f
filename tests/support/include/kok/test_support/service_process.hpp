#pragma once
// Runs a service binary for end-to-end tests: picks a free port, passes it as HTTP_PORT, waits until /readyz
// answers 200, captures stdout+stderr in a log file, and stops it with SIGTERM (checking the exit code) or SIGKILL.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kok/test_support/http_client.hpp"

namespace kok::test_support {

struct ServiceOptions {
  std::string binary;                                       // path to the executable
  std::vector<std::string> args;                            // extra command-line arguments
  std::vector<std::pair<std::string, std::string>> env;     // added to / overriding the test's environment
  std::uint16_t port = 0;                                   // 0 = pick a free one
  std::string ready_path = "/readyz";
  std::chrono::milliseconds ready_timeout{std::chrono::seconds{30}};
};

class ServiceProcess {
 public:
  // Spawns and waits until ready. Throws std::runtime_error (with the log's tail) if the process exits or does not
  // become ready in time.
  explicit ServiceProcess(ServiceOptions options);
  // Kills the process if still running.
  ~ServiceProcess();
  ServiceProcess(const ServiceProcess&) = delete;
  ServiceProcess& operator=(const ServiceProcess&) = delete;

  std::string base_url() const;  // http://127.0.0.1:<port>
  std::uint16_t port() const noexcept { return port_; }
  pid_t pid() const noexcept { return pid_; }
  HttpClient client(std::chrono::milliseconds timeout = std::chrono::seconds{10}) const;
  bool running();

  // SIGTERM, then waits up to `timeout` (SIGKILL after it). Returns the exit code, or 128+signal if killed by one.
  int stop(std::chrono::milliseconds timeout = std::chrono::seconds{20});
  // SIGKILL and reap.
  void kill();
  // Everything the process wrote so far.
  std::string log() const;
  const std::string& log_path() const noexcept { return log_path_; }

 private:
  bool wait_ready(std::chrono::milliseconds timeout);
  int reap(bool block);

  ServiceOptions options_;
  std::uint16_t port_ = 0;
  pid_t pid_ = -1;
  std::string log_path_;
  std::optional<int> exit_status_;
};

// A TCP port that was free a moment ago on 127.0.0.1.
std::uint16_t free_port();

}  // namespace kok::test_support
