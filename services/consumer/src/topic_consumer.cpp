#include "topic_consumer.hpp"

#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include <boost/asio/post.hpp>

#include "kok/kafka/error.hpp"

namespace kok::consumer {
namespace {
// How long opening keeps retrying retriable errors (group coordinator not ready yet) before it reports failure.
constexpr std::chrono::seconds kOpenRetryFor{15};
}  // namespace

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
  const auto& topic = options_.topic;
  std::unique_ptr<kafka::Consumer> consumer;
  std::vector<kafka::TopicPartitionOffset> committed;
  std::error_code ec;
  std::string reason;
  try {
    consumer = std::make_unique<kafka::Consumer>(options_.kafka_config);
    auto partitions = consumer->partitions(topic, options_.metadata_timeout);
    if (!partitions) {
      ec = partitions.error;
      reason = partitions.reason;
    } else {
      // Where each partition resumes; also the starting point of commit tracking and of the lag gauge.
      // A fresh cluster creates __consumer_offsets on the first group request and answers "not coordinator" or
      // "coordinator loading" meanwhile: retriable, so wait it out (this runs on the blocking pool) instead of failing
      // the first reads of every topic.
      const auto give_up = Clock::now() + kOpenRetryFor;
      auto positions = consumer->committed(topic, partitions.value, options_.metadata_timeout);
      while (!positions && kafka::is_retriable(positions.error) && Clock::now() < give_up) {
        spdlog::debug("consumer for topic '{}': committed offsets not available yet ({}), retrying", topic,
                      positions.reason);
        std::this_thread::sleep_for(std::chrono::milliseconds{200});
        positions = consumer->committed(topic, partitions.value, options_.metadata_timeout);
      }
      if (!positions) {
        ec = positions.error;
        reason = positions.reason;
      } else if (auto assign_error = consumer->assign(topic, partitions.value)) {
        ec = assign_error;
        reason = "assign failed";
      } else {
        committed = std::move(positions.value);
      }
    }
  } catch (const std::exception& e) {
    ec = kafka::make_kafka_error(RD_KAFKA_RESP_ERR__FAIL);
    reason = e.what();
  }

  std::lock_guard lock{mutex_};
  if (state_ != State::opening) return;  // closed meanwhile; `consumer` closes itself
  if (ec) {
    spdlog::warn("consumer for topic '{}' could not open: {} ({})", topic, ec.message(), reason);
    state_ = State::failed;
    error_ = ec;
    error_reason_ = reason;
    fail_waiters_locked(ec, reason);
    return;
  }
  for (const auto& p : committed) {
    partitions_.push_back(p.partition);
    if (p.offset >= 0) queue_.start_at(p.partition, p.offset);
  }
  consumer_ = std::move(consumer);
  consumer_->enable_queue_wakeup(wakeup_.notify_fd());
  state_ = State::open;
  spdlog::info("consumer for topic '{}' open: {} partition(s)", topic, partitions_.size());
  serve_waiters_locked();
}

void TopicConsumer::start_take(std::size_t max, std::chrono::milliseconds wait,
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
  if (waiters_.size() >= options_.max_waiters) {
    completion->complete(Batch::failure(kafka::make_kafka_error(RD_KAFKA_RESP_ERR__QUEUE_FULL),
                                        "too many requests waiting on this topic"));
    return;
  }
  const auto id = next_waiter_id_++;
  auto& waiter = waiters_.emplace_back(Waiter{id, max, std::move(completion), boost::asio::steady_timer{io_}});
  waiter.timer.expires_after(wait);
  waiter.timer.async_wait([self = shared_from_this(), id](const boost::system::error_code& ec) {
    if (!ec) self->expire(id);
  });
  if (state_ == State::open) arm_wakeup_locked();
}

void TopicConsumer::expire(std::uint64_t waiter_id) {
  std::lock_guard lock{mutex_};
  for (auto it = waiters_.begin(); it != waiters_.end(); ++it) {
    if (it->id == waiter_id) {
      it->completion->complete(Batch::success({}));
      waiters_.erase(it);
      return;
    }
  }
}

