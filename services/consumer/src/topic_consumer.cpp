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
    state_ = State::failed;
    error_ = opened.error;
    error_reason_ = opened.reason;
    fail_waiters_locked(error_, error_reason_);
    return;
  }
  for (const auto& p : opened.value.committed) {
    partitions_.push_back(p.partition);
    if (p.offset >= 0) queue_.start_at(p.partition, p.offset);
  }
  consumer_ = std::move(opened.value.consumer);
  consumer_->enable_queue_wakeup(wakeup_.notify_fd());
  state_ = State::open;
  spdlog::info("consumer for topic '{}' open: {} partition(s)", options_.topic, partitions_.size());
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
      }
      break;
    case State::opening:
      break;
  }
  if (wait <= std::chrono::milliseconds::zero()) {
    completion->complete(Batch::success({}));
    return;
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
  if (state_ == State::open) arm_wakeup_locked();
}

void TopicConsumer::cancel_take(std::uint64_t id) {
  std::lock_guard lock{mutex_};
  if (auto waiter = waiters_.remove(id)) {
    waiter->pending.timer->cancel();
    waiter->pending.completion->complete(Batch::success({}));
  }
}

std::vector<kafka::Message> TopicConsumer::take_locked(std::size_t max) {
  std::error_code fatal;
  std::string fatal_reason;
  auto batch = queue_.take(max, [this, &fatal, &fatal_reason]() -> std::optional<kafka::Message> {
    if (stash_) return std::exchange(stash_, std::nullopt);
    for (;;) {
      auto polled = consumer_->poll();
      if (polled) return std::move(polled.value);
      if (kafka::is_unknown_topic(polled.error)) {  // deleted under us
        fatal = polled.error;
        fatal_reason = polled.reason;
        return std::nullopt;
      }
      // Other consumer errors are informational (librdkafka recovers by itself): log and keep reading.
      spdlog::warn("topic '{}': consumer error: {} ({})", options_.topic, polled.error.message(), polled.reason);
    }
  });
  if (fatal && batch.empty()) {
    state_ = State::failed;
    error_ = fatal;
    error_reason_ = fatal_reason;
  }
  for (const auto& m : batch) taken_bytes_ += m.value.size() + (m.key ? m.key->size() : 0);
  taken_messages_ += batch.size();
  if (batch.empty()) resume_prefetch_locked();  // someone wants messages: fetch them again
  return batch;
}

void TopicConsumer::resume_prefetch_locked() {
  if (!paused_ || state_ != State::open) return;
  if (auto ec = consumer_->resume(options_.topic, partitions_)) {
    spdlog::warn("topic '{}': resuming the fetch failed: {}", options_.topic, ec.message());
    return;
  }
  paused_ = false;
  consumer_->wake_fetchers(options_.topic, partitions_);  // else the fetch starts up to a second later
  spdlog::debug("topic '{}': fetching again", options_.topic);
}

void TopicConsumer::pause_prefetch() {
  std::lock_guard lock{mutex_};
  if (paused_ || state_ != State::open || !waiters_.empty()) return;
  if (auto ec = consumer_->pause(options_.topic, partitions_)) {
    spdlog::warn("topic '{}': pausing the fetch failed: {}", options_.topic, ec.message());
    return;
  }
  paused_ = true;
  // The pause makes every queued message outdated, but librdkafka 2.0 frees them only as far as they lead the queue;
  // a poll discards outdated messages, so polling now frees them all at once instead of at the next read. A poll
  // that still returns a message (fetched after the pause: none is expected) keeps it for the next take.
  for (std::size_t i = 0, n = consumer_->queued_messages(); i < n && !stash_; ++i) {
    auto polled = consumer_->poll();
    if (polled && !polled.value) break;
    if (polled) {
      stash_ = std::move(polled.value);
    } else if (kafka::is_unknown_topic(polled.error)) {  // deleted under us: as take_locked() would
      state_ = State::failed;
      error_ = polled.error;
      error_reason_ = polled.reason;
      break;
    }
  }
  spdlog::debug("topic '{}': prefetch dropped for the memory budget", options_.topic);
}

TopicPrefetch TopicConsumer::prefetch() const {
  std::lock_guard lock{mutex_};
  TopicPrefetch out;
  out.topic = options_.topic;
  out.paused = paused_;
  out.wanted = !waiters_.empty();
  out.last_used = last_used_;
  if (consumer_ && state_ == State::open) out.queued_messages = consumer_->queued_messages();
  if (taken_messages_ > 0) out.average_bytes = taken_bytes_ / taken_messages_;
  return out;
}

void TopicConsumer::serve_waiters_locked() {
  while (!waiters_.empty() && state_ == State::open) {
    auto batch = take_locked(waiters_.front().max);
    if (batch.empty()) break;
    auto waiter = waiters_.pop_front();
    waiter.pending.timer->cancel();
    waiter.pending.completion->complete(Batch::success(std::move(batch)));
  }
  if (state_ == State::failed) {
    fail_waiters_locked(error_, error_reason_);
  } else if (!waiters_.empty()) {
    arm_wakeup_locked();
  }
}

void TopicConsumer::arm_wakeup_locked() {
  if (wakeup_armed_ || state_ != State::open) return;
  if (waiters_.empty() && !commits_.in_flight()) return;  // nothing to wake up for
  wakeup_armed_ = true;
  wakeup_.async_wait(
      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) { self->on_wakeup(ec); });
}

void TopicConsumer::on_wakeup(const boost::system::error_code& ec) {
  std::lock_guard lock{mutex_};
  wakeup_armed_ = false;
  if (ec || state_ != State::open) return;
  wakeup_.drain();
  collect_commit_results_locked();
  serve_waiters_locked();
  arm_wakeup_locked();
}

