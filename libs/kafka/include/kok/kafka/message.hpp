#pragma once
// Plain value types shared by producer and consumer.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kok::kafka {

// Kafka allows a header without a value (null), distinct from an empty one.
struct Header {
  std::string key;
  std::optional<std::string> value;
  friend bool operator==(const Header&, const Header&) = default;
};
using Headers = std::vector<Header>;

// Let the partitioner choose (librdkafka's RD_KAFKA_PARTITION_UA).
inline constexpr std::int32_t any_partition = -1;

// Where a produced message ended up.
struct DeliveryReport {
  std::int32_t partition = -1;
  std::int64_t offset = -1;
  std::int64_t timestamp_ms = -1;  // -1 when the broker did not return one
  // For a failed delivery: false when librdkafka knows the message never reached a broker's log (refused locally, or
  // an error answer), true when it may be there all the same (sent, then timed out: the ack was lost or is late).
  bool possibly_persisted = false;
};

// A consumed record (owns its bytes: it outlives the librdkafka message it was copied from).
struct Message {
  std::string topic;
  std::int32_t partition = -1;
  std::int64_t offset = -1;
  std::optional<std::string> key;  // nullopt: null key
  std::string value;               // a null value reads as empty
  std::int64_t timestamp_ms = -1;
  Headers headers;
};

// A position to commit or seek to: `offset` is the NEXT offset to read.
struct TopicPartitionOffset {
  std::string topic;
  std::int32_t partition = -1;
  std::int64_t offset = -1;
  friend bool operator==(const TopicPartitionOffset&, const TopicPartitionOffset&) = default;
};

}  // namespace kok::kafka
