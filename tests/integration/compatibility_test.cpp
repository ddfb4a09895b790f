// Debian's librdkafka (2.0.2) predates Kafka 4, which removed old protocol versions (KIP-896). This test connects with
// debug=feature and fails if librdkafka disables a protocol feature the services rely on.
#include "cluster_client.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <regex>
#include <set>

namespace kok::cluster_test {
namespace {

// Features the services use: ApiVersion (version negotiation), MsgVer2 (record batches, headers), IdempotentProducer,
// BrokerGroupCoordinator + BrokerBalancedConsumer (consumer groups and offset commits).
const std::set<std::string> kRequired = {"ApiVersion", "MsgVer2", "IdempotentProducer", "BrokerGroupCoordinator",
                                         "BrokerBalancedConsumer"};
// Superseded by MsgVer2 / newer request versions, and expected to be disabled against Kafka 4.
const std::set<std::string> kObsolete = {"MsgVer1", "MsgVer0", "ThrottleTime"};

struct FeatureLog {
  std::mutex mutex;
  std::set<std::string> enabled, disabled;
};

TEST(LibrdkafkaCompatibility, NoFeatureWeUseIsDisabled) {
  auto log = std::make_shared<FeatureLog>();
  {
    Handle producer = make_client(RD_KAFKA_PRODUCER, {{"debug", "feature"}},
                                  [log](const std::string& /*facility*/, const std::string& line) {
                                    static const std::regex re("(Enabling|Disabling) feature (\\w+)");
                                    std::smatch m;
                                    if (!std::regex_search(line, m, re)) return;
                                    std::lock_guard lock(log->mutex);
                                    (m[1] == "Enabling" ? log->enabled : log->disabled).insert(m[2]);
                                  });
    ASSERT_EQ(broker_count(producer.get()), 3);
    // One real produce, so the idempotent producer's id is acquired before we read the log.
    const std::string topic = unique_topic("compat");
    ASSERT_EQ(create_topic(producer.get(), topic, 1, 3), RD_KAFKA_RESP_ERR_NO_ERROR);
    ASSERT_EQ(produce_sync(producer.get(), topic, "k", "v").err, RD_KAFKA_RESP_ERR_NO_ERROR);
  }
  std::lock_guard lock(log->mutex);
  for (const auto& feature : kRequired) {
    EXPECT_TRUE(log->enabled.count(feature)) << "librdkafka did not enable " << feature;
    EXPECT_FALSE(log->disabled.count(feature)) << "librdkafka disabled " << feature;
  }
  for (const auto& feature : log->disabled) {
    EXPECT_TRUE(kObsolete.count(feature)) << "unexpected disabled feature " << feature;
  }
}

TEST(LibrdkafkaCompatibility, HeadersRoundTrip) {
  Handle producer = make_client(RD_KAFKA_PRODUCER);
  const std::string topic = unique_topic("compat-headers");
  ASSERT_EQ(create_topic(producer.get(), topic, 1, 3), RD_KAFKA_RESP_ERR_NO_ERROR);
  rd_kafka_headers_t* hdrs = rd_kafka_headers_new(1);
  rd_kafka_header_add(hdrs, "trace", -1, "abc", -1);
  const rd_kafka_resp_err_t err = produce(producer.get(), topic, "", "body", nullptr, hdrs);
  ASSERT_EQ(err, RD_KAFKA_RESP_ERR_NO_ERROR);  // ownership of hdrs passed to the message
  ASSERT_EQ(rd_kafka_flush(producer.get(), 30000), RD_KAFKA_RESP_ERR_NO_ERROR);
  const auto records = read_all(topic, 1);
  ASSERT_EQ(records.size(), 1u);
  ASSERT_EQ(records[0].headers.size(), 1u);
  EXPECT_EQ(records[0].headers[0].first, "trace");
  EXPECT_EQ(records[0].headers[0].second, "abc");
}

}  // namespace
}  // namespace kok::cluster_test
