#include "kok/service/kafka_errors.hpp"

#include <gtest/gtest.h>

#include "kok/kafka/error.hpp"

namespace kok::service {
namespace {

// librdkafka rd_kafka_resp_err_t values (stable across versions).
constexpr int unknown_topic_or_part = 3;
constexpr int topic_already_exists = 36;
constexpr int not_enough_replicas = 19;
constexpr int queue_full = -184;
constexpr int all_brokers_down = -187;
constexpr int timed_out = -185;
constexpr int msg_size_too_large = 10;
constexpr int invalid_replication_factor = 38;

http::Error map(int rd_err, std::string_view reason = {}) { return to_http_error(kafka::make_kafka_error(rd_err), reason); }

TEST(KafkaErrors, FollowTheDesignTable) {
  EXPECT_EQ(map(unknown_topic_or_part).code(), 404U);
  EXPECT_EQ(map(unknown_topic_or_part).reason(), "topic does not exist");
  EXPECT_EQ(map(topic_already_exists).code(), 409U);
  EXPECT_EQ(map(msg_size_too_large).code(), 413U);
  EXPECT_EQ(map(invalid_replication_factor, "Replication factor: 4 larger than available brokers: 3").code(), 400U);
  EXPECT_EQ(map(timed_out).code(), 504U);
}

TEST(KafkaErrors, RetryLaterCasesAre503WithRetryAfter) {
  for (const int err : {not_enough_replicas, queue_full, all_brokers_down}) {
    const auto e = map(err);
    EXPECT_EQ(e.code(), 503U) << err;
    EXPECT_TRUE(e.retry_after().has_value()) << err;
  }
}

TEST(KafkaErrors, ReasonIsKept) {
  const auto e = map(invalid_replication_factor, "larger than available brokers");
  EXPECT_NE(e.reason().find("larger than available brokers"), std::string::npos);
}

TEST(KafkaErrors, ThrowIfError) {
  EXPECT_NO_THROW(throw_if_kafka_error({}));
  EXPECT_THROW(throw_if_kafka_error(kafka::make_kafka_error(unknown_topic_or_part)), http::Error);
}

TEST(KafkaErrors, ThrowIfResultFailedCarriesStatusAndReason) {
  EXPECT_NO_THROW(throw_if_kafka_error(kafka::Result<int>::success(1)));
  try {
    throw_if_kafka_error(kafka::Result<int>::failure(kafka::make_kafka_error(invalid_replication_factor), "only 1 broker"));
    FAIL() << "a failed result did not throw";
  } catch (const http::Error& e) {
    EXPECT_EQ(e.status(), http::ErrorStatus::bad_request);
    EXPECT_NE(e.reason().find("only 1 broker"), std::string::npos) << e.reason();
  }
}

}  // namespace
}  // namespace kok::service
