#pragma once
// Helpers shared by the reading endpoints: topic validation, waiting for messages without blocking shutdown, and the
// Delivery that turns "response written" into a commit (or a redelivery).

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "consumer_registry.hpp"
#include "kok/http/request.hpp"
#include "kok/kafka/message.hpp"
#include "topic_consumer.hpp"

namespace kok::consumer {

// Throws http 400 with Kafka's rule when `topic` is not a legal name.
void require_valid_topic(const std::string& topic);

// Waits up to `wait` for up to `max` messages, in slices of at most a second so that a server shutdown is noticed.
// Returns as soon as a message is there. Throws http::Error on a Kafka error (e.g. the topic was deleted).
boost::asio::awaitable<std::vector<kafka::Message>> take_messages(TopicConsumer& consumer, http::Request& req,
                                                                   std::size_t max, std::chrono::milliseconds wait);

// Messages handed to one response. finish() exactly once; if nobody does (the handler threw before answering), the
// destructor reports them as not written so they are handed out again.
class Delivery {
 public:
  Delivery(std::shared_ptr<TopicConsumer> consumer, std::vector<kafka::Message> messages)
      : consumer_(std::move(consumer)), messages_(std::move(messages)) {}
  ~Delivery() { finish(false); }
  Delivery(const Delivery&) = delete;
  Delivery& operator=(const Delivery&) = delete;

  [[nodiscard]] const std::vector<kafka::Message>& messages() const noexcept { return messages_; }
  void finish(bool written) {
    if (!finished_.exchange(true)) consumer_->finish(messages_, written);
  }

 private:
  std::shared_ptr<TopicConsumer> consumer_;
  std::vector<kafka::Message> messages_;
  std::atomic<bool> finished_{false};
};

// ?wait= as a duration bounded by `max` (400 when malformed), `fallback` when absent.
std::chrono::milliseconds wait_parameter(const http::Request& req, std::chrono::milliseconds fallback,
                                         std::chrono::milliseconds max);

}  // namespace kok::consumer
