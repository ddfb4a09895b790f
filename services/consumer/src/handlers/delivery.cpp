#include "handlers/delivery.hpp"

#include <algorithm>

#include <boost/asio/use_awaitable.hpp>

#include "kok/http/error.hpp"
#include "kok/kafka/topic_name.hpp"
#include "kok/service/kafka_errors.hpp"
#include "kok/service/options.hpp"

namespace kok::consumer {

void require_valid_topic(const std::string& topic) {
  if (auto why = kafka::topic_name_error(topic)) throw http::bad_request(*why);
}

boost::asio::awaitable<std::vector<kafka::Message>> take_messages(TopicConsumer& consumer, http::Request& req,
                                                                   std::size_t max, std::chrono::milliseconds wait) {
  using Clock = std::chrono::steady_clock;
  using std::chrono::milliseconds;
  // An empty answer must mean "nothing to read", never "not fetched yet": the original answered the first read of a
  // topic with 404 because its consumer had not caught up. So past `wait` we keep waiting while the consumer is
  // behind the topic's high watermark, up to this grace (a cluster in trouble still gets an answer).
  constexpr milliseconds kCatchUpGrace{10'000};
  const auto deadline = Clock::now() + wait;
  for (;;) {
    const auto left = std::chrono::duration_cast<milliseconds>(deadline - Clock::now());
    const auto slice = left > milliseconds::zero() ? std::min(left, milliseconds{1000}) : milliseconds{50};
    auto batch = co_await consumer.async_take(max, slice, boost::asio::use_awaitable);
    if (!batch) throw service::to_http_error(batch.error, batch.reason);
    if (!batch.value.empty() || req.stopping()) co_return std::move(batch.value);
    const auto now = Clock::now();
    if (now >= deadline && (consumer.caught_up() || now >= deadline + kCatchUpGrace)) co_return std::move(batch.value);
  }
}

std::chrono::milliseconds wait_parameter(const http::Request& req, std::chrono::milliseconds fallback,
                                         std::chrono::milliseconds max) {
  const auto text = req.query("wait");
  if (!text) return std::min(fallback, max);
  try {
    const auto wait = service::parse_duration(*text);
    if (wait.count() < 0) throw service::ConfigError("negative");
    return std::min(wait, max);
  } catch (const std::exception&) {
    throw http::bad_request("wait must be a duration like 500ms, 5s or 1m");
  }
}

}  // namespace kok::consumer
