// POST /consumer/{t}/position?to=WHERE[&partition=P]: replay for the service's group. Moves the group's position on
// topic t (every partition, or P) to WHERE — the vocabulary of a browse's ?from=: beginning, end, an offset, a time
// (epoch milliseconds with the unit, or ISO-8601 with its zone) — and commits it, so a restart reads from there too.
// What the consumer holds follows (docs/decisions.md): its prefetch is dropped and fetched again from the new
// position, named readers' unacknowledged batches there are discarded, open streams continue from the new position.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include "blocking.hpp"
#include "fixed_budgets.hpp"
#include "browse_start.hpp"
#include "consumer_registry.hpp"
#include "handlers/handlers.hpp"
#include "kok/http/error.hpp"
#include "kok/kafka/consumer.hpp"
#include "kok/kafka/error.hpp"
#include "kok/service/kafka_errors.hpp"
#include "kok/service/options.hpp"
#include "kok/service/topic_param.hpp"

namespace kok::consumer {
namespace {

using namespace std::chrono_literals;

constexpr auto kafka_timeout = budgets::kafka_request;

// Where each partition's new position is, or why there is none.
struct Resolved {
  std::vector<PartitionPosition> positions;
  std::error_code error;
  std::string reason;
  std::optional<std::size_t> partitions_when_missing;  // set: the asked partition does not exist
};

// Blocking, on the pool: asks the brokers with a consumer of its own (no assignment, no commit), which it closes.
// Function object: no coroutine lambdas.
struct ResolvePositions {
  kafka::ConfigMap config;
  std::string topic;
  std::optional<std::int32_t> partition;
  BrowseStart to;

  Resolved operator()() const {
    Resolved out;
    try {
      kafka::Consumer reader{config};
      resolve(reader, out);
      reader.close();
    } catch (const std::exception& e) {
      out.error = kafka::make_kafka_error(-1);
      out.reason = e.what();
    }
    return out;
  }

 private:
  void resolve(kafka::Consumer& reader, Resolved& out) const {
    auto ids = reader.partitions(topic, kafka_timeout);
    if (!ids) return fail(out, ids.error, ids.reason);
    std::vector<std::int32_t> chosen = ids.value;
    if (partition) {
      if (std::find(chosen.begin(), chosen.end(), *partition) == chosen.end()) {
        out.partitions_when_missing = chosen.size();
        return;
      }
      chosen = {*partition};
    }
    std::vector<kafka::TopicPartitionOffset> at_time;
    if (to.kind == BrowseStart::Kind::time) {
      auto found = reader.offsets_for_times(topic, chosen, to.value, kafka_timeout);
      if (!found) return fail(out, found.error, found.reason);
      at_time = std::move(found.value);
    }
    for (std::size_t i = 0; i < chosen.size(); ++i) {
      auto w = reader.query_watermarks(topic, chosen[i], kafka_timeout);
      if (!w) return fail(out, w.error, w.reason);
      const auto [low, high] = w.value;
      std::int64_t offset = low;
      switch (to.kind) {
        case BrowseStart::Kind::beginning: offset = low; break;
        case BrowseStart::Kind::end: offset = high; break;
        // Outside the log, Kafka would reset the position by auto.offset.reset: the nearest end of the log is meant.
        case BrowseStart::Kind::offset: offset = std::clamp(to.value, low, high); break;
        // offset_end (negative): nothing was written at or after that time.
        case BrowseStart::Kind::time: offset = at_time[i].offset < 0 ? high : std::clamp(at_time[i].offset, low, high);
      }
      out.positions.push_back({chosen[i], offset});
    }
  }
  static void fail(Resolved& out, std::error_code ec, std::string reason) {
    out.error = ec;
    out.reason = std::move(reason);
  }
};

// Blocking, on the pool: the move itself (waits for the topic's consumer to open, and for the commit).
struct MovePosition {
  std::shared_ptr<TopicConsumer> consumer;
  std::vector<PartitionPosition> positions;
  std::error_code operator()() const { return consumer->move_to(positions); }
};

BrowseStart to_parameter(const http::Request& req) {
  const auto to = req.query("to");
  const auto start = to ? parse_browse_start(*to) : std::nullopt;
  if (!start) {
    throw http::bad_request(
        "to must be beginning, end, an offset, a time as epoch milliseconds (e.g. 1733253600000ms) or an ISO-8601 "
        "time with its zone (e.g. 2024-12-03T19:20:00Z)");
  }
  return *start;
}

std::optional<std::int32_t> partition_parameter(const http::Request& req) {
  const auto text = req.query("partition");
  if (!text) return std::nullopt;
  try {
    return static_cast<std::int32_t>(service::parse_integer(*text, 0, INT32_MAX));
  } catch (const std::exception&) {
    throw http::bad_request("partition must be a partition number (0 or more)");
  }
}

}  // namespace

boost::asio::awaitable<http::Response> move_position(ConsumerService& service, http::Request& req) {
  const auto topic = service::topic_param(req);
  const auto to = to_parameter(req);
  const auto partition = partition_parameter(req);
  Lease lease = co_await service.registry.acquire(topic);  // 404 when the topic does not exist

  auto pool = service.registry.blocking_executor();
  ResolvePositions resolve{service.registry.consumer_config(), topic, partition, to};
  auto resolved = co_await async_run_blocking<Resolved>(pool, std::move(resolve), boost::asio::use_awaitable);
  service::throw_if_kafka_error(resolved.error, resolved.reason);
  if (resolved.partitions_when_missing) {
    throw http::bad_request("partition " + std::to_string(*partition) + " does not exist: topic '" + topic + "' has " +
                            std::to_string(*resolved.partitions_when_missing) + " (numbered from 0)");
  }
  MovePosition move{lease.shared(), resolved.positions};
  const auto moved = co_await async_run_blocking<std::error_code>(pool, std::move(move), boost::asio::use_awaitable);
  service::throw_if_kafka_error(moved, "the group's position was not committed");

  auto positions = nlohmann::json::array();
  for (const auto& p : resolved.positions) positions.push_back({{"partition", p.partition}, {"offset", p.offset}});
  co_return http::Response::json(http::status::ok, {{"topic", topic}, {"positions", std::move(positions)}});
}

}  // namespace kok::consumer