std::vector<kafka::Message> TopicConsumer::take_locked(std::size_t max) {
  std::error_code fatal;
  std::string fatal_reason;
  auto batch = queue_.take(max, [this, &fatal, &fatal_reason]() -> std::optional<kafka::Message> {
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
  return batch;
}

void TopicConsumer::serve_waiters_locked() {
  while (!waiters_.empty() && state_ == State::open) {
    auto& front = waiters_.front();
    auto batch = take_locked(front.max);
    if (batch.empty()) break;
    front.timer.cancel();
    front.completion->complete(Batch::success(std::move(batch)));
    waiters_.pop_front();
  }
  if (state_ == State::failed) {
    fail_waiters_locked(error_, error_reason_);
  } else if (!waiters_.empty()) {
    arm_wakeup_locked();
  }
}

void TopicConsumer::arm_wakeup_locked() {
  if (wakeup_armed_ || state_ != State::open) return;
  if (waiters_.empty() && !commit_in_flight_) return;  // nothing to wake up for
  wakeup_armed_ = true;
  wakeup_.async_wait(
      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) { self->on_wakeup(ec); });
}

void TopicConsumer::on_wakeup(const boost::system::error_code& ec) {
  std::lock_guard lock{mutex_};
  wakeup_armed_ = false;
  if (ec || state_ != State::open) return;
  wakeup_.drain();
  spdlog::trace("topic '{}': wakeup (commit in flight: {}, waiters: {})", options_.topic, commit_in_flight_,
                waiters_.size());
  collect_commit_results_locked();
  serve_waiters_locked();
  arm_wakeup_locked();
}

void TopicConsumer::collect_commit_results_locked() {
  while (auto result = consumer_->poll_commit_result()) {
    commit_in_flight_ = false;
    spdlog::debug("topic '{}': commit answered in {} us", options_.topic,
                  std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - commit_sent_at_).count());
    if (*result) {
      spdlog::warn("topic '{}': commit failed: {}; will send the position again", options_.topic, result->message());
      queue_.recommit();
    }
  }
  commit_locked();
}

void TopicConsumer::fail_waiters_locked(const std::error_code& ec, const std::string& reason) {
  for (auto& w : waiters_) {
    w.timer.cancel();
    w.completion->complete(Batch::failure(ec, reason));
  }
  waiters_.clear();
}

void TopicConsumer::finish(const std::vector<kafka::Message>& messages, bool written) {
  if (messages.empty()) return;
  std::lock_guard lock{mutex_};
  queue_.finish(messages, written);
  const auto count = static_cast<double>(messages.size());
  if (written) {
    delivered_.inc(count);
  } else {
    redelivered_.inc(count);
    serve_waiters_locked();  // someone may be waiting for exactly these
  }
  commit_locked();
}

void TopicConsumer::commit_locked() {
  if (!consumer_ || commit_in_flight_) return;
  auto positions = queue_.take_commits();
  if (positions.empty()) return;
  std::vector<kafka::TopicPartitionOffset> offsets;
  offsets.reserve(positions.size());
  for (const auto& p : positions) offsets.push_back({options_.topic, p.partition, p.offset});
  // Asynchronous: the broker round trip must not hold the lock or a thread; the wakeup reports the result.
  if (auto ec = consumer_->commit(offsets, kafka::Consumer::CommitMode::async)) {
    spdlog::warn("topic '{}': commit failed: {}", options_.topic, ec.message());
    queue_.recommit();
    return;
  }
  commit_in_flight_ = true;
  commit_sent_at_ = Clock::now();
  spdlog::trace("topic '{}': commit sent ({} partition(s), first at {})", options_.topic, offsets.size(),
                offsets.front().offset);
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
    for (auto& w : waiters_) {
      w.timer.cancel();
      w.completion->complete(Batch::success({}));
    }
    waiters_.clear();
    wakeup_.cancel();
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
