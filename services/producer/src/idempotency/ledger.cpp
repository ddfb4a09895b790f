#include "idempotency/ledger.hpp"

#include <algorithm>

#include "idempotency/overloaded.hpp"

namespace kok::producer::idempotency {

namespace {

std::int64_t earliest(const std::optional<std::int64_t>& a, std::int64_t b) { return a ? std::min(*a, b) : b; }

}  // namespace

bool Ledger::holds(const Entry& entry, std::int64_t at_ms) const {
  return !entry.claim_id.empty() && at_ms < entry.claimed_at_ms + entry.lease_ms;
}

void Ledger::apply(const std::string& key, const Event& event, std::int64_t at_ms) {
  std::visit(Overloaded{
                 [&](const Claim& claim) { apply_claim(key, claim, at_ms); },
                 [&](const Completion& completion) {
                   const auto it = entries_.find(key);
                   // Only the claim holding the key completes it: an owner that lost its key (its lease ran out and
                   // another claim took over) completes nothing.
                   if (it == entries_.end() || it->second.response || it->second.claim_id != completion.claim_id) return;
                   it->second.response = completion.response;
                   it->second.completed_at_ms = at_ms;
                   it->second.unsettled_since_ms.reset();
                 },
                 [&](const Release& release) {
                   const auto it = entries_.find(key);
                   if (it == entries_.end() || it->second.response || it->second.claim_id != release.claim_id) return;
                   // "Nothing written" speaks of this claim's own write. An earlier claim's records may still be in
                   // Kafka (this one took over an unsettled key and failed before finding them): the next owner
                   // looks for them, so the key is freed but stays unsettled.
                   if (release.nothing_written && !it->second.unsettled_since_ms) {
                     entries_.erase(it);
                     return;
                   }
                   if (!release.nothing_written) {
                     it->second.unsettled_since_ms = earliest(it->second.unsettled_since_ms, it->second.claimed_at_ms);
                   }
                   it->second.claim_id.clear();
                 },
             },
             event);
}

void Ledger::apply_claim(const std::string& key, const Claim& claim, std::int64_t at_ms) {
  auto [it, fresh] = entries_.try_emplace(key);
  Entry& entry = it->second;
  const auto ttl = ttl_.count();
  if (!fresh) {
    const bool expired = entry.response ? entry.completed_at_ms + ttl <= at_ms : entry.claimed_at_ms + ttl <= at_ms;
    if (expired) {
      entry = Entry{};
    } else {
      if (entry.response || holds(entry, at_ms)) return;  // the key is taken: this claim loses
      // The previous claim ran out of time without saying how its write went: its records may be in Kafka.
      if (!entry.claim_id.empty()) entry.unsettled_since_ms = earliest(entry.unsettled_since_ms, entry.claimed_at_ms);
      // Records of another request may be in Kafka under this key: it cannot be given to a different request.
      if (entry.unsettled_since_ms && entry.fingerprint != claim.fingerprint) {
        entry.claim_id.clear();
        return;
      }
    }
  }
  entry.fingerprint = claim.fingerprint;
  entry.topic = claim.topic;
  entry.claim_id = claim.claim_id;
  entry.claimed_at_ms = at_ms;
  entry.lease_ms = claim.lease_ms;
}

Verdict Ledger::verdict(const std::string& key, const std::string& fingerprint, const std::string& claim_id,
                        std::int64_t claim_at_ms) const {
  Verdict v;
  const auto it = entries_.find(key);
  if (it == entries_.end()) return v;  // lost
  const Entry& entry = it->second;
  if (entry.fingerprint != fingerprint) {
    v.kind = Verdict::Kind::mismatch;
  } else if (entry.response) {
    v.kind = Verdict::Kind::replay;
    v.response = *entry.response;
  } else if (entry.claim_id == claim_id) {
    v.kind = Verdict::Kind::proceed;
    v.recover_since_ms = entry.unsettled_since_ms;
  } else if (holds(entry, claim_at_ms)) {
    v.kind = Verdict::Kind::in_flight;
    v.retry_after = std::chrono::milliseconds{entry.claimed_at_ms + entry.lease_ms - claim_at_ms};
  }
  return v;
}

void Ledger::expire(std::int64_t now_ms) {
  const auto ttl = ttl_.count();
  std::erase_if(entries_, [&](const auto& item) {
    const Entry& e = item.second;
    return (e.response ? e.completed_at_ms : e.claimed_at_ms) + ttl <= now_ms;
  });
}

}  // namespace kok::producer::idempotency
