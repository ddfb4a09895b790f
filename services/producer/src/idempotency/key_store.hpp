#pragma once
// The Idempotency-Key store every producer replica shares: one Kafka partition (topic `Options::topic`, RF 3,
// LogAppendTime, deleted after the keys' TTL), written with the service's idempotent producer and read back by a
// thread of each replica into a Ledger. Which request owns a key is decided by the order of the claims in that
// partition, so two replicas never both write for one key (docs/decisions.md, "Idempotency-Key").
//
// A request's claim is appended, then the request waits until the reader has applied the log up to that claim and
// reads the verdict. Completions are appended without waiting: if one is lost, the key's lease runs out and the next
// request with the key finds the records (recover) instead of writing them again.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "idempotency/ledger.hpp"
#include "kok/kafka/admin.hpp"
#include "kok/kafka/config.hpp"
#include "kok/kafka/message.hpp"
#include "kok/kafka/producer.hpp"

namespace kok::producer::idempotency {

// The message headers that tie a record to its key: the recovery looks for them.
inline constexpr const char* key_header = "Idempotency-Key";
inline constexpr const char* index_header = "Idempotency-Record";  // the record's index in its request, from 0

struct Timing {
  // How long this replica's claims hold their key. Longer than an attempt can still put a record into Kafka after its
  // claim (the producer's delivery timeout plus the brokers' request timeout, with a margin): a later claim then finds
  // what the earlier attempt wrote, and never writes beside it.
  std::chrono::milliseconds lease{std::chrono::seconds{60}};
  // How long a completed key is remembered (the expiry clients are told); the same on every replica.
  std::chrono::milliseconds ttl{std::chrono::hours{24}};
};

class KeyStore {
 public:
  struct Options {
    std::string topic = "__kok_idempotency_keys";
    Timing timing;
    // How long a request waits for its claim to be written and read back (and a recovery for its scan).
    std::chrono::milliseconds wait{std::chrono::seconds{5}};
    // Names this process's claims (with a counter); unique per process.
    std::string instance;
  };

  // `consumer_config`: a consumer configuration (bootstrap, overrides) for the reader and the recovery scans.
  KeyStore(kafka::ConfigMap consumer_config, kafka::Admin& admin, kafka::Producer& producer, Options options);
  ~KeyStore();  // stops the reader
  KeyStore(const KeyStore&) = delete;
  KeyStore& operator=(const KeyStore&) = delete;

  // Creates the topic when missing (retrying while Kafka is away) and starts reading it.
  void start();

  struct Claimed {
    std::string claim_id;
    std::int64_t at_ms = 0;
    Verdict verdict;
  };
  // Appends a claim and returns the verdict once it was read back. Throws http::Error 503 when the store cannot be
  // written or read in time (the request then writes nothing).
  boost::asio::awaitable<Claimed> claim(std::string key, std::string fingerprint, std::string topic);
  // Appended without waiting (see above).
  void complete(const std::string& key, const std::string& claim_id, StoredResponse response);
  void release(const std::string& key, const std::string& claim_id, bool nothing_written);

  // Records of `key` in `topic` with a timestamp from `since_ms` on, by record index (index_header). Throws
  // http::Error 503 when the topic cannot be read to its end in time.
  boost::asio::awaitable<std::map<std::size_t, kafka::DeliveryReport>> recover(std::string key, std::string topic,
                                                                               std::int64_t since_ms);

  // Keys the ledger holds (a metric).
  [[nodiscard]] std::size_t size() const;

 private:
  struct Waiter;
  void read_loop();
  bool ensure_topic();
  void append(const std::string& key, const Event& event,
              std::function<void(std::error_code, kafka::DeliveryReport)> done);
  boost::asio::awaitable<bool> applied(std::int64_t offset, std::chrono::steady_clock::time_point deadline);
  std::map<std::size_t, kafka::DeliveryReport> scan(const std::string& key, const std::string& topic,
                                                    std::int64_t since_ms);

  kafka::ConfigMap consumer_config_;
  kafka::Admin& admin_;
  kafka::Producer& producer_;
  Options options_;
  std::atomic<std::uint64_t> next_claim_{0};
  std::atomic<bool> stopping_{false};

  mutable std::mutex mutex_;
  Ledger ledger_;
  std::int64_t applied_ = -1;  // offset of the last record applied
  std::vector<std::shared_ptr<Waiter>> waiters_;

  boost::asio::thread_pool scans_{1};  // recovery scans block: never on an io thread
  std::thread reader_;
};

}  // namespace kok::producer::idempotency
