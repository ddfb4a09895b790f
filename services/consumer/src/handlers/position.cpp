// POST /consumer/{t}/position?to=WHERE[&partition=P]: replay for the service's group. Moves the group's position on
// topic t (every partition, or P) to WHERE — the vocabulary of a browse's ?from=: beginning, end, an offset, a time
// (epoch milliseconds with the unit, or ISO-8601 with its zone) — and commits it, so a restart reads from there too.
// What the consumer holds follows (docs/decisions.md): its prefetch is dropped and fetched again from the new
// position, named readers' unacknowledged batches there are discarded, open streams continue from the new position.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include "blocking.hpp"
#include "browse_start.hpp"
#include "start_positions.hpp"
#include "consumer_registry.hpp"
#include "handlers/handlers.hpp"
#include "handlers/request_params.hpp"
#include "kok/kafka/consumer.hpp"
#include "kok/kafka/error.hpp"
#include "kok/service/kafka_errors.hpp"
#include "kok/service/topic_param.hpp"

namespace kok::consumer {
namespace {

// Blocking, on the pool: asks the brokers with a consumer of its own (no assignment, no commit), which it closes.
// Function object: no coroutine lambdas.
struct ResolvePositions {
  kafka::ConfigMap config;
  std::string topic;
  std::optional<std::int32_t> partition;
  BrowseStart to;

  StartPositions operator()() const {
    try {
      kafka::Consumer reader{config};
      auto found = find_start_positions(reader, topic, partition, to);
      reader.close();
      return found;
    } catch (const std::exception& e) {
      StartPositions out;
      out.error = kafka::make_kafka_error(-1);
      out.reason = e.what();
      return out;
    }
  }
};

// Blocking, on the pool: the move itself (waits for the topic's consumer to open, and for the commit).
struct MovePosition {
  std::shared_ptr<TopicConsumer> consumer;
  std::vector<PartitionPosition> positions;
  std::error_code operator()() const { return consumer->move_to(positions); }
};

}  // namespace

boost::asio::awaitable<http::Response> move_position(ConsumerService& service, http::Request& req) {
  const auto topic = service::topic_param(req);
  const auto to = required_start_param(req, "to");
  const auto partition = partition_param(req);
  Lease lease = co_await service.registry.acquire(topic);  // 404 when the topic does not exist

  auto pool = service.registry.blocking_executor();
  ResolvePositions resolve{service.registry.consumer_config(), topic, partition, to};
  const auto resolved =
      co_await async_run_blocking<StartPositions>(pool, std::move(resolve), boost::asio::use_awaitable);
  throw_if_not_found(resolved, topic, partition);
  std::vector<PartitionPosition> to_positions;
  for (const auto& p : resolved.partitions) to_positions.push_back({p.partition, p.start});
  MovePosition move{lease.shared(), to_positions};
  const auto moved = co_await async_run_blocking<std::error_code>(pool, std::move(move), boost::asio::use_awaitable);
  service::throw_if_kafka_error(moved, "the group's position was not committed");

  auto positions = nlohmann::json::array();
  for (const auto& p : to_positions) positions.push_back({{"partition", p.partition}, {"offset", p.offset}});
  co_return http::Response::json(http::status::ok, {{"topic", topic}, {"positions", std::move(positions)}});
}

}  // namespace kok::consumer
