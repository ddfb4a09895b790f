#include "kok/service/options.hpp"

#include <charconv>
#include <cstdlib>
#include <ostream>
#include <stdexcept>

#include "kok/http/text.hpp"

namespace kok::service {

Options::Options(std::string program, std::string summary) : program_(std::move(program)), summary_(std::move(summary)) {}

Options& Options::add(std::string flag, std::string env, std::string help, std::string default_text, Apply apply,
                      std::vector<std::string> aliases) {
  // Two options on one flag would let the later silently shadow the earlier: a programming error, caught at startup.
  for (const auto& existing : options_) {
    if (existing.flag == flag) throw std::logic_error("option --" + flag + " is defined twice");
  }
  options_.push_back({std::move(flag), std::move(env), std::move(help), std::move(default_text), std::move(apply),
                      std::move(aliases)});
  return *this;
}

void Options::apply(const Option& option, std::string_view value, std::string_view source) const {
  try {
    option.apply(value);
  } catch (const std::exception& e) {
    throw ConfigError(std::string(source) + ": invalid value '" + std::string(value) + "': " + e.what());
  }
}

Options::Outcome Options::parse(int argc, const char* const* argv, std::ostream& out) {
  return parse(argc, argv, out, [](const char* name) { return std::getenv(name); });
}

Options::Outcome Options::parse(int argc, const char* const* argv, std::ostream& out,
                                const std::function<const char*(const char*)>& getenv) {
  // --help first: it must work whatever else is wrong.
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      print_help(out);
      return Outcome::exit_success;
    }
  }
  for (const auto& option : options_) {
    std::vector<std::string> names;
    if (!option.env.empty()) names.push_back(option.env);
    names.insert(names.end(), option.aliases.begin(), option.aliases.end());
    for (const auto& name : names) {
      const char* value = getenv(name.c_str());
      if (value != nullptr && *value != '\0') {
        apply(option, value, name);
        break;
      }
    }
  }
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (!arg.starts_with("--")) throw ConfigError("unexpected argument '" + std::string(arg) + "' (see --help)");
    arg.remove_prefix(2);
    std::string_view value;
    bool has_value = false;
    if (const auto eq = arg.find('='); eq != std::string_view::npos) {
      value = arg.substr(eq + 1);
      arg = arg.substr(0, eq);
      has_value = true;
    }
    const Option* found = nullptr;
    for (const auto& option : options_) {
      if (option.flag == arg) found = &option;
    }
    if (found == nullptr) throw ConfigError("unknown option --" + std::string(arg) + " (see --help)");
    if (!has_value) {
      if (i + 1 >= argc) throw ConfigError("--" + std::string(arg) + " needs a value");
      value = argv[++i];
    }
    apply(*found, value, "--" + std::string(arg));
  }
  return Outcome::run;
}

void Options::print_help(std::ostream& out) const {
  out << "Usage: " << program_ << " [options]\n\n" << summary_ << "\n\n"
      << "Options (each also read from the environment variable shown; a flag overrides the variable):\n";
  for (const auto& o : options_) {
    out << "  --" << o.flag << " <value>";
    if (!o.env.empty()) {
      out << "   [" << o.env;
      for (const auto& a : o.aliases) out << ", " << a;
      out << "]";
    }
    out << "\n      " << o.help;
    if (!o.default_text.empty()) out << " (default: " << o.default_text << ")";
    out << "\n";
  }
  out << "  --help\n      Show this help and exit.\n";
}

namespace {

using http::trim;

// Splits "15s" into 15 and "s".
std::pair<long long, std::string_view> number_and_unit(std::string_view text) {
  text = trim(text);
  long long number = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc{} || end == text.data() || number < 0) throw ConfigError("expected a non-negative number");
  return {number, trim(std::string_view(end, static_cast<std::size_t>(text.data() + text.size() - end)))};
}

}  // namespace

std::chrono::milliseconds parse_duration(std::string_view text) {
  const auto [n, unit] = number_and_unit(text);
  if (unit == "ms") return std::chrono::milliseconds{n};
  if (unit.empty() || unit == "s") return std::chrono::seconds{n};
  if (unit == "m" || unit == "min") return std::chrono::minutes{n};
  throw ConfigError("unknown duration unit '" + std::string(unit) + "' (use ms, s or m)");
}

std::chrono::milliseconds parse_positive_duration(std::string_view text) {
  const auto d = parse_duration(text);
  if (d.count() <= 0) throw ConfigError("must be greater than zero");
  return d;
}

std::string duration_text(std::chrono::milliseconds d) {
  return d.count() % 1000 == 0 ? std::to_string(d.count() / 1000) + "s" : std::to_string(d.count()) + "ms";
}

std::size_t parse_size(std::string_view text) {
  const auto [n, unit] = number_and_unit(text);
  unsigned long long factor = 1;
  if (unit.empty() || unit == "B") factor = 1;
  else if (unit == "k" || unit == "K" || unit == "KB" || unit == "KiB") factor = 1024ULL;
  else if (unit == "m" || unit == "M" || unit == "MB" || unit == "MiB") factor = 1024ULL * 1024ULL;
  else throw ConfigError("unknown size unit '" + std::string(unit) + "' (use B, KiB or MiB)");
  return static_cast<std::size_t>(static_cast<unsigned long long>(n) * factor);
}

long long parse_integer(std::string_view text, long long min, long long max) {
  text = trim(text);
  long long value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size()) throw ConfigError("expected a whole number");
  if (value < min || value > max) {
    throw ConfigError("must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return value;
}

}  // namespace kok::service
