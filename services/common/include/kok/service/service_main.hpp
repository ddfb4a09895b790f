#pragma once
// The part of main() both services share, so they start, fail and exit the same way.

#include <functional>
#include <string>

#include "kok/service/options.hpp"

namespace kok::service {

// Parses the options (--help: exit 0; a bad option or value: one line on stderr, exit 2), sets up logging at
// `log_level` (read after parsing, so it is the configured one), then returns `run()`; an exception out of it is
// logged and exits 1. `name` prefixes every message, e.g. "kok-producer".
int service_main(int argc, char** argv, Options& options, const std::string& name, const std::string& log_level,
                 const std::function<int()>& run);

}  // namespace kok::service
