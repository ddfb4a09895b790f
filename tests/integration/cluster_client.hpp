#pragma once
// Minimal RAII access to the real cluster through librdkafka's C API, for the cluster-level tests only.
// Deliberately independent of libs/kafka: these tests prove the broker setup itself, whatever the services do.

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "kok/test_support/kafka_env.hpp"

namespace kok::cluster_test {

// Bootstrap servers and unique topic names: the same helpers as every other integration test.
using test_support::unique_topic;
inline std::string bootstrap_servers() { return test_support::kafka_bootstrap_servers(); }
// Runs deploy/local/kafka.sh with the given arguments; returns its exit status.
int cluster_script(const std::string& args);

struct Handle {
  struct Deleter {
    void operator()(rd_kafka_t* rk) const;
  };
  std::unique_ptr<rd_kafka_t, Deleter> rk;
  rd_kafka_t* get() const { return rk.get(); }
};

using Config = std::map<std::string, std::string>;
using LogSink = std::function<void(const std::string& facility, const std::string& line)>;

// A client of the given type with bootstrap.servers set and `extra` applied; a log sink, when given, receives
// librdkafka's log lines (used to inspect debug=feature output).
Handle make_client(rd_kafka_type_t type, const Config& extra = {}, LogSink sink = {});

struct PartitionInfo {
  int32_t id;
  int32_t leader;
  std::vector<int32_t> replicas;
  std::vector<int32_t> isr;
};
struct TopicInfo {
  rd_kafka_resp_err_t err;
  std::vector<PartitionInfo> partitions;
};

// Creates a topic through the Admin API; returns the broker's answer for it.
rd_kafka_resp_err_t create_topic(rd_kafka_t* rk, const std::string& topic, int partitions, int replication_factor);
TopicInfo describe(rd_kafka_t* rk, const std::string& topic);
int broker_count(rd_kafka_t* rk);

struct Delivery {
  rd_kafka_resp_err_t err;
  int32_t partition;
  int64_t offset;
};
// Enqueues one message (copied); `opaque` reaches the delivery report, which writes a Delivery into it when it is a
// Delivery*. On success the message owns `headers`.
rd_kafka_resp_err_t produce(rd_kafka_t* producer, const std::string& topic, const std::string& key,
                            const std::string& value, void* opaque = nullptr, rd_kafka_headers_t* headers = nullptr);
// Produces one message and waits for its delivery report (at most the producer's message.timeout.ms, 30 s).
Delivery produce_sync(rd_kafka_t* producer, const std::string& topic, const std::string& key, const std::string& value);

struct Record {
  int64_t offset;
  std::string key;
  std::string value;
  std::vector<std::pair<std::string, std::string>> headers;
};
// Reads partition 0 of `topic` from the beginning until `count` records or the timeout.
std::vector<Record> read_all(const std::string& topic, std::size_t count,
                             std::chrono::milliseconds timeout = std::chrono::seconds(30));

// Polls `condition` until true or the timeout; returns its last value.
bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout);

}  // namespace kok::cluster_test
