#include "handlers/common.hpp"
#include "handlers/handlers.hpp"
#include "message_key.hpp"
#include "kok/service/topic_param.hpp"

namespace kok::producer {

Reply produce_message(const ProducerService& service, http::Request& request) {
  const auto topic = service::topic_param(request);
  co_return co_await idempotent(service, request, topic, KeyedWrite::records, [&](KeyedAttempt* attempt) -> Reply {
    co_await require_topic(service, topic);
    std::vector<Record> records(1);
    records[0].key = message_key(request);
    records[0].value = request.body();
    const auto deliveries = co_await produce_all(service, topic, std::move(records), attempt);
    const auto& d = deliveries.front();
    if (d.error) throw delivery_error(d.error);
    co_return http::Response::text(http::status::ok, "Message sent to " + topic + ": partition " +
                                                         std::to_string(d.report.partition) + " offset " +
                                                         std::to_string(d.report.offset));
  });
}

}  // namespace kok::producer
