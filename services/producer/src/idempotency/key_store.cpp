#include "idempotency/key_store.hpp"

#include <boost/asio/associated_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdlib>

#include "idempotency/store_record.hpp"
#include "kok/http/error.hpp"
#include "kok/kafka/consumer.hpp"

namespace kok::producer::idempotency {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

namespace {

// A record written by a replica whose clock is behind the brokers' still counts: the recovery looks this much earlier
// than the claim it recovers.
constexpr std::chrono::milliseconds clock_margin{std::chrono::minutes{1}};

std::int64_t wall_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

http::Error store_unavailable(const std::string& what) {
  return http::unavailable("idempotency key store unavailable: " + what + "; nothing was written, retry with the same key",
                           std::chrono::seconds{1});
}

}  // namespace

struct KeyStore::Waiter {
  Waiter(std::int64_t o, const asio::any_io_executor& executor) : offset(o), timer(executor) {}
  std::int64_t offset;
  asio::steady_timer timer;  // cancelled (on its own executor) once the reader applied `offset`
};

KeyStore::KeyStore(kafka::ConfigMap consumer_config, kafka::Admin& admin, kafka::Producer& producer, Options options)
    : consumer_config_(std::move(consumer_config)),
      admin_(admin),
      producer_(producer),
      options_(std::move(options)),
      ledger_(options_.timing.ttl) {}

KeyStore::~KeyStore() {
  stopping_ = true;
  if (reader_.joinable()) reader_.join();
  scans_.join();
}

void KeyStore::start() {
  reader_ = std::thread([this] { read_loop(); });
}

bool KeyStore::ensure_topic() {
  const auto ttl = options_.timing.ttl.count();
  kafka::NewTopic spec;
  spec.name = options_.topic;
  spec.partitions = 1;  // one order for every claim
  spec.replication_factor = 3;
  spec.configs = {
      // The brokers' clock orders claims and leases the same way for every replica.
      {"message.timestamp.type", "LogAppendTime"},
      {"min.insync.replicas", "2"},
      // Plain deletion, no compaction: a later (losing) claim must never make a key's completion disappear.
      {"cleanup.policy", "delete"},
      {"retention.ms", std::to_string(ttl + 2 * options_.timing.lease.count())},
      {"segment.ms", std::to_string(std::min<std::int64_t>(ttl, 3'600'000))},
  };
  const auto created = admin_.create_topic(spec);
  if (created.ok()) return true;
  spdlog::warn("idempotency key store: cannot create topic {} yet: {}", options_.topic, created.reason);
  return false;
}

void KeyStore::read_loop() {
  while (!stopping_ && !ensure_topic()) {
    for (int i = 0; i < 10 && !stopping_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds{100});
  }
  if (stopping_) return;
  kafka::Consumer consumer{consumer_config_};
  if (const auto ec = consumer.assign({{options_.topic, 0, kafka::offset_beginning}}); ec) {
    spdlog::error("idempotency key store: cannot read {}: {}", options_.topic, ec.message());
    return;
  }
  auto next_expiry = Clock::now();
  while (!stopping_) {
    auto polled = consumer.poll(std::chrono::milliseconds{100});
    if (!polled.ok()) {
      spdlog::debug("idempotency key store: {}", polled.reason);
      continue;
    }
    std::lock_guard lock{mutex_};
    if (polled.value) {
      const auto& m = *polled.value;
      if (const auto event = decode(m.value); event && m.key) {
        ledger_.apply(*m.key, *event, m.timestamp_ms);
      } else {
        spdlog::warn("idempotency key store: record {} of {} not understood, skipped", m.offset, options_.topic);
      }
      applied_ = m.offset;
      std::erase_if(waiters_, [this](const std::shared_ptr<Waiter>& w) {
        if (w->offset > applied_) return false;
        asio::post(w->timer.get_executor(), [w] { w->timer.cancel(); });
        return true;
      });
    }
    if (Clock::now() >= next_expiry) {
      // A lease of slack for the clocks of the brokers (which stamp the claims) and of this machine.
      ledger_.expire(wall_ms() - options_.timing.lease.count());
      next_expiry = Clock::now() + std::chrono::minutes{1};
    }
  }
}

void KeyStore::append(const std::string& key, const Event& event,
                      std::function<void(std::error_code, kafka::DeliveryReport)> done) {
  producer_.async_produce_to(options_.topic, 0, key, encode(event), {}, std::move(done));
}

asio::awaitable<bool> KeyStore::applied(std::int64_t offset, Clock::time_point deadline) {
  auto waiter = std::make_shared<Waiter>(offset, co_await asio::this_coro::executor);
  {
    std::lock_guard lock{mutex_};
    if (applied_ >= offset) co_return true;
    waiters_.push_back(waiter);
  }
  waiter->timer.expires_at(deadline);
  boost::system::error_code ignored;
  co_await waiter->timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  std::lock_guard lock{mutex_};
  std::erase(waiters_, waiter);
  co_return applied_ >= offset;
}

asio::awaitable<KeyStore::Claimed> KeyStore::claim(std::string key, std::string fingerprint, std::string topic) {
  const auto deadline = Clock::now() + options_.wait;
  Claimed claimed;
  claimed.claim_id = options_.instance + "-" + std::to_string(++next_claim_);
  const auto request_fingerprint = fingerprint;

  struct Written {
    explicit Written(const asio::any_io_executor& executor) : timer(executor) {}
    asio::steady_timer timer;
    bool done = false;
    std::error_code error;
    kafka::DeliveryReport report;
  };
  auto written = std::make_shared<Written>(co_await asio::this_coro::executor);
  written->timer.expires_at(deadline);
  append(key, Claim{claimed.claim_id, std::move(fingerprint), std::move(topic), options_.timing.lease.count()},
         [written](std::error_code ec, kafka::DeliveryReport report) {
           asio::post(written->timer.get_executor(), [written, ec, report] {
             written->done = true;
             written->error = ec;
             written->report = report;
             written->timer.cancel();
           });
         });
  boost::system::error_code ignored;
  co_await written->timer.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  if (!written->done || written->error) {
    // The claim may still land: its release follows it into the log (same producer, same partition, in order).
    release(key, claimed.claim_id, true);
    throw store_unavailable(written->done ? "claim not written: " + written->error.message()
                                          : "claim not acknowledged within " + std::to_string(options_.wait.count()) +
                                                " ms");
  }
  if (!co_await applied(written->report.offset, deadline)) {
    release(key, claimed.claim_id, true);
    throw store_unavailable("the store is still being read");
  }
  claimed.at_ms = written->report.timestamp_ms;
  std::lock_guard lock{mutex_};
  claimed.verdict = ledger_.verdict(key, request_fingerprint, claimed.claim_id, claimed.at_ms);
  co_return claimed;
}

void KeyStore::complete(const std::string& key, const std::string& claim_id, StoredResponse response) {
  append(key, Completion{claim_id, std::move(response)}, [key](std::error_code ec, kafka::DeliveryReport) {
    if (ec) spdlog::warn("idempotency key store: completion of a key not written ({}): a retry recovers it", ec.message());
  });
}

void KeyStore::release(const std::string& key, const std::string& claim_id, bool nothing_written) {
  append(key, Release{claim_id, nothing_written}, [](std::error_code ec, kafka::DeliveryReport) {
    if (ec) spdlog::warn("idempotency key store: release of a key not written ({}): its lease ends it", ec.message());
  });
}

std::size_t KeyStore::size() const {
  std::lock_guard lock{mutex_};
  return ledger_.size();
}

asio::awaitable<std::map<std::size_t, kafka::DeliveryReport>> KeyStore::recover(std::string key, std::string topic,
                                                                                std::int64_t since_ms) {
  using Found = std::map<std::size_t, kafka::DeliveryReport>;
  // The scan blocks: it runs on the store's own thread, and its result (or its error) goes back to the request's
  // executor. (A plain handler rather than a coroutine lambda: GCC 12 destroys a coroutine lambda's moved captures twice.)
  co_return co_await asio::async_initiate<decltype(asio::use_awaitable), void(std::exception_ptr, Found)>(
      [this](auto handler, std::string k, std::string t, std::int64_t since) {
        auto work = asio::make_work_guard(asio::get_associated_executor(handler));
        asio::post(scans_, [this, handler = std::move(handler), work = std::move(work), k = std::move(k),
                            t = std::move(t), since]() mutable {
          std::exception_ptr error;
          Found found;
          try {
            found = scan(k, t, since);
          } catch (...) {
            error = std::current_exception();
          }
          auto executor = work.get_executor();
          asio::post(executor, [handler = std::move(handler), error, found = std::move(found)]() mutable {
            std::move(handler)(error, std::move(found));
          });
          work.reset();
        });
      },
      asio::use_awaitable, std::move(key), std::move(topic), since_ms);
}

std::map<std::size_t, kafka::DeliveryReport> KeyStore::scan(const std::string& key, const std::string& topic,
                                                            std::int64_t since_ms) {
  const auto deadline = Clock::now() + options_.wait;
  const auto left = [&deadline] {
    return std::max(std::chrono::milliseconds{1},
                    std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()));
  };
  kafka::Consumer consumer{consumer_config_};
  const auto partitions = consumer.partitions(topic, left());
  if (!partitions.ok()) throw store_unavailable("cannot look for earlier records of this key: " + partitions.reason);
  const auto starts = consumer.offsets_for_times(topic, partitions.value, since_ms - clock_margin.count(), left());
  if (!starts.ok()) throw store_unavailable("cannot look for earlier records of this key: " + starts.reason);
  std::vector<kafka::TopicPartitionOffset> from;
  std::map<std::int32_t, std::int64_t> ends;
  for (const auto& start : starts.value) {
    const auto marks = consumer.query_watermarks(topic, start.partition, left());
    if (!marks.ok()) throw store_unavailable("cannot look for earlier records of this key: " + marks.reason);
    if (start.offset < 0 || start.offset >= marks.value.high) continue;  // nothing written since
    from.push_back(start);
    ends[start.partition] = marks.value.high;
  }
  std::map<std::size_t, kafka::DeliveryReport> found;
  if (from.empty()) return found;
  if (const auto ec = consumer.assign(from); ec) throw store_unavailable("cannot read " + topic + ": " + ec.message());
  while (!ends.empty()) {
    if (Clock::now() >= deadline) throw store_unavailable("could not read " + topic + " to its end in time");
    auto polled = consumer.poll(std::chrono::milliseconds{50});
    if (polled.ok() && polled.value) {
      const auto& m = *polled.value;
      const auto has = [&m](const char* name, const std::string& value) {
        return std::any_of(m.headers.begin(), m.headers.end(),
                           [&](const kafka::Header& h) { return h.key == name && h.value == value; });
      };
      if (has(key_header, key)) {
        std::size_t index = 0;
        for (const auto& h : m.headers) {
          // A record of a batch says its index; a value that is not a number is not ours: index 0 as for one record.
          if (h.key == index_header && h.value) index = std::strtoul(h.value->c_str(), nullptr, 10);
        }
        found[index] = kafka::DeliveryReport{m.partition, m.offset, m.timestamp_ms};
      }
    }
    std::erase_if(ends, [&](const auto& end) { return consumer.position(topic, end.first) >= end.second; });
  }
  return found;
}

}  // namespace kok::producer::idempotency
