#pragma once
// The per-topic consumers of this process, bounded.
//
// Any GET names a topic, so without a bound a client could make us open a Kafka consumer (threads, sockets, prefetch
// buffers) per name. Only topics that exist get one (checked through the Admin's cached metadata, never creating
// anything); at most `max_topics` are open, the least recently used idle one is closed to make room, and consumers
// idle for `idle_timeout` are closed by a sweeper, which also hands out again deliveries whose acknowledgement is
// late, and returns the heap that read prefetches freed to the system (free_memory.hpp). Closing commits what was
// delivered first. The prefetch of all open topics together is kept within one memory budget (PrefetchBudget): each
// topic opens with queue limits from its share, and a check a few times a second drops the prefetch of the least
// recently read topics while the sum is over.

#include <chrono>
#include <map>
#include <set>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include "consumer_metrics.hpp"
#include "kok/kafka/admin.hpp"
#include "kok/kafka/config.hpp"
#include "prefetch_budget.hpp"
#include "topic_consumer.hpp"

namespace kok::consumer {

struct RegistryOptions {
  kafka::ConfigMap consumer_config;  // kafka::consumer_config(bootstrap, group)
  std::size_t max_topics = 64;
  std::chrono::milliseconds idle_timeout{std::chrono::seconds{60}};
  std::chrono::milliseconds metadata_timeout{std::chrono::seconds{5}};
  std::chrono::milliseconds ack_timeout{std::chrono::seconds{30}};  // see TopicConsumerOptions
  std::size_t blocking_threads = 4;
  PrefetchBudget::Options prefetch;
};

// Keeps a topic's consumer from being closed while a request uses it.
class Lease {
 public:
  Lease() = default;
  explicit Lease(std::shared_ptr<TopicConsumer> consumer);
  Lease(Lease&& other) noexcept = default;
  Lease& operator=(Lease&& other) noexcept;
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  ~Lease();

  TopicConsumer& operator*() const noexcept { return *consumer_; }
  TopicConsumer* operator->() const noexcept { return consumer_.get(); }
  [[nodiscard]] const std::shared_ptr<TopicConsumer>& shared() const noexcept { return consumer_; }

 private:
  std::shared_ptr<TopicConsumer> consumer_;
};

class ConsumerRegistry {
 public:
  ConsumerRegistry(RegistryOptions options, boost::asio::any_io_executor io, kafka::Admin& admin,
                   ConsumerMetrics& metrics);
  ~ConsumerRegistry();  // close_all()
  ConsumerRegistry(const ConsumerRegistry&) = delete;
  ConsumerRegistry& operator=(const ConsumerRegistry&) = delete;

  // The topic's consumer, opened on first use. Throws http::Error: 404 "topic does not exist", 503 when Kafka cannot
  // be asked or too many topics are being read at once.
  boost::asio::awaitable<Lease> acquire(std::string topic);

  // Starts the idle sweeper (also refreshes the lag gauges).
  void start();
  // Commits and closes every consumer; call after the HTTP server stopped. Blocking.
  void close_all();

  [[nodiscard]] boost::asio::any_io_executor blocking_executor() { return blocking_.get_executor(); }
  [[nodiscard]] const kafka::ConfigMap& consumer_config() const noexcept { return options_.consumer_config; }

 private:
  Lease lease_for(const std::string& topic);
  void sweep();
  void schedule_sweep();
  void enforce_budget();
  void schedule_budget_check();
  void close_later(std::shared_ptr<TopicConsumer> consumer);
  // Asks the Admin again whether `topic` exists, without anyone waiting: the answer lands in its cache. One at a time
  // per topic.
  void refresh_existence(const std::string& topic);
  // True (once) when a refresh found `topic` gone.
  bool found_gone(const std::string& topic);

  RegistryOptions options_;
  boost::asio::any_io_executor io_;
  kafka::Admin& admin_;
  ConsumerMetrics& metrics_;
  boost::asio::thread_pool blocking_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<TopicConsumer>, std::less<>> consumers_;
  std::optional<boost::asio::steady_timer> sweep_timer_;
  std::optional<boost::asio::steady_timer> budget_timer_;
  PrefetchBudget budget_;
  // Topics whose existence is being asked again, and those found gone (until a read sees it); shared with the
  // Admin's completion, which may outlive the registry.
  struct Refreshing {
    std::mutex mutex;
    std::set<std::string, std::less<>> topics;
    std::set<std::string, std::less<>> gone;
  };
  std::shared_ptr<Refreshing> refreshing_ = std::make_shared<Refreshing>();
  bool closed_ = false;
};

}  // namespace kok::consumer
