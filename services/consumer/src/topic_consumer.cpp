#include "topic_consumer.hpp"

#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <utility>

#include <boost/asio/post.hpp>

#include "kok/kafka/error.hpp"
#include "topic_opener.hpp"

namespace kok::consumer {

TopicConsumer::TopicConsumer(TopicConsumerOptions options, boost::asio::any_io_executor io,
                             boost::asio::any_io_executor blocking, ConsumerMetrics& metrics)
    : options_(std::move(options)),
      io_(io),
      blocking_(std::move(blocking)),
      metrics_(metrics),
      delivered_(metrics.delivered.labels({options_.topic})),
      redelivered_(metrics.redelivered.labels({options_.topic})),
      lag_(metrics.lag.labels({options_.topic})),
      delivery_(options_.ack_timeout),
      wakeup_(io) {
  metrics_.open_topics.inc();
}

TopicConsumer::~TopicConsumer() {
  close();
  metrics_.open_topics.dec();
}

void TopicConsumer::open() {
  boost::asio::post(blocking_, [self = shared_from_this()] { self->open_blocking(); });
}

void TopicConsumer::open_blocking() {
  auto opened = open_topic(options_.kafka_config, options_.topic, options_.metadata_timeout);
  std::lock_guard lock{mutex_};
  if (state_ != State::opening) return;  // closed meanwhile; the consumer closes itself
  if (!opened) {
    spdlog::warn("consumer for topic '{}' could not open: {} ({})", options_.topic, opened.error.message(),
                 opened.reason);
    fail_locked(opened.error, opened.reason);
    opened_.notify_all();
    return;
  }
  std::vector<std::int32_t> partitions;
  for (const auto& p : opened.value.committed) {
    partitions.push_back(p.partition);
    if (p.offset >= 0) delivery_.start_at(p.partition, p.offset);
  }
  feed_ = std::make_unique<KafkaFeed>(options_.topic, std::move(opened.value.consumer), std::move(partitions));
  feed_->consumer().enable_queue_wakeup(wakeup_.notify_fd());
  state_ = State::open;
  spdlog::info("consumer for topic '{}' open: {} partition(s)", options_.topic, feed_->partitions().size());
  opened_.notify_all();
  serve_waiters_locked();
}

void TopicConsumer::start_take(std::uint64_t id, std::size_t max, std::chrono::milliseconds wait,
                               std::unique_ptr<kafka::detail::Completion<Batch>> completion) {
  std::lock_guard lock{mutex_};
  last_used_ = Clock::now();
  switch (state_) {
    case State::failed:
      completion->complete(Batch::failure(error_, error_reason_));
      return;
    case State::closed:
      completion->complete(Batch::failure(kafka::make_kafka_error(RD_KAFKA_RESP_ERR__DESTROY)));
      return;
    case State::open:
      if (waiters_.empty()) {  // FIFO: never overtake earlier waiters
        auto batch = take_locked(max);
        if (!batch.empty()) {
          completion->complete(Batch::success(std::move(batch)));
          return;
        }
        if (state_ == State::failed) {  // the topic is gone: take_locked() failed the consumer
          completion->complete(Batch::failure(error_, error_reason_));
          return;
        }
      }
      break;
    case State::opening:
      break;
  }
  // Bounded: a client cannot make us hold unbounded state.
  if (waiters_.size() >= options_.max_waiters) {
    completion->complete(Batch::failure(kafka::make_kafka_error(RD_KAFKA_RESP_ERR__QUEUE_FULL),
                                        "too many requests waiting on this topic"));
    return;
  }
  Pending pending{std::move(completion), std::make_unique<boost::asio::steady_timer>(io_)};
  auto* timer = pending.timer.get();
  waiters_.add(id, max, std::move(pending));
  timer->expires_after(wait);
  timer->async_wait([weak = weak_from_this(), id](const boost::system::error_code& ec) {
    if (ec) return;
    if (const auto self = weak.lock()) self->cancel_take(id);
  });
  arm_wakeup_locked();
}

void TopicConsumer::cancel_take(std::uint64_t id) {
  std::lock_guard lock{mutex_};
  if (auto waiter = waiters_.remove(id)) {
    waiter->pending.timer->cancel();
    waiter->pending.completion->complete(Batch::success({}));
  }
}

std::vector<kafka::Message> TopicConsumer::take_locked(std::size_t max) {
  auto batch = delivery_.take(max, [this] { return feed_->next(); });
  if (batch.empty() && feed_->fatal()) fail_locked(feed_->fatal_error(), feed_->fatal_reason());
  for (const auto& m : batch) taken_bytes_ += m.value.size() + (m.key ? m.key->size() : 0);
  taken_messages_ += batch.size();
  if (batch.empty() && state_ == State::open && feed_->paused()) {  // someone wants messages: fetch them again
    feed_->resume();
    spdlog::debug("topic '{}': fetching again", options_.topic);
  }
  return batch;
}

void TopicConsumer::pause_prefetch() {
  std::lock_guard lock{mutex_};
  if (state_ != State::open || feed_->paused() || !waiters_.empty()) return;
  feed_->pause();
  if (feed_->fatal()) fail_locked(feed_->fatal_error(), feed_->fatal_reason());
  spdlog::debug("topic '{}': prefetch dropped for the memory budget", options_.topic);
}

void TopicConsumer::serve_waiters_locked() {
  while (!waiters_.empty() && state_ == State::open) {
    auto batch = take_locked(waiters_.front().max);
    if (batch.empty()) break;
    auto waiter = waiters_.pop_front();
    waiter.pending.timer->cancel();
    waiter.pending.completion->complete(Batch::success(std::move(batch)));
  }
  arm_wakeup_locked();
}

void TopicConsumer::arm_wakeup_locked() {
  if (wakeup_armed_ || state_ != State::open) return;
  if (waiters_.empty() && !delivery_.commit_in_flight()) return;  // nothing to wake up for
  wakeup_armed_ = true;
  wakeup_.async_wait(
      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) { self->on_wakeup(ec); });
}

