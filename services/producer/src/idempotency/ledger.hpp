#pragma once
// What the key store knows about each Idempotency-Key, rebuilt by every producer replica from the same log.
//
// The store is one Kafka partition (key_store.hpp). Every replica applies its records in log order with the
// timestamps the log gives them, so every replica reaches the same state and the same verdict: which request owns a
// key is decided by the order of the claims in the log, not by any replica's clock. Pure bookkeeping: no Kafka, no
// threads, no clock (times come with the records); the owner serializes calls.
//
// A request with a key writes a Claim, waits until its own claim has been applied, then asks for the verdict:
// - the key completed before (and not expired): replay the stored answer, or 422 if the request differs;
// - another claim holds the key (within its lease): 409 in flight, or 422 if the request differs;
// - its own claim holds the key: proceed. If an earlier claim expired without completing or releasing (its owner died
//   or lost track of its write), that claim's records may be in Kafka: `recover_since_ms` says from when to look.
// The owner then writes Completion (the answer to replay) or, when the write failed, Release.

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>

namespace kok::producer::idempotency {

// A successful answer, replayed byte for byte to a repeated request.
struct StoredResponse {
  unsigned status = 0;
  std::string content_type;
  std::string body;
  friend bool operator==(const StoredResponse&, const StoredResponse&) = default;
};

// The records of the store, in the order a request writes them.
struct Claim {
  std::string claim_id;     // unique per attempt (replica + counter)
  std::string fingerprint;  // of the request: method, target, the headers that shape the message, body
  std::string topic;        // where its records go (the recovery looks there)
  // How long it holds the key (the Timing::lease of the replica that wrote it, key_store.hpp): in the record, so that
  // every replica judges a claim by the same lease whatever its own settings.
  std::int64_t lease_ms = 0;
};
struct Completion {
  std::string claim_id;
  StoredResponse response;
};
struct Release {
  std::string claim_id;
  // True when this attempt knows it wrote no record (every write failed before reaching a broker): the key is free
  // again, unless an earlier claim left it unsettled — that claim's records may still be in Kafka, so the key stays
  // unsettled and the next claim looks for them. False makes the key unsettled: the next claim recovers first.
  bool nothing_written = true;
};
using Event = std::variant<Claim, Completion, Release>;

struct Verdict {
  enum class Kind {
    proceed,    // this claim owns the key: write, then complete or release
    replay,     // completed before with the same request: answer `response`
    in_flight,  // another claim holds the key with the same request: 409, retry after `retry_after`
    mismatch,   // the key was used for a different request: 422
    lost,       // this claim is unknown (not applied): the caller retries later
  };
  Kind kind = Kind::lost;
  StoredResponse response;                 // replay
  std::optional<std::int64_t> recover_since_ms;  // proceed: look for records written by earlier claims since then
  std::chrono::milliseconds retry_after{0};      // in_flight: until the other claim's lease ends
};

class Ledger {
 public:
  // `ttl`: how long a completed key is remembered. (Each claim carries its own lease.)
  explicit Ledger(std::chrono::milliseconds ttl) : ttl_(ttl) {}

  // Applies one record of the store, at the time the log gave it.
  void apply(const std::string& key, const Event& event, std::int64_t at_ms);
  // The verdict for the request that wrote claim `claim_id` at `claim_at_ms`, once that claim was applied.
  [[nodiscard]] Verdict verdict(const std::string& key, const std::string& fingerprint, const std::string& claim_id,
                                std::int64_t claim_at_ms) const;
  // Forgets keys no claim at or after `now_ms` can be affected by (completed or claimed longer than the TTL ago).
  void expire(std::int64_t now_ms);
  [[nodiscard]] std::size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::string fingerprint;
    std::string topic;
    std::string claim_id;  // the claim holding the key; empty after a release that left records behind
    std::int64_t claimed_at_ms = 0;
    std::int64_t lease_ms = 0;
    std::optional<StoredResponse> response;  // set once completed
    std::int64_t completed_at_ms = 0;
    std::optional<std::int64_t> unsettled_since_ms;  // earliest claim whose records may be in Kafka
  };
  void apply_claim(const std::string& key, const Claim& claim, std::int64_t at_ms);
  [[nodiscard]] bool holds(const Entry& entry, std::int64_t at_ms) const;

  std::chrono::milliseconds ttl_;
  std::map<std::string, Entry> entries_;
};

}  // namespace kok::producer::idempotency
