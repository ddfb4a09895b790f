#pragma once
#include <string_view>

namespace kok::service {

// One log format for both services: timestamp, level, service name, message (request ids are in the message).
// `level`: trace, debug, info, warn, error, critical, off. Throws ConfigError on anything else.
void setup_logging(std::string_view service_name, std::string_view level);

}  // namespace kok::service
