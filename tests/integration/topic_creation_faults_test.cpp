// Topic creation while a broker leaves and returns, through the real producer: a broker in controlled shutdown (what
// deleting a pod does) does not count for replica placement, so for a moment Kafka refuses a replication factor of 3
// with INVALID_REPLICATION_FACTOR. That is a temporary condition: the answer is 503 with Retry-After and the reason,
// never 400, and once the broker is back the same creation succeeds. Runs serially: it stops brokers.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "cluster_client.hpp"
#include "creation_answers.hpp"
#include "kok/test_support/service_process.hpp"

namespace kok::cluster_test {
namespace {

using namespace std::chrono_literals;

const test_support::Headers json_type{{"Content-Type", "application/json"}};

TEST(CreateTopicUnderFaults, BrokerLeavingIs503WithRetryAfterNever400ThenCreated) {
  test_support::ServiceOptions options;
  options.binary = KOK_PRODUCER_BINARY;
  options.env = {{"KAFKA_BOOTSTRAP_SERVERS", bootstrap_servers()}, {"LOG_LEVEL", "warn"}};
  test_support::ServiceProcess producer(options);
  Handle admin = make_client(RD_KAFKA_PRODUCER);
  ASSERT_TRUE(eventually([&] { return broker_count(admin.get()) == 3; }, 60s));

  CreationTally tally;
  long too_few_brokers = 0;  // 503s that name the missing broker: the case this test is about
  // The window lasts as long as the controlled shutdown (about 2 s here); the active controller's own shutdown may not
  // open it, so each node is tried until one did.
  for (int node = 0; node < 3 && too_few_brokers == 0; ++node) {
    std::atomic<bool> stopping{true};
    std::thread stopper([&] {
      EXPECT_EQ(cluster_script("stop " + std::to_string(node)), 0);
      stopping = false;
    });
    auto http = producer.client(30s);
    for (long n = 0; stopping; ++n) {
      const bool seed = n % 2 == 0;
      const std::string path = (seed ? "/topic/" : "/topics/") + unique_topic("leaving");
      const auto r = seed ? http.post(path, "") : http.post(path, R"({"replication_factor": 3})", json_type);
      if (tally.add(path, r) == CreationAnswer::unavailable &&
          r.body.find("fewer brokers available right now than the 3 replicas asked for") != std::string::npos) {
        ++too_few_brokers;
      }
      std::this_thread::sleep_for(50ms);
    }
    stopper.join();
    ASSERT_EQ(cluster_script("start " + std::to_string(node)), 0);
    ASSERT_EQ(cluster_script("up --timeout 90"), 0);
  }
  std::cout << "[ creation ] created " << tally.count(CreationAnswer::created) << ", 503 "
            << tally.count(CreationAnswer::unavailable) << " (too few brokers " << too_few_brokers << "), 504 "
            << tally.count(CreationAnswer::timed_out) << ", wrong " << tally.count(CreationAnswer::wrong) << "\n";
  EXPECT_EQ(tally.wrong, "");
  EXPECT_GT(too_few_brokers, 0) << "no creation met a broker in controlled shutdown: the case was not exercised";

  // Every broker back: the same kind of creation succeeds.
  auto http = producer.client(30s);
  const auto seed = http.post("/topic/" + unique_topic("back"), "");
  EXPECT_EQ(seed.status, 200U) << seed.body;
  const auto rest = http.post("/topics/" + unique_topic("back"), R"({"replication_factor": 3})", json_type);
  EXPECT_EQ(rest.status, 201U) << rest.body;
  EXPECT_EQ(producer.stop(), 0);
}

}  // namespace
}  // namespace kok::cluster_test