void TopicConsumer::collect_commit_results_locked() {
  while (auto result = consumer_->poll_commit_result()) {
    spdlog::debug("topic '{}': commit answered in {} us", options_.topic,
                  std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - commit_sent_at_).count());
    if (*result) {
      spdlog::warn("topic '{}': commit failed: {}; will send the position again", options_.topic, result->message());
    }
    commits_.answered(queue_, !*result);
  }
  commit_locked();
}

void TopicConsumer::fail_waiters_locked(const std::error_code& ec, const std::string& reason) {
  for (auto& w : waiters_.take_all()) {
    w.pending.timer->cancel();
    w.pending.completion->complete(Batch::failure(ec, reason));
  }
}

void TopicConsumer::settle_locked(const std::vector<kafka::Message>& messages, bool done) {
  if (messages.empty()) return;
  queue_.finish(messages, done);
  const auto count = static_cast<double>(messages.size());
  if (done) {
    delivered_.inc(count);
  } else {
    redelivered_.inc(count);
    serve_waiters_locked();  // someone may be waiting for exactly these
  }
  commit_locked();
}

void TopicConsumer::finish(const std::vector<kafka::Message>& messages, bool written) {
  std::lock_guard lock{mutex_};
  settle_locked(messages, written);
}

void TopicConsumer::hold(const std::string& reader, std::vector<kafka::Message> messages) {
  std::lock_guard lock{mutex_};
  if (state_ == State::closed) return;  // not committed: served again by the next run
  held_.hold(reader, std::move(messages), Clock::now() + options_.ack_timeout);
}

std::size_t TopicConsumer::acknowledge(const std::string& reader) {
  std::lock_guard lock{mutex_};
  const auto done = held_.acknowledge(reader);
  settle_locked(done, true);
  return done.size();
}

void TopicConsumer::expire_held(Clock::time_point now) {
  std::lock_guard lock{mutex_};
  const auto expired = held_.expire(now);
  if (!expired.empty()) {
    spdlog::info("topic '{}': {} message(s) not acknowledged in time: handing them out again", options_.topic,
                 expired.size());
  }
  settle_locked(expired, false);
}

void TopicConsumer::commit_locked() {
  if (!consumer_) return;
  auto positions = commits_.next(queue_);
  if (!positions) return;
  std::vector<kafka::TopicPartitionOffset> offsets;
  offsets.reserve(positions->size());
  for (const auto& p : *positions) offsets.push_back({options_.topic, p.partition, p.offset});
  // Asynchronous: the broker round trip must not hold the lock or a thread; the wakeup reports the result.
  if (auto ec = consumer_->commit(offsets, kafka::Consumer::CommitMode::async)) {
    spdlog::warn("topic '{}': commit failed: {}", options_.topic, ec.message());
    commits_.failed_to_send(queue_);
    return;
  }
  commit_sent_at_ = Clock::now();
  arm_wakeup_locked();
}

std::map<std::int32_t, std::int64_t> TopicConsumer::next_untaken() const {
  std::lock_guard lock{mutex_};
  std::map<std::int32_t, std::int64_t> out;
  for (const auto p : partitions_) out[p] = queue_.tracker().next_untaken(p);
  return out;
}

bool TopicConsumer::caught_up() const {
  std::lock_guard lock{mutex_};
  if (state_ != State::open || !consumer_ || queue_.waiting_redelivery() > 0) return false;
  for (const auto p : partitions_) {
    const auto marks = consumer_->cached_watermarks(options_.topic, p);
    if (!marks) return false;  // no fetch answered yet
    // Nothing committed or taken yet, or retention removed what was: reading starts at the low watermark.
    const auto next = std::max(queue_.tracker().next_untaken(p), marks->low);
    if (next < marks->high) return false;
  }
  return true;
}

bool TopicConsumer::failed() const {
  std::lock_guard lock{mutex_};
  return state_ == State::failed;
}

bool TopicConsumer::idle(Clock::time_point now, std::chrono::milliseconds idle_for) const {
  std::lock_guard lock{mutex_};
  return users_ == 0 && waiters_.empty() && queue_.tracker().outstanding() == 0 && now - last_used_ >= idle_for;
}

TopicConsumer::Clock::time_point TopicConsumer::last_used() const {
  std::lock_guard lock{mutex_};
  return last_used_;
}

void TopicConsumer::add_user() {
  std::lock_guard lock{mutex_};
  ++users_;
  last_used_ = Clock::now();
}

void TopicConsumer::remove_user() {
  std::lock_guard lock{mutex_};
  --users_;
  last_used_ = Clock::now();
}

void TopicConsumer::update_lag() {
  std::lock_guard lock{mutex_};
  if (!consumer_) return;
  double lag = 0;
  for (const auto p : partitions_) {
    const auto marks = consumer_->cached_watermarks(options_.topic, p);
    if (!marks) continue;
    const auto committed = queue_.tracker().committed(p);
    const auto from = committed >= 0 ? committed : marks->low;
    if (marks->high > from) lag += static_cast<double>(marks->high - from);
  }
  lag_.set(lag);
}

void TopicConsumer::close() {
  std::unique_ptr<kafka::Consumer> consumer;
  std::vector<kafka::TopicPartitionOffset> offsets;
  {
    std::lock_guard lock{mutex_};
    if (state_ == State::closed) return;
    state_ = State::closed;
    for (auto& w : waiters_.take_all()) {
      w.pending.timer->cancel();
      w.pending.completion->complete(Batch::success({}));
    }
    wakeup_.cancel();
    // Unacknowledged deliveries stay uncommitted: the commit position holds below them, so they are served again.
    (void)held_.release_all();
    for (const auto& p : queue_.take_commits()) offsets.push_back({options_.topic, p.partition, p.offset});
    consumer = std::move(consumer_);
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
