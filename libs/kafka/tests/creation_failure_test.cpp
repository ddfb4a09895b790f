#include "kok/kafka/creation_failure.hpp"

#include <librdkafka/rdkafka.h>
#include <gtest/gtest.h>

#include "kok/kafka/error.hpp"

namespace kok::kafka {
namespace {

std::error_code err(rd_kafka_resp_err_t e) { return make_kafka_error(static_cast<int>(e)); }

const std::string kKafkaSaid =
    "Unable to replicate the partition 3 time(s): The target replication factor of 3 cannot be reached because only 2 "
    "broker(s) are registered or some brokers have all their log directories cordoned.";

TEST(CreationFailure, TooFewBrokersOfAClusterThatHadEnoughIsUnavailable) {
  const auto out = explain_creation_failure(err(RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR), kKafkaSaid, 3, 3);
  EXPECT_EQ(out.error, err(RD_KAFKA_RESP_ERR_BROKER_NOT_AVAILABLE));
  EXPECT_EQ(classify(out.error), ErrorKind::unavailable);
  EXPECT_EQ(out.reason,
            "fewer brokers available right now than the 3 replicas asked for (this cluster has had 3); retry once the "
            "missing broker is back. Kafka said: " + kKafkaSaid);
  // Fewer replicas than the cluster had is the same case.
  EXPECT_EQ(classify(explain_creation_failure(err(RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR), kKafkaSaid, 2, 3).error),
            ErrorKind::unavailable);
}

TEST(CreationFailure, MoreReplicasThanTheClusterEverHadStaysABadRequest) {
  const std::string said = "Unable to replicate the partition 5 time(s): only 3 broker(s) are registered.";
  const auto out = explain_creation_failure(err(RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR), said, 5, 3);
  EXPECT_EQ(out.error, err(RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR));
  EXPECT_EQ(out.reason, said);
  // Nothing seen yet (no metadata answer so far): nothing says the cluster ever had enough.
  EXPECT_EQ(explain_creation_failure(err(RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR), said, 3, 0).error,
            err(RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR));
  // The broker's default replication factor (-1) says nothing about what was asked.
  EXPECT_EQ(explain_creation_failure(err(RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR), said, -1, 3).error,
            err(RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR));
}

TEST(CreationFailure, ATimeoutSaysTheCreationMayStillComplete) {
  for (const auto e : {RD_KAFKA_RESP_ERR__TIMED_OUT, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT}) {
    const auto out = explain_creation_failure(err(e), "Failed while waiting for controller", 3, 3);
    EXPECT_EQ(out.error, err(e));
    EXPECT_EQ(out.reason,
              "Failed while waiting for controller; the creation may still complete: look for the topic before "
              "creating it again");
  }
  // No reason from Kafka: librdkafka's text for the code stands in.
  const auto bare = explain_creation_failure(err(RD_KAFKA_RESP_ERR__TIMED_OUT), "", 3, 3);
  EXPECT_EQ(bare.reason, std::string{rd_kafka_err2str(RD_KAFKA_RESP_ERR__TIMED_OUT)} +
                             "; the creation may still complete: look for the topic before creating it again");
}

TEST(CreationFailure, OtherErrorsPassUnchanged) {
  const auto out = explain_creation_failure(err(RD_KAFKA_RESP_ERR_INVALID_CONFIG), "no.such.config", 3, 3);
  EXPECT_EQ(out.error, err(RD_KAFKA_RESP_ERR_INVALID_CONFIG));
  EXPECT_EQ(out.reason, "no.such.config");
  const auto partitions = explain_creation_failure(err(RD_KAFKA_RESP_ERR_INVALID_PARTITIONS), "", 3, 3);
  EXPECT_EQ(partitions.error, err(RD_KAFKA_RESP_ERR_INVALID_PARTITIONS));
  EXPECT_EQ(partitions.reason, "");
}

}  // namespace
}  // namespace kok::kafka
