#pragma once
// librdkafka configuration as a key/value map, with the defaults this project relies on.
//
// The builders return plain maps so services can log them, tests can inspect them, and overrides from the environment
// can be merged in one place. Settings our correctness depends on (idempotent producer with acks=all; consumer commits
// only by hand) are enforced: an override that weakens them is a ConfigError, not silently applied.

#include <map>
#include <stdexcept>
#include <string>
#include <string_view>

namespace kok::kafka {

using ConfigMap = std::map<std::string, std::string, std::less<>>;

// A setting librdkafka (or this library) rejected. key() names it, what() says why.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string key, const std::string& reason);
  [[nodiscard]] const std::string& key() const noexcept { return key_; }

 private:
  std::string key_;
};

// Producer: idempotent, acks=all, and the latency and timeout settings whose values and reasons are in config.cpp.
[[nodiscard]] ConfigMap producer_config(std::string_view bootstrap_servers, const ConfigMap& overrides = {});

// Consumer: group.id, enable.auto.commit=false, enable.auto.offset.store=false, auto.offset.reset=earliest,
// enable.partition.eof=false, and a prefetch sized for a second of reading (config.cpp says how much and why).
[[nodiscard]] ConfigMap consumer_config(std::string_view bootstrap_servers, std::string_view group_id,
                                        const ConfigMap& overrides = {});

// Admin / metadata client.
[[nodiscard]] ConfigMap admin_config(std::string_view bootstrap_servers, const ConfigMap& overrides = {});

// Applies every entry to a scratch librdkafka configuration; throws ConfigError naming the first key it rejects.
void validate_config(const ConfigMap& config);

}  // namespace kok::kafka