void TopicConsumer::on_wakeup(const boost::system::error_code& ec) {
  std::lock_guard lock{mutex_};
  wakeup_armed_ = false;
  if (ec || state_ != State::open) return;
  wakeup_.drain();
  collect_commit_answers_locked();
  settle_locked();
}

void TopicConsumer::collect_commit_answers_locked() {
  while (auto result = feed_->consumer().poll_commit_result()) {
    spdlog::debug("topic '{}': commit answered in {} us", options_.topic,
                  std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - commit_sent_at_).count());
    if (*result) {
      spdlog::warn("topic '{}': commit failed: {}; will send the position again", options_.topic, result->message());
      delivery_.commit_failed();
    } else {
      delivery_.commit_succeeded();
    }
  }
}

void TopicConsumer::fail_locked(const std::error_code& ec, const std::string& reason) {
  state_ = State::failed;
  error_ = ec;
  error_reason_ = reason;
  for (auto& w : waiters_.take_all()) {
    w.pending.timer->cancel();
    w.pending.completion->complete(Batch::failure(ec, reason));
  }
}

void TopicConsumer::settle_locked() {
  serve_waiters_locked();  // someone may be waiting for exactly what was handed back
  send_due_commit_locked();
}

void TopicConsumer::send_due_commit_locked() {
  if (state_ != State::open) return;
  auto positions = delivery_.commit_due();
  if (!positions) return;
  std::vector<kafka::TopicPartitionOffset> offsets;
  offsets.reserve(positions->size());
  for (const auto& p : *positions) offsets.push_back({options_.topic, p.partition, p.offset});
  // Asynchronous: the broker round trip must not hold the lock or a thread; the wakeup reports the answer.
  if (auto ec = feed_->consumer().commit(offsets, kafka::Consumer::CommitMode::async)) {
    spdlog::warn("topic '{}': commit failed: {}", options_.topic, ec.message());
    delivery_.commit_failed();
    return;
  }
  commit_sent_at_ = Clock::now();
  arm_wakeup_locked();
}

void TopicConsumer::written(const std::vector<kafka::Message>& messages) {
  if (messages.empty()) return;
  std::lock_guard lock{mutex_};
  delivery_.written(messages);
  delivered_.inc(static_cast<double>(messages.size()));
  settle_locked();
}

void TopicConsumer::not_written(const std::vector<kafka::Message>& messages) {
  if (messages.empty()) return;
  std::lock_guard lock{mutex_};
  delivery_.not_written(messages);
  redelivered_.inc(static_cast<double>(messages.size()));
  settle_locked();
}

void TopicConsumer::hold(const std::string& reader, std::vector<kafka::Message> messages) {
  std::lock_guard lock{mutex_};
  if (state_ == State::closed) return;  // not committed: served again by the next run
  delivery_.hold(reader, std::move(messages));
}

std::size_t TopicConsumer::acknowledge(const std::string& reader) {
  std::lock_guard lock{mutex_};
  const auto count = delivery_.acknowledge(reader);
  if (count == 0) return 0;
  delivered_.inc(static_cast<double>(count));
  settle_locked();
  return count;
}

void TopicConsumer::expire_held() {
  std::lock_guard lock{mutex_};
  const auto count = delivery_.expire();
  if (count == 0) return;
  spdlog::info("topic '{}': {} message(s) not acknowledged in time: handing them out again", options_.topic, count);
  redelivered_.inc(static_cast<double>(count));
  settle_locked();
}

void TopicConsumer::close() {
  std::unique_ptr<kafka::Consumer> consumer;
  std::vector<kafka::TopicPartitionOffset> offsets;
  {
    std::lock_guard lock{mutex_};
    if (state_ == State::closed) return;
    state_ = State::closed;
    opened_.notify_all();
    for (auto& w : waiters_.take_all()) {
      w.pending.timer->cancel();
      w.pending.completion->complete(Batch::success({}));
    }
    wakeup_.cancel();
    for (const auto& p : delivery_.close()) offsets.push_back({options_.topic, p.partition, p.offset});
    if (feed_) consumer = feed_->release();
  }
  if (!consumer) return;
  if (!offsets.empty()) {
    if (auto ec = consumer->commit(offsets, kafka::Consumer::CommitMode::sync)) {
      spdlog::warn("topic '{}': final commit failed: {}", options_.topic, ec.message());
    }
  }
  consumer->close();
  spdlog::info("consumer for topic '{}' closed", options_.topic);
}

}  // namespace kok::consumer
