#pragma once
// Internal: RAII ownership of librdkafka C objects and the few conversions every client needs.

#include <librdkafka/rdkafka.h>

#include <chrono>
#include <memory>
#include <string_view>
#include <system_error>

#include "kok/kafka/config.hpp"
#include "kok/kafka/error.hpp"
#include "kok/kafka/message.hpp"
#include "kok/kafka/result.hpp"

namespace kok::kafka::detail {

template <auto Destroy>
struct Deleter {
  template <typename T>
  void operator()(T* p) const noexcept {
    if (p != nullptr) Destroy(p);
  }
};

using ConfPtr = std::unique_ptr<rd_kafka_conf_t, Deleter<rd_kafka_conf_destroy>>;
using ClientPtr = std::unique_ptr<rd_kafka_t, Deleter<rd_kafka_destroy>>;
using QueuePtr = std::unique_ptr<rd_kafka_queue_t, Deleter<rd_kafka_queue_destroy>>;
using EventPtr = std::unique_ptr<rd_kafka_event_t, Deleter<rd_kafka_event_destroy>>;
using PartitionListPtr =
    std::unique_ptr<rd_kafka_topic_partition_list_t, Deleter<rd_kafka_topic_partition_list_destroy>>;
using TopicPtr = std::unique_ptr<rd_kafka_topic_t, Deleter<rd_kafka_topic_destroy>>;
using AdminOptionsPtr = std::unique_ptr<rd_kafka_AdminOptions_t, Deleter<rd_kafka_AdminOptions_destroy>>;
using NewTopicPtr = std::unique_ptr<rd_kafka_NewTopic_t, Deleter<rd_kafka_NewTopic_destroy>>;
using DeleteTopicPtr = std::unique_ptr<rd_kafka_DeleteTopic_t, Deleter<rd_kafka_DeleteTopic_destroy>>;
using ConfigResourcePtr = std::unique_ptr<rd_kafka_ConfigResource_t, Deleter<rd_kafka_ConfigResource_destroy>>;
using MessagePtr = std::unique_ptr<rd_kafka_message_t, Deleter<rd_kafka_message_destroy>>;

struct MetadataDeleter {
  void operator()(const rd_kafka_metadata_t* p) const noexcept {
    if (p != nullptr) rd_kafka_metadata_destroy(p);
  }
};
using MetadataPtr = std::unique_ptr<const rd_kafka_metadata_t, MetadataDeleter>;

// A librdkafka configuration holding every entry of `config`, with log and error callbacks routed to spdlog.
// Throws ConfigError naming the rejected key.
ConfPtr make_conf(const ConfigMap& config);

// rd_kafka_new; takes ownership of conf (librdkafka frees it on success, we free it on failure). Throws ConfigError.
ClientPtr make_client(rd_kafka_type_t type, ConfPtr conf);

inline std::error_code to_error(rd_kafka_resp_err_t err) noexcept { return make_kafka_error(static_cast<int>(err)); }

int to_timeout_ms(std::chrono::milliseconds timeout) noexcept;

// Metadata for one topic (nullptr topic: all topics). For a single topic, the topic's own error (unknown topic) is
// returned as the Result's error.
Result<MetadataPtr> fetch_metadata(rd_kafka_t* rk, const char* topic, std::chrono::milliseconds timeout);

// Deep copy of a consumed message.
Message copy_message(const rd_kafka_message_t& m);

}  // namespace kok::kafka::detail
