#pragma once
// The key store's records as they are written to Kafka: the Idempotency-Key is the record key (so compaction keeps
// each key's latest record), the event a small JSON object. Versioned by field presence, read back by every replica.

#include <optional>
#include <string>
#include <string_view>

#include "idempotency/ledger.hpp"

namespace kok::producer::idempotency {

std::string encode(const Event& event);
// nullopt for a record this version does not understand (skipped, and logged by the reader).
std::optional<Event> decode(std::string_view value);

}  // namespace kok::producer::idempotency
