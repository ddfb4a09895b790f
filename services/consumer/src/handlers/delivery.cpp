#include "handlers/delivery.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "consumer_registry.hpp"
#include "fixed_budgets.hpp"
#include "handlers/request_params.hpp"
#include "kok/service/kafka_errors.hpp"
#include "kok/service/topic_param.hpp"
#include "settings.hpp"

namespace kok::consumer {

boost::asio::awaitable<std::vector<kafka::Message>> take_messages(TopicConsumer& consumer,
                                                                   http::Interruption& interruption, std::size_t max,
                                                                   std::chrono::milliseconds wait,
                                                                   std::chrono::milliseconds catch_up_grace) {
  using Clock = std::chrono::steady_clock;
  using std::chrono::milliseconds;
  // An empty answer must mean "nothing to read", never "not fetched yet": the original answered the first read of a
  // topic with 404 because its consumer had not caught up. So past `wait` we keep waiting while the consumer is
  // behind the topic's high watermark, up to `catch_up_grace` (a cluster in trouble still gets an answer).
  const auto deadline = Clock::now() + wait;
  for (;;) {
    // A wait started after the interruption was signalled would not be cut short: look first.
    if (interruption.interrupted()) co_return std::vector<kafka::Message>{};
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    const auto slice = left > milliseconds::zero() ? left : budgets::catch_up_slice;
    kafka::Result<std::vector<kafka::Message>> batch;
    {
      const http::Interruption::Wait interruptible{interruption};
      batch = co_await consumer.async_take(
          max, slice, boost::asio::bind_cancellation_slot(interruptible.slot(), boost::asio::use_awaitable));
    }
    service::throw_if_kafka_error(batch);
    // Taken in a race with the client leaving: the Delivery reports it not written, so it is served again.
    if (!batch.value.empty()) co_return std::move(batch.value);
    const auto now = Clock::now();
    if (now >= deadline && (consumer.caught_up() || now >= deadline + catch_up_grace)) co_return std::move(batch.value);
  }
}

boost::asio::awaitable<std::shared_ptr<Delivery>> take_delivery(ConsumerService& service, http::Request& req,
                                                                std::size_t max, std::chrono::milliseconds wait) {
  const auto topic = service::topic_param(req);
  auto reader = reader_param(req);
  Lease lease = co_await service.registry.acquire(topic);
  if (reader) lease->acknowledge(*reader);
  auto messages = co_await take_messages(*lease, req.interruption(), max, wait, service.settings.catch_up_grace);
  if (messages.empty()) co_return nullptr;
  co_return std::make_shared<Delivery>(lease.shared(), std::move(messages), std::move(reader));
}

http::Response delivering(std::shared_ptr<Delivery> delivery, http::Response response) {
  response.on_written([delivery = std::move(delivery)](bool written) { delivery->finish(written); });
  return response;
}

}  // namespace kok::consumer
