#include "handlers/delivery.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "fixed_budgets.hpp"
#include "kok/service/kafka_errors.hpp"

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

}  // namespace kok::consumer
