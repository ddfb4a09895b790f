#pragma once
// One Kafka consumer per topic, shared by every HTTP request reading that topic: the I/O around TopicDelivery (its
// whole state machine, pure): the Kafka consumer as its message source (KafkaFeed), sending the commit it says is
// due, and the waiting requests (Waiters), woken when messages arrive. Opening is topic_opener's.
//
// Why assign() and not subscribe(): a subscribed consumer that is not polled for max.poll.interval.ms (an HTTP
// consumer is idle whenever nobody asks) is removed from the group and its partitions move elsewhere. We assign every
// partition ourselves and use the group only to store committed offsets. Consequence for several replicas of this
// service with the same CONSUMER_GROUP: each replica reads every partition from the committed offset on its own, so
// the same message can be served by two replicas. Run one replica (docs/decisions.md).
//
// No thread waits: requests register as waiters; librdkafka signals through a pipe (kafka::QueueWakeup) when its
// queue goes from empty to non-empty, and the wakeup hands messages to waiters in FIFO order. A waiter whose client
// left is cancelled through its completion's cancellation slot before anything is handed to it. A mutex (not a
// strand) guards the state so that the "response written" acknowledgement is applied synchronously on the session's
// thread: nothing is lost if the io_context stops right after the last response of a graceful shutdown.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/steady_timer.hpp>

#include "consumer_metrics.hpp"
#include "kafka_feed.hpp"
#include "kok/kafka/completion.hpp"
#include "kok/kafka/config.hpp"
#include "kok/kafka/queue_wakeup.hpp"
#include "kok/kafka/result.hpp"
#include "prefetch_budget.hpp"
#include "topic_delivery.hpp"
#include "waiters.hpp"

namespace kok::consumer {

struct TopicConsumerOptions {
  std::string topic;
  kafka::ConfigMap kafka_config;  // kafka::consumer_config(...)
  std::chrono::milliseconds metadata_timeout{std::chrono::seconds{5}};
  std::size_t max_waiters = 10'000;  // requests waiting on one topic at once; more → 503
  // How long a named reader's delivery waits for its acknowledgement before it is handed out again.
  std::chrono::milliseconds ack_timeout{std::chrono::seconds{30}};
};

class TopicConsumer : public std::enable_shared_from_this<TopicConsumer> {
 public:
  using Batch = kafka::Result<std::vector<kafka::Message>>;
  using Clock = TopicDelivery::Clock;

  TopicConsumer(TopicConsumerOptions options, boost::asio::any_io_executor io, boost::asio::any_io_executor blocking,
                ConsumerMetrics& metrics);
  ~TopicConsumer();
  TopicConsumer(const TopicConsumer&) = delete;
  TopicConsumer& operator=(const TopicConsumer&) = delete;

  // Starts connecting on the blocking pool (metadata, assignment from the committed offsets). Waiters may queue
  // meanwhile; they are served once it is open.
  void open();

  // Up to `max` messages, as soon as at least one is available, or an empty batch after `wait` — or at once when the
  // token's cancellation slot is emitted (the client left: nothing is handed out for it). Completes with void(Batch)
  // on the caller's executor. Every message returned MUST be passed to written(), not_written() or hold() once.
  template <typename CompletionToken>
  auto async_take(std::size_t max, std::chrono::milliseconds wait, CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, void(Batch)>(
        [](auto handler, TopicConsumer* self, std::size_t n, std::chrono::milliseconds w) {
          const auto id = self->next_waiter_id_++;
          auto slot = boost::asio::get_associated_cancellation_slot(handler);
          if (slot.is_connected()) {
            // Runs on the requester's strand when its client leaves; a no-op once the take completed.
            slot.assign([weak = self->weak_from_this(), id](boost::asio::cancellation_type) {
              if (const auto me = weak.lock()) me->cancel_take(id);
            });
          }
          self->start_take(id, n, w, kafka::detail::make_completion<Batch>(std::move(handler)));
        },
        token, this, max, wait);
  }

  // The response carrying `messages` was written: commit them. Thread-safe; never blocks (as the next three).
  void written(const std::vector<kafka::Message>& messages);
  // It was not written: hand them out again, first.
  void not_written(const std::vector<kafka::Message>& messages);
  // It was written to the named `reader`: commit them once it acknowledges, hand them out again if it does not
  // within the ack timeout.
  void hold(const std::string& reader, std::vector<kafka::Message> messages);
  // The reader processed what it holds: commit it. Returns how many messages that was.
  std::size_t acknowledge(const std::string& reader);
  // Hands out again what waited longer than the ack timeout (called by the registry's sweeper).
  void expire_held();

