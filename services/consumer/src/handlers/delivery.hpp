#pragma once
// Helpers shared by the reading endpoints: waiting for messages without outliving the client, and the Delivery that
// turns "response written" into a commit, a hold for a named reader, or a redelivery.

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "consumer_service.hpp"
#include "kok/http/interruption.hpp"
#include "kok/http/request.hpp"
#include "kok/http/response.hpp"
#include "kok/kafka/message.hpp"
#include "topic_consumer.hpp"

namespace kok::consumer {

// Waits up to `wait` for up to `max` messages; returns as soon as one is there. Past `wait` it waits on while the
// consumer has not caught up with the topic, up to `catch_up_grace` (CONSUMER_CATCH_UP_GRACE). Returns empty at once
// when the request is interrupted (shutdown, or the client left: then nothing is taken for it). Throws http::Error on a
// Kafka error (e.g. the topic was deleted).
boost::asio::awaitable<std::vector<kafka::Message>> take_messages(TopicConsumer& consumer,
                                                                   http::Interruption& interruption, std::size_t max,
                                                                   std::chrono::milliseconds wait,
                                                                   std::chrono::milliseconds catch_up_grace);

// Messages handed to one response. finish() (the response ended, written or not) exactly once; if nobody does (the
// handler threw before answering), the destructor reports them as not written so they are handed out again.
class Delivery {
 public:
  Delivery(std::shared_ptr<TopicConsumer> consumer, std::vector<kafka::Message> messages,
           std::optional<std::string> reader = std::nullopt)
      : consumer_(std::move(consumer)), messages_(std::move(messages)), reader_(std::move(reader)) {}
  ~Delivery() { finish(false); }
  Delivery(const Delivery&) = delete;
  Delivery& operator=(const Delivery&) = delete;

  [[nodiscard]] const std::vector<kafka::Message>& messages() const noexcept { return messages_; }
  // Written to a named reader: held until it acknowledges. Written otherwise: committed. Not written: served again.
  void finish(bool written) {
    if (finished_.exchange(true)) return;
    if (!written) {
      consumer_->not_written(messages_);
    } else if (reader_) {
      consumer_->hold(*reader_, messages_);
    } else {
      consumer_->written(messages_);
    }
  }

 private:
  std::shared_ptr<TopicConsumer> consumer_;
  std::vector<kafka::Message> messages_;
  std::optional<std::string> reader_;
  std::atomic<bool> finished_{false};
};

// The steps every consuming read shares (GET /{t}, GET /consumer/{t}): the topic in the path, ?reader=, a lease on the
// topic's consumer (404 when the topic does not exist), the reader's previous delivery acknowledged (its next read says
// it processed the last one), then up to `max` messages within `wait`. Null when none came.
boost::asio::awaitable<std::shared_ptr<Delivery>> take_delivery(ConsumerService& service, http::Request& req,
                                                                std::size_t max, std::chrono::milliseconds wait);
// `response`, carrying `delivery`: committed (or held for its reader) once the bytes are out, handed out again if
// writing fails.
http::Response delivering(std::shared_ptr<Delivery> delivery, http::Response response);

}  // namespace kok::consumer
