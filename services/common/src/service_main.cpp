#include "kok/service/service_main.hpp"

#include <spdlog/spdlog.h>

#include <exception>
#include <iostream>

#include "kok/service/logging.hpp"

namespace kok::service {

int service_main(int argc, char** argv, Options& options, const std::string& name, const std::string& log_level,
                 const std::function<int()>& run) {
  try {
    if (options.parse(argc, argv, std::cout) == Options::Outcome::exit_success) return 0;
    // "kok-producer" logs as "producer".
    setup_logging(name.starts_with("kok-") ? name.substr(4) : name, log_level);
  } catch (const std::exception& e) {
    std::cerr << name << ": " << e.what() << "\n(see --help)\n";
    return 2;
  }
  try {
    return run();
  } catch (const std::exception& e) {
    spdlog::critical("{}: {}", name, e.what());
    return 1;
  }
}

}  // namespace kok::service
