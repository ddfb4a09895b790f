// The prefetch of every open topic together stays within the process's memory budget: CONSUMER_MAX_TOPICS topics,
// each with a backlog of small messages (what costs librdkafka the most per byte), opened and read in turns, keep the
// process under the Deployment's memory limit while every topic keeps answering with its next messages in order.

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "consumer_e2e.hpp"

namespace kok::consumer::e2e {
namespace {

using namespace std::chrono_literals;

// deploy/k8s/base/app/services/consumer.yaml: resources.limits.memory.
constexpr std::int64_t deployment_limit = 256LL << 20;
// CONSUMER_MAX_TOPICS' default: every topic the service lets a client open at once.
constexpr int topics = 64;
// Enough that the prefetch of every topic without a budget (~400 B resident per message) exceeds the limit on its
// own, few enough to produce in seconds.
constexpr int backlog = 12'000;
constexpr std::size_t value_size = 100;
constexpr int batch = 1000;
constexpr int rounds = 4;

std::string value_for(int topic, int index) {
  auto v = "t" + std::to_string(topic) + "-" + std::to_string(index) + "-";
  v.resize(value_size, 'x');
  return v;
}

// A line of /proc/<pid>/status in bytes ("VmHWM:  123456 kB"), -1 if absent.
std::int64_t status_bytes(pid_t pid, const std::string& field) {
  std::ifstream in{"/proc/" + std::to_string(pid) + "/status"};
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stoll(line.substr(field.size() + 1)) * 1024;
  }
  return -1;
}

class MemoryBudget : public ConsumerE2E {
 protected:
  void produce_backlogs(const std::vector<std::string>& names) {
    // Our own producer: the shared one's local queue (100,000 messages) is smaller than the whole backlog.
    kafka::Producer producer{kafka::producer_config(
        bootstrap_, {{"queue.buffering.max.messages", std::to_string(topics * backlog)}, {"linger.ms", "20"}})};
    auto failed = std::make_shared<std::atomic<int>>(0);
    auto done = std::make_shared<std::atomic<int>>(0);
    for (int i = 0; i < backlog; ++i) {
      for (int t = 0; t < topics; ++t) {
        producer.async_produce(names[static_cast<std::size_t>(t)], std::nullopt, value_for(t, i), kafka::Headers{},
                               [failed, done](std::error_code ec, kafka::DeliveryReport) {
                                 if (ec) ++*failed;
                                 ++*done;
                               });
      }
    }
    ASSERT_FALSE(producer.flush(90s));
    ASSERT_EQ(done->load(), topics * backlog);
    ASSERT_EQ(failed->load(), 0);
  }
};

TEST_F(MemoryBudget, EveryTopicBackloggedStaysUnderTheDeploymentLimit) {
  const auto started = std::chrono::steady_clock::now();
  std::vector<std::string> names;
  for (int t = 0; t < topics; ++t) names.push_back(make_topic("mem" + std::to_string(t)));
  produce_backlogs(names);
  const auto produced = std::chrono::steady_clock::now();

  auto service = start_service({{"CONSUMER_MAX_TOPICS", std::to_string(topics)}});
  auto http = service->client(30s);
  const test_support::Headers json{{"Accept", "application/json"}};
  std::int64_t peak_rss = 0;
  std::vector<int> next(topics, 0);  // per topic, the index of the next message it must answer with
  for (int round = 0; round < rounds; ++round) {
    for (int t = 0; t < topics; ++t) {
      const auto& topic = names[static_cast<std::size_t>(t)];
      const auto res = http.get("/consumer/" + topic + "?max=" + std::to_string(batch) + "&wait=20s", json);
      ASSERT_EQ(res.status, 200U) << topic << ": " << res.body;
      const auto records = nlohmann::json::parse(res.body);
      // Each answer starts where the last one ended: in order, nothing skipped or repeated.
      ASSERT_FALSE(records.empty()) << topic;
      for (const auto& record : records) {
        auto& index = next[static_cast<std::size_t>(t)];
        ASSERT_EQ(record["offset"].get<std::int64_t>(), index) << topic;
        ASSERT_EQ(record["value"].get<std::string>(), value_for(t, index)) << topic;
        ++index;
      }
      peak_rss = std::max(peak_rss, status_bytes(service->pid(), "VmRSS"));
    }
  }
  const auto hwm = status_bytes(service->pid(), "VmHWM");
  std::cout << "backlogs produced in " << std::chrono::duration_cast<std::chrono::seconds>(produced - started).count()
            << " s, read in " << std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
            produced).count() << " s\n";
  std::cout << "consumer with " << topics << " backlogged topics open: peak resident " << (hwm >> 20)
            << " MiB (highest sampled " << (peak_rss >> 20) << " MiB), limit " << (deployment_limit >> 20) << " MiB\n";
  EXPECT_GT(hwm, 0);
  EXPECT_LT(hwm, deployment_limit);
  EXPECT_EQ(service->stop(), 0);
}

}  // namespace
}  // namespace kok::consumer::e2e
