#pragma once
// Where a BrowseStart (a browse's ?from=, a replay's ?to=) puts each partition of a topic, asked of the brokers: the
// one resolution both routes share.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "browse_start.hpp"
#include "kok/kafka/consumer.hpp"

namespace kok::consumer {

struct PartitionStart {
  std::int32_t partition = 0;
  std::int64_t start = 0;  // where the BrowseStart points, within [low, high]
  std::int64_t low = 0;    // the log start
  std::int64_t high = 0;   // the log end (exclusive)
};

struct StartPositions {
  std::vector<PartitionStart> partitions;
  std::error_code error;  // set: Kafka did not answer (reason says why)
  std::string reason;
  std::optional<std::size_t> partitions_when_missing;  // set: the asked partition does not exist; the topic has these
};

// Blocking (one metadata request, one watermark request per partition, one offsets-for-times request for a time).
// Every partition of `topic`, or only `partition`. An offset or a time outside the log means its nearest end (Kafka
// would reset such a position by auto.offset.reset); a time after the last message means the log end.
StartPositions find_start_positions(kafka::Consumer& reader, const std::string& topic,
                                    std::optional<std::int32_t> partition, const BrowseStart& start);

// The answer when no positions were found: the Kafka error as its HTTP answer, or 400 for a partition the topic
// does not have. Returns when there is nothing to answer.
void throw_if_not_found(const StartPositions& found, const std::string& topic, std::optional<std::int32_t> partition);

}  // namespace kok::consumer
