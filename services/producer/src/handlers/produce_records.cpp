#include <nlohmann/json.hpp>

#include "handlers/common.hpp"
#include "handlers/handlers.hpp"
#include "handlers/request_bodies.hpp"
#include "message_key.hpp"
#include "kok/service/topic_param.hpp"

namespace kok::producer {

namespace {

Reply produce(const ProducerService& service, http::Request& request, const std::string& topic,
              std::vector<Record> records, KeyedAttempt* attempt) {
  co_await require_topic(service, topic);
  const auto count = records.size();
  const auto deliveries = co_await produce_all(service, topic, std::move(records), attempt);

  auto offsets = nlohmann::json::array();
  std::size_t failed = 0;
  std::error_code first_error;
  for (const auto& d : deliveries) {
    if (d.error) {
      if (failed++ == 0) first_error = d.error;
      continue;
    }
    offsets.push_back({{"partition", d.report.partition}, {"offset", d.report.offset}});
  }
  if (failed > 0) {
    auto error = delivery_error(first_error);
    request.log(spdlog::level::warn, "{} of {} records to {} not acknowledged: {}", failed, count, topic, error.reason());
    if (count > 1) {
      throw http::Error(error.status(),
                        std::to_string(failed) + " of " + std::to_string(count) + " records not acknowledged: " +
                            error.reason(),
                        error.retry_after());
    }
    throw error;
  }
  co_return http::Response::json(http::status::ok, nlohmann::json{{"offsets", std::move(offsets)}});
}

}  // namespace

Reply produce_records(const ProducerService& service, http::Request& request) {
  const auto topic = service::topic_param(request);
  std::vector<Record> records;
  if (request.content_type_is("application/json")) {
    records = parse_records(request.body(), message_key(request));
  } else {
    records.resize(1);
    records[0].key = message_key(request);
    records[0].value = request.body();
  }
  co_return co_await idempotent(service, request, topic, KeyedWrite::records,
                                [&](KeyedAttempt* attempt) { return produce(service, request, topic, std::move(records), attempt); });
}

}  // namespace kok::producer