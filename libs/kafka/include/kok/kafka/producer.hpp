#pragma once
// Idempotent Kafka producer with Asio completion tokens.
//
//   kok::kafka::Producer producer{kok::kafka::producer_config("127.0.0.1:9092")};
//   auto [ec, report] = co_await producer.async_produce("orders", key, value, headers,
//                                                       boost::asio::as_tuple(boost::asio::use_awaitable));
//
// How it works: the completion handler travels with the message as librdkafka's per-message opaque. ONE poll thread
// owned by the Producer serves delivery reports and posts each completion to the handler's associated executor, so no
// thread waits per request. A full local queue fails immediately (ErrorKind::queue_full) instead of blocking. A
// fatal error of the idempotent producer (every later message would fail) makes it start a new client.
// Destruction flushes for at most Options::flush_timeout, then fails whatever is still queued (ErrorKind::shutting_down):
// every handler is completed exactly once. Destroy the Producer before the io_context its handlers run on.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <system_error>

#include <boost/asio/async_result.hpp>

#include "kok/kafka/completion.hpp"
#include "kok/kafka/config.hpp"
#include "kok/kafka/message.hpp"
#include "kok/kafka/result.hpp"

namespace kok::kafka {

class Producer {
 public:
  using Signature = void(std::error_code, DeliveryReport);

  struct Options {
    std::chrono::milliseconds flush_timeout{10'000};
  };

  // `config`: a full librdkafka configuration, normally from producer_config(). Throws ConfigError.
  explicit Producer(const ConfigMap& config);
  Producer(const ConfigMap& config, Options options);
  ~Producer();
  Producer(const Producer&) = delete;
  Producer& operator=(const Producer&) = delete;

  // Completes with (error, DeliveryReport{partition, offset, timestamp}) once the brokers acknowledged (acks=all) or the
  // message failed. topic/key/value/headers are copied before this returns.
  template <typename CompletionToken>
  auto async_produce(std::string_view topic, std::optional<std::string_view> key, std::string_view value,
                     const Headers& headers, CompletionToken&& token) {
    return async_produce_to(topic, any_partition, key, value, headers, std::forward<CompletionToken>(token));
  }

  // Same, to an explicit partition (any_partition lets the partitioner choose).
  template <typename CompletionToken>
  auto async_produce_to(std::string_view topic, std::int32_t partition, std::optional<std::string_view> key,
                        std::string_view value, const Headers& headers, CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, Signature>(
        [](auto handler, Producer* self, std::string_view t, std::int32_t p, std::optional<std::string_view> k,
           std::string_view v, const Headers* h) {
          self->enqueue(t, p, k, v, *h, detail::make_completion<std::error_code, DeliveryReport>(std::move(handler)));
        },
        token, this, topic, partition, key, value, &headers);
  }

  // Blocking convenience (tests, tools). Never call it from an io thread.
  Result<DeliveryReport> produce_sync(std::string_view topic, std::optional<std::string_view> key, std::string_view value,
                                      const Headers& headers = {}, std::int32_t partition = any_partition);

  // Waits up to `timeout` for everything queued to be delivered. Returns a timeout error if some is still pending.
  std::error_code flush(std::chrono::milliseconds timeout);

  // Puts the client in librdkafka's fatal state, as a broker's "out of order sequence number" does (tests only): the
  // Producer then replaces its client, as it does for a real fatal error.
  void inject_fatal_error_for_test();

 private:
  using DeliveryCompletion = detail::Completion<std::error_code, DeliveryReport>;
  // Hands the message to librdkafka; on immediate failure completes `completion` with the error (posted, not inline).
  void enqueue(std::string_view topic, std::int32_t partition, std::optional<std::string_view> key,
               std::string_view value, const Headers& headers, std::unique_ptr<DeliveryCompletion> completion);

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kok::kafka
