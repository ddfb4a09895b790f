#include "consumer_registry.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "free_memory.hpp"
#include "kok/http/error.hpp"
#include "kok/service/kafka_errors.hpp"
#include "fixed_budgets.hpp"

namespace kok::consumer {

Lease::Lease(std::shared_ptr<TopicConsumer> consumer) : consumer_(std::move(consumer)) {
  if (consumer_) consumer_->add_user();
}

Lease& Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    if (consumer_) consumer_->remove_user();
    consumer_ = std::move(other.consumer_);
  }
  return *this;
}

Lease::~Lease() {
  if (consumer_) consumer_->remove_user();
}

ConsumerRegistry::ConsumerRegistry(RegistryOptions options, boost::asio::any_io_executor io, kafka::Admin& admin,
                                   ConsumerMetrics& metrics)
    : options_(std::move(options)),
      io_(std::move(io)),
      admin_(admin),
      metrics_(metrics),
      blocking_(std::max<std::size_t>(1, options_.blocking_threads)),
      budget_(options_.prefetch) {}

ConsumerRegistry::~ConsumerRegistry() { close_all(); }

boost::asio::awaitable<Lease> ConsumerRegistry::acquire(std::string topic) {
  // A topic being read waits for no metadata request: once the Admin's cached answer is old, it is asked again in the
  // background and this read goes on. Waiting would put a metadata request on reads every few seconds, and a hung
  // broker holds one for the whole KAFKA_REQUEST_TIMEOUT (reads of 5 s in the chaos test while a broker was paused).
  // A "no" (the topic was deleted) falls through to the check below, which answers 404; the deleted topic's consumer
  // is closed by the idle sweep, or reads the topic again from its beginning if it is re-created (Kafka resets it).
  {
    std::lock_guard lock{mutex_};
    if (const auto it = consumers_.find(topic); !closed_ && it != consumers_.end() && !it->second->failed()) {
      const auto cached = admin_.cached_topic_exists(topic);
      if (!cached) refresh_existence(topic);
      if (cached.value_or(!found_gone(topic))) co_return Lease{it->second};
    }
  }
  // Opening: served from the Admin's metadata cache when fresh; a miss costs one metadata request off the io threads.
  const auto exists = co_await admin_.async_topic_exists(topic, boost::asio::use_awaitable);
  service::throw_if_kafka_error(exists);
  // The Admin confirms a "no" with a topic-specific request: a topic created a moment ago is not refused.
  if (!exists.value) throw http::not_found("topic does not exist");
  co_return lease_for(topic);
}

void ConsumerRegistry::refresh_existence(const std::string& topic) {
  {
    std::lock_guard lock{refreshing_->mutex};
    if (!refreshing_->topics.insert(topic).second) return;
  }
  admin_.async_topic_exists(topic, [refreshing = refreshing_, topic](const kafka::Result<bool>& exists) {
    std::lock_guard lock{refreshing->mutex};
    refreshing->topics.erase(topic);
    // The Admin keeps a "no" for a moment only (missing_ttl), shorter than a read of a deleted topic lasts.
    if (exists.ok() && !exists.value) refreshing->gone.insert(topic);
  });
}

bool ConsumerRegistry::found_gone(const std::string& topic) {
  std::lock_guard lock{refreshing_->mutex};
  return refreshing_->gone.erase(topic) > 0;
}

Lease ConsumerRegistry::lease_for(const std::string& topic) {
  std::lock_guard lock{mutex_};
  if (closed_) throw http::unavailable("service shutting down");
  if (auto it = consumers_.find(topic); it != consumers_.end()) {
    if (!it->second->failed()) return Lease{it->second};
    close_later(std::move(it->second));  // e.g. deleted and re-created: start over
    consumers_.erase(it);
  }
  if (consumers_.size() >= options_.max_topics) {
    // Make room: the idle consumer unused for longest.
    const auto now = TopicConsumer::Clock::now();
    std::shared_ptr<TopicConsumer> victim;
    for (const auto& [name, consumer] : consumers_) {
      if (!consumer->idle(now, std::chrono::milliseconds::zero())) continue;
      if (!victim || consumer->last_used() < victim->last_used()) victim = consumer;
    }
    if (!victim) {
      throw http::unavailable("too many topics are being read at once (limit " + std::to_string(options_.max_topics) +
                              "); retry later");
    }
    spdlog::info("closing the consumer of topic '{}' to make room for '{}'", victim->topic(), topic);
    metrics_.evicted.inc();
    consumers_.erase(victim->topic());
    close_later(std::move(victim));
  }
  TopicConsumerOptions topic_options;
  topic_options.topic = topic;
  topic_options.kafka_config = options_.consumer_config;
  // Its share of the budget with every topic open now; topics opened earlier with a larger share are held to the
  // budget by enforce_budget().
  const auto limits = budget_.limits(consumers_.size() + 1);
  topic_options.kafka_config.insert_or_assign("queued.min.messages", std::to_string(limits.messages));
  topic_options.kafka_config.insert_or_assign("queued.max.messages.kbytes", std::to_string(limits.kbytes));
  topic_options.metadata_timeout = options_.metadata_timeout;
  topic_options.ack_timeout = options_.ack_timeout;
  auto consumer = std::make_shared<TopicConsumer>(std::move(topic_options), io_, blocking_.get_executor(), metrics_);
  consumer->open();
  consumers_.emplace(topic, consumer);
  return Lease{std::move(consumer)};
}

