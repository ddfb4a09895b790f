#pragma once
// One Kafka consumer per topic, shared by every HTTP request reading that topic.
//
// Why assign() and not subscribe(): a subscribed consumer that is not polled for max.poll.interval.ms (an HTTP
// consumer is idle whenever nobody asks) is removed from the group and its partitions move elsewhere. We assign every
// partition ourselves and use the group only to store committed offsets. Consequence for several replicas of this
// service with the same CONSUMER_GROUP: each replica reads every partition from the committed offset on its own, so
// the same message can be served by two replicas (at-least-once across replicas, exactly-once handout only within one
// replica). Run one replica, or give each replica its own group (then each replica sees every message).
//
// No thread waits: requests register as waiters; librdkafka signals through a pipe (kafka::QueueWakeup) when its
// queue goes from empty to non-empty, and the wakeup hands messages to waiters in FIFO order. A mutex (not a strand)
// guards the state so that the "response written" acknowledgement is applied synchronously on the session's thread:
// nothing is lost if the io_context stops right after the last response of a graceful shutdown.

#include <chrono>
#include <cstdint>
#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/steady_timer.hpp>

#include "consumer_metrics.hpp"
#include "delivery_queue.hpp"
#include "kok/kafka/completion.hpp"
#include "kok/kafka/config.hpp"
#include "kok/kafka/consumer.hpp"
#include "kok/kafka/queue_wakeup.hpp"
#include "kok/kafka/result.hpp"

namespace kok::consumer {

struct TopicConsumerOptions {
  std::string topic;
  kafka::ConfigMap kafka_config;  // kafka::consumer_config(...)
  std::chrono::milliseconds metadata_timeout{std::chrono::seconds{5}};
  std::size_t max_waiters = 10'000;  // requests waiting on one topic at once; more → 503
};

class TopicConsumer : public std::enable_shared_from_this<TopicConsumer> {
 public:
  using Batch = kafka::Result<std::vector<kafka::Message>>;
  using Clock = std::chrono::steady_clock;

  TopicConsumer(TopicConsumerOptions options, boost::asio::any_io_executor io, boost::asio::any_io_executor blocking,
                ConsumerMetrics& metrics);
  ~TopicConsumer();
  TopicConsumer(const TopicConsumer&) = delete;
  TopicConsumer& operator=(const TopicConsumer&) = delete;

  // Starts connecting on the blocking pool (metadata, assignment from the committed offsets). Waiters may queue
  // meanwhile; they are served once it is open.
  void open();

  // Up to `max` messages, as soon as at least one is available, or an empty batch after `wait`. Completes with
  // void(Batch) on the caller's executor. Every message returned MUST be passed to finish() exactly once.
  template <typename CompletionToken>
  auto async_take(std::size_t max, std::chrono::milliseconds wait, CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, void(Batch)>(
        [](auto handler, TopicConsumer* self, std::size_t n, std::chrono::milliseconds w) {
          self->start_take(n, w, kafka::detail::make_completion<Batch>(std::move(handler)));
        },
        token, this, max, wait);
  }

  // The response carrying `messages` was written (true: commit them) or not (false: hand them out again first).
  // Thread-safe; never blocks.
  void finish(const std::vector<kafka::Message>& messages, bool written);

  // True once every message below the last high watermark seen in a fetch has been handed out. Until then an empty
  // take means "not fetched yet" (cold start: group coordinator, committed offsets, first fetch), not "no message".
  [[nodiscard]] bool caught_up() const;
  // Per partition: one past the highest offset handed out (or the committed position if none yet).
  [[nodiscard]] std::map<std::int32_t, std::int64_t> next_untaken() const;
  [[nodiscard]] const std::string& topic() const noexcept { return options_.topic; }
  // Opening failed (e.g. the topic was deleted): drop this consumer and make a new one next time.
  [[nodiscard]] bool failed() const;
  // Nobody uses it, nothing in flight, untouched for `idle_for`.
  [[nodiscard]] bool idle(Clock::time_point now, std::chrono::milliseconds idle_for) const;
  [[nodiscard]] Clock::time_point last_used() const;
  // Requests currently holding it (see ConsumerRegistry leases).
  void add_user();
  void remove_user();
  // Recomputes the lag gauge from the last fetch's watermarks (cheap, no request).
  void update_lag();

  // Commits what was delivered and closes the Kafka consumer. Blocking: call on the blocking pool or at shutdown.
  void close();

 private:
  struct Waiter {
    std::uint64_t id;
    std::size_t max;
    std::unique_ptr<kafka::detail::Completion<Batch>> completion;
    boost::asio::steady_timer timer;
  };
  enum class State { opening, open, failed, closed };

  void start_take(std::size_t max, std::chrono::milliseconds wait,
                  std::unique_ptr<kafka::detail::Completion<Batch>> completion);
  void open_blocking();
  void on_wakeup(const boost::system::error_code& ec);
  void expire(std::uint64_t waiter_id);
  // All *_locked functions require mutex_.
  std::vector<kafka::Message> take_locked(std::size_t max);
  void serve_waiters_locked();
  void arm_wakeup_locked();
  void fail_waiters_locked(const std::error_code& ec, const std::string& reason);
  // Sends the newest committable positions unless a commit is already in flight (then it follows when that one
  // completes): brokers serve a connection's requests one at a time, so one request per message would fall behind.
  void commit_locked();
  void collect_commit_results_locked();

  TopicConsumerOptions options_;
  boost::asio::any_io_executor io_;
  boost::asio::any_io_executor blocking_;
  ConsumerMetrics& metrics_;
  http::metrics::Counter& delivered_;
  http::metrics::Counter& redelivered_;
  http::metrics::Gauge& lag_;

  mutable std::mutex mutex_;
  State state_ = State::opening;
  std::error_code error_;
  std::string error_reason_;
  std::unique_ptr<kafka::Consumer> consumer_;
  std::vector<std::int32_t> partitions_;
  kafka::QueueWakeup wakeup_;
  bool wakeup_armed_ = false;
  bool commit_in_flight_ = false;
  Clock::time_point commit_sent_at_{};
  DeliveryQueue queue_;
  std::list<Waiter> waiters_;
  std::uint64_t next_waiter_id_ = 0;
  int users_ = 0;
  Clock::time_point last_used_ = Clock::now();
};

}  // namespace kok::consumer