  // Moves the group's position on the named partitions (a replay, TopicDelivery::move_to): what was fetched is
  // dropped and fetched again from there, and the positions are committed. Blocking (waits for the consumer to open
  // and for the commit's answer): call on the blocking pool. Defined in topic_consumer_move.cpp.
  std::error_code move_to(const std::vector<PartitionPosition>& positions);

  // True once every message below the last high watermark seen in a fetch has been handed out. Until then an empty
  // take means "not fetched yet" (cold start: group coordinator, committed offsets, first fetch), not "no message".
  [[nodiscard]] bool caught_up() const;
  // Per partition: one past the highest offset handed out (or the committed position if none yet).
  [[nodiscard]] std::map<std::int32_t, std::int64_t> next_untaken() const;
  [[nodiscard]] const std::string& topic() const noexcept { return options_.topic; }
  // Opening failed (e.g. the topic was deleted): drop this consumer and make a new one next time.
  [[nodiscard]] bool failed() const;
  // Nobody uses it, nothing in flight or held, untouched for `idle_for`.
  [[nodiscard]] bool idle(Clock::time_point now, std::chrono::milliseconds idle_for) const;
  [[nodiscard]] Clock::time_point last_used() const;
  // Requests currently holding it (see ConsumerRegistry leases).
  void add_user();
  void remove_user();
  // Recomputes the lag gauge from the last fetch's watermarks (cheap, no request).
  void update_lag();
  // What its prefetch holds now, for the registry's memory budget (cheap, no request).
  [[nodiscard]] TopicPrefetch prefetch() const;
  // Drops the prefetch and stops fetching until the next read finds nothing to hand out (the budget's lever: see
  // PrefetchBudget). Nothing is lost: fetching resumes one past the last message taken.
  void pause_prefetch();

  // Commits what was delivered and closes the Kafka consumer. Blocking: call on the blocking pool or at shutdown.
  void close();

 private:
  // How one waiting take completes: its completion and the timer of its wait.
  struct Pending {
    std::unique_ptr<kafka::detail::Completion<Batch>> completion;
    std::unique_ptr<boost::asio::steady_timer> timer;
  };
  enum class State { opening, open, failed, closed };

  void start_take(std::uint64_t id, std::size_t max, std::chrono::milliseconds wait,
                  std::unique_ptr<kafka::detail::Completion<Batch>> completion);
  void cancel_take(std::uint64_t id);
  void open_blocking();
  void on_wakeup(const boost::system::error_code& ec);
  // All *_locked functions require mutex_.
  std::vector<kafka::Message> take_locked(std::size_t max);
  // After every change of the delivery state: hand out what may be handed out, send the commit that is due.
  void settle_locked();
  void serve_waiters_locked();
  // The one place a commit is sent.
  void send_due_commit_locked();
  void collect_commit_answers_locked();
  void arm_wakeup_locked();
  void fail_locked(const std::error_code& ec, const std::string& reason);

  TopicConsumerOptions options_;
  boost::asio::any_io_executor io_;
  boost::asio::any_io_executor blocking_;
  ConsumerMetrics& metrics_;
  http::metrics::Counter& delivered_;
  http::metrics::Counter& redelivered_;
  http::metrics::Gauge& lag_;
  std::atomic<std::uint64_t> next_waiter_id_{0};

  mutable std::mutex mutex_;
  State state_ = State::opening;
  std::condition_variable opened_;  // for move_to(), which may come before the consumer is open
  std::error_code error_;
  std::string error_reason_;
  TopicDelivery delivery_;
  std::unique_ptr<KafkaFeed> feed_;  // once open
  kafka::QueueWakeup wakeup_;
  bool wakeup_armed_ = false;
  Clock::time_point commit_sent_at_{};
  Waiters<Pending> waiters_;
  int users_ = 0;
  Clock::time_point last_used_ = Clock::now();
  // Key and value bytes of every message taken, for the average size the budget's estimate needs.
  std::uint64_t taken_messages_ = 0;
  std::uint64_t taken_bytes_ = 0;
};

}  // namespace kok::consumer