void ConsumerRegistry::close_later(std::shared_ptr<TopicConsumer> consumer) {
  boost::asio::post(blocking_, [c = std::move(consumer)] { c->close(); });
}

void ConsumerRegistry::start() {
  std::lock_guard lock{mutex_};
  sweep_timer_.emplace(io_);
  schedule_sweep();
  budget_timer_.emplace(io_);
  schedule_budget_check();
}

void ConsumerRegistry::schedule_budget_check() {
  // A topic refills its queue within a few fetches of a millisecond each, so this bounds how long the sum can stay
  // over the budget; each check only reads queue lengths.
  budget_timer_->expires_after(std::chrono::milliseconds{50});
  budget_timer_->async_wait([this](const boost::system::error_code& ec) {
    if (!ec) enforce_budget();
  });
}

void ConsumerRegistry::enforce_budget() {
  std::lock_guard lock{mutex_};
  if (closed_) return;
  std::vector<TopicPrefetch> topics;
  topics.reserve(consumers_.size());
  for (const auto& [name, consumer] : consumers_) topics.push_back(consumer->prefetch());
  const auto paused = budget_.to_pause(topics);
  for (const auto& name : paused) {
    if (const auto it = consumers_.find(name); it != consumers_.end()) it->second->pause_prefetch();
  }
  // What the pauses freed goes back to the system now rather than at the next sweep, before other topics refill.
  if (!paused.empty()) boost::asio::post(blocking_, [] { return_free_memory(); });
  schedule_budget_check();
}

void ConsumerRegistry::schedule_sweep() {
  // Often enough for its three jobs: closing idle consumers, handing out deliveries whose acknowledgement is late, and
  // returning what a finished read freed before the next topic's prefetch fills (the bounds: fixed_budgets.hpp).
  const auto period = std::clamp(std::min(options_.idle_timeout, options_.ack_timeout) / 4, budgets::sweep_period_min,
                                 budgets::sweep_period_max);
  sweep_timer_->expires_after(period);
  sweep_timer_->async_wait([this](const boost::system::error_code& ec) {
    if (!ec) sweep();
  });
}

void ConsumerRegistry::sweep() {
  std::lock_guard lock{mutex_};
  if (closed_) return;
  const auto now = TopicConsumer::Clock::now();
  for (auto it = consumers_.begin(); it != consumers_.end();) {
    if (it->second->idle(now, options_.idle_timeout) || it->second->failed()) {
      spdlog::info("closing the idle consumer of topic '{}'", it->first);
      metrics_.closed_idle.inc();
      close_later(std::move(it->second));
      it = consumers_.erase(it);
    } else {
      it->second->expire_held();
      it->second->update_lag();
      ++it;
    }
  }
  // What read prefetches freed stays in the heap otherwise (free_memory.hpp); walking the arenas is not I/O work.
  boost::asio::post(blocking_, [] { return_free_memory(); });
  schedule_sweep();
}

void ConsumerRegistry::close_all() {
  std::map<std::string, std::shared_ptr<TopicConsumer>, std::less<>> consumers;
  {
    std::lock_guard lock{mutex_};
    if (closed_) return;
    closed_ = true;
    if (sweep_timer_) sweep_timer_->cancel();
    if (budget_timer_) budget_timer_->cancel();
    consumers.swap(consumers_);
  }
  for (auto& [name, consumer] : consumers) consumer->close();
  blocking_.join();  // closes already handed to the pool
}

}  // namespace kok::consumer
