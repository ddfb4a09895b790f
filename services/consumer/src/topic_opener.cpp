#include "topic_opener.hpp"

#include <librdkafka/rdkafka.h>
#include <spdlog/spdlog.h>

#include <thread>

#include "kok/kafka/error.hpp"

namespace kok::consumer {

kafka::Result<OpenedTopic> open_topic(const kafka::ConfigMap& config, const std::string& topic,
                                      std::chrono::milliseconds metadata_timeout, std::chrono::milliseconds retry_for) {
  using R = kafka::Result<OpenedTopic>;
  try {
    OpenedTopic opened;
    opened.consumer = std::make_unique<kafka::Consumer>(config);
    auto partitions = opened.consumer->partitions(topic, metadata_timeout);
    if (!partitions) return R::failure(partitions.error, partitions.reason);
    const auto give_up = std::chrono::steady_clock::now() + retry_for;
    auto positions = opened.consumer->committed(topic, partitions.value, metadata_timeout);
    while (!positions && kafka::is_retriable(positions.error) && std::chrono::steady_clock::now() < give_up) {
      spdlog::debug("consumer for topic '{}': committed offsets not available yet ({}), retrying", topic,
                    positions.reason);
      std::this_thread::sleep_for(std::chrono::milliseconds{200});
      positions = opened.consumer->committed(topic, partitions.value, metadata_timeout);
    }
    if (!positions) return R::failure(positions.error, positions.reason);
    if (auto ec = opened.consumer->assign(topic, partitions.value)) return R::failure(ec, "assign failed");
    opened.committed = std::move(positions.value);
    return R::success(std::move(opened));
  } catch (const std::exception& e) {
    return R::failure(kafka::make_kafka_error(RD_KAFKA_RESP_ERR__FAIL), e.what());
  }
}

}  // namespace kok::consumer
