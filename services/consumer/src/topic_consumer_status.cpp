// What the registry and the handlers ask a TopicConsumer, and its user count: cheap, no request, no change to the
// delivery state. Apart from topic_consumer.cpp, which is the hand-out and its I/O.
#include <algorithm>

#include "topic_consumer.hpp"

namespace kok::consumer {

TopicPrefetch TopicConsumer::prefetch() const {
  std::lock_guard lock{mutex_};
  TopicPrefetch out;
  out.topic = options_.topic;
  out.paused = feed_ && feed_->paused();
  out.wanted = !waiters_.empty();
  out.last_used = last_used_;
  if (feed_ && state_ == State::open) out.queued_messages = feed_->consumer().queued_messages();
  if (taken_messages_ > 0) out.average_bytes = taken_bytes_ / taken_messages_;
  return out;
}

std::map<std::int32_t, std::int64_t> TopicConsumer::next_untaken() const {
  std::lock_guard lock{mutex_};
  std::map<std::int32_t, std::int64_t> out;
  if (!feed_) return out;
  for (const auto p : feed_->partitions()) out[p] = delivery_.next_untaken(p);
  return out;
}

bool TopicConsumer::caught_up() const {
  std::lock_guard lock{mutex_};
  if (state_ != State::open || delivery_.waiting_redelivery() > 0) return false;
  for (const auto p : feed_->partitions()) {
    const auto marks = feed_->consumer().cached_watermarks(options_.topic, p);
    if (!marks) return false;  // no fetch answered yet
    // Nothing committed or taken yet, or retention removed what was: reading starts at the low watermark.
    const auto next = std::max(delivery_.next_untaken(p), marks->low);
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
  return users_ == 0 && waiters_.empty() && delivery_.outstanding() == 0 && now - last_used_ >= idle_for;
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
  if (!feed_) return;
  double lag = 0;
  for (const auto p : feed_->partitions()) {
    const auto marks = feed_->consumer().cached_watermarks(options_.topic, p);
    if (!marks) continue;
    const auto committed = delivery_.committed(p);
    const auto from = committed >= 0 ? committed : marks->low;
    if (marks->high > from) lag += static_cast<double>(marks->high - from);
  }
  lag_.set(lag);
}

}  // namespace kok::consumer
