#pragma once
// Command-line flags and environment variables for the services, in one table that also produces --help.
// Every option can come from its environment variable (or legacy aliases) and from its flag; the flag wins.

#include <chrono>
#include <cstddef>
#include <functional>
#include <iosfwd>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kok::service {

// A value that could not be used; what() names the option and the problem.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class Options {
 public:
  using Apply = std::function<void(std::string_view value)>;

  explicit Options(std::string program, std::string summary);

  // `flag` without dashes ("port" → --port); `env` may be empty; `aliases` are older environment names, read when
  // `env` is unset. `apply` parses and stores the value, throwing ConfigError (or std::invalid_argument) if invalid.
  Options& add(std::string flag, std::string env, std::string help, std::string default_text, Apply apply,
               std::vector<std::string> aliases = {});

  enum class Outcome { run, exit_success };
  // Applies environment values, then `--flag value` / `--flag=value` arguments. --help prints usage to `out` and
  // returns exit_success. Throws ConfigError on an unknown flag, a missing value or an invalid value.
  Outcome parse(int argc, const char* const* argv, std::ostream& out);
  // Same, with a custom environment lookup (tests).
  Outcome parse(int argc, const char* const* argv, std::ostream& out,
                const std::function<const char*(const char*)>& getenv);

  void print_help(std::ostream& out) const;

 private:
  struct Option {
    std::string flag;
    std::string env;
    std::string help;
    std::string default_text;
    Apply apply;
    std::vector<std::string> aliases;
  };
  void apply(const Option& option, std::string_view value, std::string_view source) const;

  std::string program_;
  std::string summary_;
  std::vector<Option> options_;
};

// Value parsers shared by the services (they throw ConfigError with a clear message).
// "250ms", "15s", "2m"; a bare number means seconds.
std::chrono::milliseconds parse_duration(std::string_view text);
// The same, refusing zero ("must be greater than zero"): for timeouts and intervals.
std::chrono::milliseconds parse_positive_duration(std::string_view text);
// The inverse for --help defaults: whole seconds as "15s", anything else as "250ms".
std::string duration_text(std::chrono::milliseconds d);
// "1048576", "512KiB", "1MiB" (also KB/MB as powers of 1024 and k/m/K/M).
std::size_t parse_size(std::string_view text);
// A whole number in [min, max].
long long parse_integer(std::string_view text, long long min, long long max);

}  // namespace kok::service
