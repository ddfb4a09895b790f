#include "kok/kafka/creation_failure.hpp"

#include <librdkafka/rdkafka.h>

#include "kok/kafka/error.hpp"

namespace kok::kafka {

CreationFailure explain_creation_failure(std::error_code error, std::string_view reason, int replication_factor,
                                         int brokers_seen) {
  const std::string kafka_said = reason.empty() ? error.message() : std::string{reason};
  if (error == make_kafka_error(RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR) && replication_factor > 0 &&
      replication_factor <= brokers_seen) {
    // The cluster has had enough brokers: one is leaving or returning, which is temporary.
    return {make_kafka_error(RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE),
            "fewer brokers available right now than the " + std::to_string(replication_factor) +
                " replicas asked for (this cluster has had " + std::to_string(brokers_seen) +
                "); retry once the missing broker is back. Kafka said: " + kafka_said};
  }
  if (classify(error) == ErrorKind::timeout) {
    return {error, kafka_said + "; the creation may still complete: look for the topic before creating it again"};
  }
  return {error, std::string{reason}};
}

}  // namespace kok::kafka
