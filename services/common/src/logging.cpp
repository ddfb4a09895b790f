#include "kok/service/logging.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "kok/service/options.hpp"

namespace kok::service {

void setup_logging(std::string_view service_name, std::string_view level) {
  const auto parsed = spdlog::level::from_str(std::string(level));
  // from_str answers "off" for anything it does not know: only accept that when asked for.
  if (parsed == spdlog::level::off && level != "off") {
    throw ConfigError("unknown log level '" + std::string(level) + "'");
  }
  // stderr, unbuffered: container runtimes and the local runner collect it as is.
  auto logger = spdlog::stderr_logger_mt(std::string(service_name));
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ [%n] %v");
  spdlog::set_level(parsed);
  spdlog::flush_on(spdlog::level::warn);
}

}  // namespace kok::service
