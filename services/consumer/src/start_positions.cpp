#include "start_positions.hpp"

#include <algorithm>
#include <utility>

#include "fixed_budgets.hpp"
#include "kok/http/error.hpp"
#include "kok/service/kafka_errors.hpp"

namespace kok::consumer {

namespace {

StartPositions failed(std::error_code error, std::string reason) {
  StartPositions out;
  out.error = error;
  out.reason = std::move(reason);
  return out;
}

}  // namespace

StartPositions find_start_positions(kafka::Consumer& reader, const std::string& topic,
                                    std::optional<std::int32_t> partition, const BrowseStart& start) {
  const auto timeout = budgets::kafka_request;
  auto ids = reader.partitions(topic, timeout);
  if (!ids) return failed(ids.error, ids.reason);
  std::vector<std::int32_t> chosen = ids.value;
  if (partition) {
    if (std::find(chosen.begin(), chosen.end(), *partition) == chosen.end()) {
      StartPositions out;
      out.partitions_when_missing = chosen.size();
      return out;
    }
    chosen = {*partition};
  }
  std::vector<kafka::TopicPartitionOffset> at_time;
  if (start.kind == BrowseStart::Kind::time) {
    auto found = reader.offsets_for_times(topic, chosen, start.value, timeout);
    if (!found) return failed(found.error, found.reason);
    at_time = std::move(found.value);
  }
  StartPositions out;
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    auto w = reader.query_watermarks(topic, chosen[i], timeout);
    if (!w) return failed(w.error, w.reason);
    const auto [low, high] = w.value;
    std::int64_t offset = low;
    switch (start.kind) {
      case BrowseStart::Kind::beginning: offset = low; break;
      case BrowseStart::Kind::end: offset = high; break;
      case BrowseStart::Kind::offset: offset = std::clamp(start.value, low, high); break;
      // A negative offset (offset_end): nothing was written at or after that time.
      case BrowseStart::Kind::time: offset = at_time[i].offset < 0 ? high : std::clamp(at_time[i].offset, low, high);
    }
    out.partitions.push_back({chosen[i], offset, low, high});
  }
  return out;
}

void throw_if_not_found(const StartPositions& found, const std::string& topic, std::optional<std::int32_t> partition) {
  service::throw_if_kafka_error(found.error, found.reason);
  if (found.partitions_when_missing) {
    throw http::bad_request("partition " + std::to_string(partition.value_or(0)) + " does not exist: topic '" + topic +
                            "' has " + std::to_string(*found.partitions_when_missing) + " (numbered from 0)");
  }
}

}  // namespace kok::consumer
