#include "handlers/common.hpp"

#include <algorithm>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <memory>

#include "idempotency/key_store.hpp"
#include "kok/kafka/error.hpp"
#include "kok/service/kafka_errors.hpp"
#include "topic_case.hpp"

namespace kok::producer {

namespace asio = boost::asio;

namespace {

// Where a write's partition lives could not be learnt: no broker answered the metadata request in time. That is
// "no leader known for this write" (503, retry), not a timeout of the write itself (504).
http::Error metadata_error(std::error_code error, const std::string& reason) {
  if (kafka::is_timeout(error)) {
    return http::unavailable("kafka unavailable: no broker answered the metadata request (" + reason + ")",
                             std::chrono::seconds{5});
  }
  return service::to_http_error(error, reason);
}

}  // namespace

asio::awaitable<void> require_topic(const ProducerService& service, std::string topic) {
  // The Admin confirms a "no" with a topic-specific request, so a topic created a moment ago is not refused.
  auto exists = co_await service.admin.async_topic_exists(std::move(topic), asio::use_awaitable);
  if (!exists.ok()) throw metadata_error(exists.error, exists.reason);
  if (!exists.value) throw http::not_found("topic does not exist");
}

asio::awaitable<kafka::TopicCreation> create_new_topic(const ProducerService& service, kafka::NewTopic spec) {
  const auto turn = co_await service.creations.turn(spec.name);
  const auto listed = co_await service.admin.async_list_topics(asio::use_awaitable);
  if (!listed.ok()) throw metadata_error(listed.error, listed.reason);
  auto names = listed.value;
  for (auto& name : service.creations.recent()) names.push_back(std::move(name));
  const bool absent_before = std::find(names.begin(), names.end(), spec.name) == names.end();
  if (const auto sibling = case_sibling(spec.name, names)) {
    throw http::conflict(case_conflict_reason(spec.name, *sibling));
  }
  auto name = spec.name;
  const auto created = co_await service.admin.async_create_topic(std::move(spec), asio::use_awaitable);
  service::throw_if_kafka_error(created);
  service.creations.remember(name);
  // "Already exists" for a name neither the cluster's list of a moment before nor this process's recent creations
  // hold is, most likely, this very request retried inside the client while a broker left (its first attempt reached
  // the controller, the answer was lost): seen once in ~90 creations while a broker shut down. It is answered as
  // created; a creation by another client in the same instant is told apart from it by nothing Kafka returns.
  if (created.value == kafka::TopicCreation::already_exists && absent_before) {
    spdlog::info("topic '{}' was absent a moment before its creation answered 'already exists': taken as created", name);
    co_return kafka::TopicCreation::created;
  }
  co_return created.value;
}

namespace {

// Shared by the delivery callbacks of one batch; they all run on the request's strand.
struct Batch {
  explicit Batch(const asio::any_io_executor& executor, std::size_t count)
      : results(count), pending(count), done(executor) {
    done.expires_at(asio::steady_timer::time_point::max());
  }
  std::vector<ProduceResult> results;
  std::size_t pending;
  asio::steady_timer done;  // cancelled when the last report arrived
};

// Each record of a keyed request carries the key (and, in a batch, its index), so that a later attempt can find it;
// records found by a recovery count as delivered and are not produced again.
void mark_with_key(const KeyedAttempt& attempt, std::vector<Record>& records, Batch& batch) {
  for (std::size_t i = 0; i < records.size(); ++i) {
    records[i].headers.push_back({idempotency::key_header, attempt.key});
    if (records.size() > 1) records[i].headers.push_back({idempotency::index_header, std::to_string(i)});
    if (const auto found = attempt.recovered.find(i); found != attempt.recovered.end()) {
      batch.results[i] = ProduceResult{{}, found->second};
      --batch.pending;
    }
  }
}

}  // namespace

asio::awaitable<std::vector<ProduceResult>> produce_all(const ProducerService& service, const std::string& topic,
                                                   std::vector<Record> records, KeyedAttempt* attempt) {
  const auto executor = co_await asio::this_coro::executor;
  auto batch = std::make_shared<Batch>(executor, records.size());
  if (attempt != nullptr) mark_with_key(*attempt, records, *batch);
  const auto started = std::chrono::steady_clock::now();
  auto* metrics = &service.metrics;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (attempt != nullptr && attempt->recovered.count(i) > 0) continue;  // written by an earlier attempt
    const auto& r = records[i];
    const std::optional<std::string_view> key = r.key ? std::optional<std::string_view>(*r.key) : std::nullopt;
    // A plain callback (not a coroutine) bound to our strand: the delivery report arrives on the producer's poll
    // thread and is posted here, so the batch state needs no lock.
    service.producer.async_produce(
        topic, key, r.value, r.headers,
        asio::bind_executor(executor, [batch, i, started, metrics](std::error_code ec, kafka::DeliveryReport report) {
          batch->results[i] = ProduceResult{ec, report};
          if (metrics != nullptr) {
            metrics->messages.labels({ec ? std::string(kafka::to_string(kafka::classify(ec))) : "acknowledged"}).inc();
            if (!ec) {
              metrics->ack_latency.observe(
                  std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
            }
          }
          if (--batch->pending == 0) batch->done.cancel();
        }));
  }
  if (batch->pending > 0) {
    boost::system::error_code ignored;
    co_await batch->done.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }
  if (attempt != nullptr) {
    for (const auto& result : batch->results) {
      attempt->written = attempt->written || !result.error;
      attempt->uncertain = attempt->uncertain || (result.error && result.report.possibly_persisted);
    }
  }
  co_return std::move(batch->results);
}

http::Error delivery_error(std::error_code error) { return service::to_http_error(error, error.message()); }

}  // namespace kok::producer
