#include "kok/kafka/error.hpp"

#include <librdkafka/rdkafka.h>
#include <gtest/gtest.h>

namespace kok::kafka {
namespace {

std::error_code err(rd_kafka_resp_err_t e) { return make_kafka_error(static_cast<int>(e)); }

TEST(KafkaError, NoErrorIsEmpty) { EXPECT_FALSE(err(RD_KAFKA_RESP_ERR_NO_ERROR)); }

TEST(KafkaError, CarriesLibrdkafkaMessage) {
  const auto ec = err(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
  EXPECT_EQ(ec.category().name(), std::string{"kafka"});
  EXPECT_EQ(ec.message(), rd_kafka_err2str(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART));
  EXPECT_EQ(ec.value(), RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART);
}

TEST(KafkaError, Classification) {
  EXPECT_EQ(classify(err(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)), ErrorKind::unknown_topic);
  EXPECT_EQ(classify(err(RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC)), ErrorKind::unknown_topic);
  EXPECT_EQ(classify(err(RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)), ErrorKind::topic_already_exists);
  EXPECT_EQ(classify(err(RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR)), ErrorKind::invalid_request);
  EXPECT_EQ(classify(err(RD_KAFKA_RESP_ERR_MSG_SIZE_TOO_LARGE)), ErrorKind::message_too_large);
  EXPECT_EQ(classify(err(RD_KAFKA_RESP_ERR__QUEUE_FULL)), ErrorKind::queue_full);
  EXPECT_EQ(classify(err(RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS)), ErrorKind::not_enough_replicas);
  EXPECT_EQ(classify(err(RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN)), ErrorKind::unavailable);
  EXPECT_EQ(classify(err(RD_KAFKA_RESP_ERR__TRANSPORT)), ErrorKind::unavailable);
  EXPECT_EQ(classify(err(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT)), ErrorKind::timeout);
  EXPECT_EQ(classify(err(RD_KAFKA_RESP_ERR__TIMED_OUT)), ErrorKind::timeout);
  EXPECT_EQ(classify(err(RD_KAFKA_RESP_ERR__PURGE_QUEUE)), ErrorKind::shutting_down);
  EXPECT_EQ(classify(err(RD_KAFKA_RESP_ERR__FAIL)), ErrorKind::other);
  EXPECT_EQ(classify({}), ErrorKind::none);
}

TEST(KafkaError, ComparesAgainstKinds) {
  EXPECT_TRUE(err(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) == ErrorKind::unknown_topic);
  EXPECT_FALSE(err(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) == ErrorKind::timeout);
  EXPECT_TRUE(is_unknown_topic(err(RD_KAFKA_RESP_ERR__UNKNOWN_PARTITION)));
}

TEST(KafkaError, Retriable) {
  EXPECT_TRUE(is_retriable(err(RD_KAFKA_RESP_ERR__QUEUE_FULL)));
  EXPECT_TRUE(is_retriable(err(RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS)));
  EXPECT_TRUE(is_retriable(err(RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE)));
  EXPECT_FALSE(is_retriable(err(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)));
  EXPECT_FALSE(is_retriable(err(RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS)));
}

TEST(KafkaError, OwnPlumbingErrors) {
  EXPECT_EQ(classify(std::make_error_code(std::errc::timed_out)), ErrorKind::timeout);
  EXPECT_EQ(classify(std::make_error_code(std::errc::operation_canceled)), ErrorKind::shutting_down);
}

}  // namespace
}  // namespace kok::kafka
