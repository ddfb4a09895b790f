// GET /consumer/{t}/offsets — per partition: log start, log end, the group's committed offset, lag.
// GET /offsets — the same for every topic the service's group has committed offsets for.
//
// Read from Kafka, not from this process: what the group committed (also before a restart, or by another replica of
// the service), asked with a short-lived client of the group that never joins it (no subscribe: no rebalance) and
// never commits. Lag counts what the group has not read yet: log end minus the committed offset, or minus the log
// start when nothing is committed (the group starts at the earliest message) or when retention removed what the
// committed offset points to. A commit follows a read by a moment (commits are asynchronous).

#include <spdlog/spdlog.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>

#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include "blocking.hpp"
#include "fixed_budgets.hpp"
#include "consumer_registry.hpp"
#include "handlers/handlers.hpp"
#include "kok/kafka/consumer.hpp"
#include "kok/kafka/error.hpp"
#include "kok/service/kafka_errors.hpp"
#include "kok/service/topic_param.hpp"
#include "settings.hpp"

namespace kok::consumer {
namespace {

using namespace std::chrono_literals;

// One request each: metadata, the group's offsets (to its coordinator), a partition's watermarks (to its leader).

struct PartitionLag {
  std::int32_t partition = 0;
  std::int64_t log_start = 0;
  std::int64_t log_end = 0;
  std::optional<std::int64_t> committed;
};

struct TopicLag {
  std::string topic;
  std::vector<PartitionLag> partitions;
};

std::int64_t lag_of(const PartitionLag& p) {
  const auto from = p.committed ? std::max(*p.committed, p.log_start) : p.log_start;
  return std::max<std::int64_t>(0, p.log_end - from);
}

nlohmann::json to_json(const TopicLag& t) {
  auto partitions = nlohmann::json::array();
  std::int64_t total = 0;
  for (const auto& p : t.partitions) {
    const auto lag = lag_of(p);
    total += lag;
    partitions.push_back({{"partition", p.partition},
                          {"log_start", p.log_start},
                          {"log_end", p.log_end},
                          {"committed", p.committed ? nlohmann::json(*p.committed) : nlohmann::json(nullptr)},
                          {"lag", lag}});
  }
  return {{"topic", t.topic}, {"lag", total}, {"partitions", std::move(partitions)}};
}

// Log ends of every partition of `topic`, with the committed offsets `committed` (partition → offset) knows.
kafka::Result<TopicLag> topic_lag(kafka::Consumer& client, const std::string& topic,
                                  const std::map<std::int32_t, std::int64_t>& committed) {
  using R = kafka::Result<TopicLag>;
  auto ids = client.partitions(topic, budgets::kafka_request);
  if (!ids) return R::failure(ids.error, ids.reason);
  TopicLag out{topic, {}};
  for (const auto p : ids.value) {
    auto w = client.query_watermarks(topic, p, budgets::kafka_request);
    if (!w) return R::failure(w.error, w.reason);
    PartitionLag lag{p, w.value.low, w.value.high, std::nullopt};
    if (const auto it = committed.find(p); it != committed.end()) lag.committed = it->second;
    out.partitions.push_back(lag);
  }
  return R::success(std::move(out));
}

// Blocking (run on the registry's pool). Function objects: no coroutine lambdas.
struct ReadTopicLag {
  kafka::ConfigMap config;
  std::string topic;
  kafka::Result<TopicLag> operator()() const {
    using R = kafka::Result<TopicLag>;
    try {
      kafka::Consumer client{config};
      auto ids = client.partitions(topic, budgets::kafka_request);
      if (!ids) return R::failure(ids.error, ids.reason);
      auto positions = client.committed(topic, ids.value, budgets::kafka_request);
      if (!positions) return R::failure(positions.error, positions.reason);
      std::map<std::int32_t, std::int64_t> committed;
      for (const auto& p : positions.value) {
        if (p.offset >= 0) committed[p.partition] = p.offset;
      }
      return topic_lag(client, topic, committed);
    } catch (const std::exception& e) {
      return R::failure(kafka::make_kafka_error(-1), e.what());
    }
  }
};

struct ReadGroupLag {
  kafka::ConfigMap config;
  std::string group;
  kafka::Result<std::vector<TopicLag>> operator()() const {
    using R = kafka::Result<std::vector<TopicLag>>;
    try {
      kafka::Consumer client{config};
      auto offsets = client.group_offsets(group, budgets::kafka_request);
      if (!offsets) return R::failure(offsets.error, offsets.reason);
      std::map<std::string, std::map<std::int32_t, std::int64_t>> by_topic;
      for (const auto& p : offsets.value) by_topic[p.topic][p.partition] = p.offset;
      std::vector<TopicLag> out;
      for (const auto& [topic, committed] : by_topic) {
        auto lag = topic_lag(client, topic, committed);
        if (!lag && kafka::is_unknown_topic(lag.error)) {
          spdlog::debug("offsets: topic '{}' has committed offsets but no longer exists", topic);
          continue;  // deleted since: its old offsets say nothing about a topic to read
        }
        if (!lag) return R::failure(lag.error, lag.reason);
        out.push_back(std::move(lag.value));
      }
      return R::success(std::move(out));
    } catch (const std::exception& e) {
      return R::failure(kafka::make_kafka_error(-1), e.what());
    }
  }
};

}  // namespace

boost::asio::awaitable<http::Response> topic_offsets(ConsumerService& service, http::Request& req) {
  const auto topic = service::topic_param(req);
  ReadTopicLag read{service.registry.consumer_config(), topic};
  auto lag = co_await async_run_blocking<kafka::Result<TopicLag>>(service.registry.blocking_executor(), std::move(read),
                                                                  boost::asio::use_awaitable);
  service::throw_if_kafka_error(lag);
  auto body = to_json(lag.value);
  body["group"] = service.settings.group;
  co_return http::Response::json(http::status::ok, body);
}

boost::asio::awaitable<http::Response> group_offsets(ConsumerService& service, http::Request&) {
  ReadGroupLag read{service.registry.consumer_config(), service.settings.group};
  auto lags = co_await async_run_blocking<kafka::Result<std::vector<TopicLag>>>(
      service.registry.blocking_executor(), std::move(read), boost::asio::use_awaitable);
  service::throw_if_kafka_error(lags);
  auto topics = nlohmann::json::array();
  for (const auto& t : lags.value) topics.push_back(to_json(t));
  co_return http::Response::json(http::status::ok, {{"group", service.settings.group}, {"topics", std::move(topics)}});
}

}  // namespace kok::consumer
