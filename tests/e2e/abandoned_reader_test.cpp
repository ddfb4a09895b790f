// Through the local gateway (nginx): a reader that gives up — a long poll, a GET /{t}, an event stream — takes nothing
// with it. nginx closes its connection to the consumer when its client aborts, and the consumer sees that.
#include <gtest/gtest.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include "kok/test_support/abandoned_reader.hpp"
#include "gateway.hpp"
#include "kok/test_support/http_client.hpp"
#include "kok/test_support/kafka_env.hpp"

namespace {

using kok::test_support::AbandonedRead;
using kok::test_support::HttpClient;

void run(AbandonedRead kind, const std::string& name) {
  HttpClient http("127.0.0.1", gateway_port(), std::chrono::seconds(15));
  const auto topic = kok::test_support::unique_topic(name);
  ASSERT_EQ(http.post("/topic/" + topic, "").status, 200U);
  const auto outcome = kok::test_support::run_abandoned_reads(
      "127.0.0.1", gateway_port(), topic, kind, kok::test_support::abandoned_tries(), [&](const std::string& value) {
        const auto sent = http.post("/message/" + topic, value);
        ASSERT_EQ(sent.status, 200U) << sent.body;
      });
  std::cout << "[ abandoned ] gateway " << name << ": " << outcome.lost << " of " << outcome.tries << " lost\n";
  EXPECT_EQ(outcome.lost, 0) << (outcome.failures.empty() ? std::string{} : outcome.failures.front());
}

TEST(GatewayAbandonedReader, LongPollLosesNothing) { run(AbandonedRead::long_poll, "gw-abandoned-poll"); }
TEST(GatewayAbandonedReader, NextMessageLosesNothing) { run(AbandonedRead::next_message, "gw-abandoned-next"); }
TEST(GatewayAbandonedReader, StreamLosesNothing) { run(AbandonedRead::stream, "gw-abandoned-stream"); }

}  // namespace
