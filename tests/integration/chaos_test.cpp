// Brokers dying one at a time under load: nothing acknowledged is lost, every acknowledged message is served, and the
// services refuse writes only when Kafka itself would — measured against a raw librdkafka producer writing beside
// them, the baseline of what the cluster allows. Runs serially: it kills brokers under every other test.
//
// 8 HTTP writers on POST /message/{t}, one reader on GET /consumer/{t}?max=200 (JSON), the baseline producer
// (acks=all, idempotent, 15 s timeout); every 3-6 s one broker is SIGKILLed and started again 2-5 s later.
// KOK_CHAOS_SECONDS sets the length (default 45).
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <mutex>
#include <random>
#include <set>
#include <thread>

#include <nlohmann/json.hpp>

#include "cluster_client.hpp"
#include "kok/test_support/service_process.hpp"

namespace kok::cluster_test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

int chaos_seconds() {
  const char* env = std::getenv("KOK_CHAOS_SECONDS");
  return env != nullptr && *env != '\0' ? std::max(5, std::atoi(env)) : 45;
}

test_support::ServiceOptions service(const char* binary) {
  test_support::ServiceOptions options;
  options.binary = binary;
  options.env = {{"KAFKA_BOOTSTRAP_SERVERS", bootstrap_servers()},
                 {"CONSUMER_GROUP", unique_topic("chaos-group")},
                 {"LOG_LEVEL", "warn"}};
  return options;
}

struct Tally {
  std::atomic<long> attempts{0};
  std::atomic<long> ok{0};
  double ratio() const { return attempts == 0 ? 0.0 : static_cast<double>(ok) / static_cast<double>(attempts); }
};

class Acknowledged {
 public:
  void add(std::string value) {
    std::lock_guard lock{mutex_};
    values_.insert(std::move(value));
  }
  std::set<std::string> snapshot() const {
    std::lock_guard lock{mutex_};
    return values_;
  }

 private:
  mutable std::mutex mutex_;
  std::set<std::string> values_;
};

TEST(Chaos, BrokersDyingOneAtATimeLoseNothingAndRefuseOnlyWhatKafkaWould) {
  const std::string topic = unique_topic("chaos");
  Handle admin = make_client(RD_KAFKA_PRODUCER);
  ASSERT_EQ(create_topic(admin.get(), topic, 1, 3), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_TRUE(eventually([&] { auto i = describe(admin.get(), topic); return !i.partitions.empty() && i.partitions[0].isr.size() == 3; }, 20s));

  test_support::ServiceProcess producer(service(KOK_PRODUCER_BINARY));
  test_support::ServiceProcess consumer(service(KOK_CONSUMER_BINARY));
  std::atomic<bool> stop{false};
  Tally http_writes;
  Tally baseline;
  Acknowledged acked;
  std::set<std::string> seen;  // reader thread only until joined
  std::atomic<long> duplicates{0};

  std::vector<std::thread> threads;
  for (int w = 0; w < 8; ++w) {
    threads.emplace_back([&, w] {
      std::optional<test_support::HttpClient> http;
      for (long n = 0; !stop; ++n) {
        const std::string value = "http-" + std::to_string(w) + "-" + std::to_string(n);
        ++http_writes.attempts;
        try {
          if (!http) http.emplace(producer.client(20s));
          if (http->post("/message/" + topic, value).status == 200) {
            ++http_writes.ok;
            acked.add(value);
          }
        } catch (const std::exception&) {
          http.reset();  // reconnect next time
        }
      }
    });
  }
  threads.emplace_back([&] {
    Handle raw = make_client(RD_KAFKA_PRODUCER, {{"enable.idempotence", "true"}, {"acks", "all"}, {"message.timeout.ms", "15000"}});
    for (long n = 0; !stop; ++n) {
      ++baseline.attempts;
      if (produce_sync(raw.get(), topic, "k", "raw-" + std::to_string(n)).err == RD_KAFKA_RESP_ERR_NO_ERROR) ++baseline.ok;
    }
  });
  std::atomic<bool> reading{true};
  std::thread reader([&] {
    std::optional<test_support::HttpClient> http;
    while (reading) {
      try {
        if (!http) http.emplace(consumer.client(20s));
        const auto r = http->get("/consumer/" + topic + "?max=200&wait=1s", {{"Accept", "application/json"}});
        if (r.status != 200) continue;
        for (const auto& record : nlohmann::json::parse(r.body)) {
          if (!seen.insert(record.at("value").get<std::string>()).second) ++duplicates;
        }
      } catch (const std::exception&) {
        http.reset();
      }
    }
  });

  // The chaos: one broker down at a time, for a few seconds, at random.
  std::mt19937 random{std::random_device{}()};
  int kills = 0;
  const auto until = Clock::now() + std::chrono::seconds{chaos_seconds()};
  while (Clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds{std::uniform_int_distribution<int>{3000, 6000}(random)});
    const int victim = std::uniform_int_distribution<int>{0, 2}(random);
    ASSERT_EQ(cluster_script("kill " + std::to_string(victim)), 0);
    ++kills;
    std::this_thread::sleep_for(std::chrono::milliseconds{std::uniform_int_distribution<int>{2000, 5000}(random)});
    ASSERT_EQ(cluster_script("start " + std::to_string(victim)), 0);
  }
  stop = true;
  for (std::size_t i = 0; i < threads.size(); ++i) threads[i].join();
  ASSERT_EQ(cluster_script("up --timeout 90"), 0);

  // Every acknowledged message is served at least once (the reader keeps going until it has them all).
  const auto all_acked = acked.snapshot();
  const auto drain_until = Clock::now() + 60s;
  auto missing = [&] {
    long n = 0;
    for (const auto& v : all_acked) n += seen.count(v) == 0 ? 1 : 0;
    return n;
  };
  while (Clock::now() < drain_until) {
    std::this_thread::sleep_for(500ms);
    // `seen` is written by the reader thread: stop it to look, start a new one if something is still missing.
    reading = false;
    reader.join();
    if (missing() == 0) break;
    reading = true;
    reader = std::thread([&] {
      test_support::HttpClient http = consumer.client(20s);
      while (reading) {
        try {
          const auto r = http.get("/consumer/" + topic + "?max=500&wait=1s", {{"Accept", "application/json"}});
          if (r.status != 200) continue;
          for (const auto& record : nlohmann::json::parse(r.body)) {
            if (!seen.insert(record.at("value").get<std::string>()).second) ++duplicates;
          }
        } catch (const std::exception&) {
          http = consumer.client(20s);
        }
      }
    });
  }
  if (reader.joinable()) {
    reading = false;
    reader.join();
  }
  const long lost = missing();
  // In Kafka itself: nothing acknowledged is missing from the log either.
  int64_t low = 0;
  int64_t high = 0;
  // Leadership moved during the chaos: the first answers may still name the old leader.
  ASSERT_TRUE(eventually([&] {
    return rd_kafka_query_watermark_offsets(admin.get(), topic.c_str(), 0, &low, &high, 5000) == RD_KAFKA_RESP_ERR_NO_ERROR;
  }, 30s));
  const auto log = read_all(topic, static_cast<std::size_t>(high - low), 60s);
  std::set<std::string> in_log;
  for (const auto& r : log) in_log.insert(r.value);
  long lost_in_kafka = 0;
  for (const auto& v : all_acked) lost_in_kafka += in_log.count(v) == 0 ? 1 : 0;

  const double relative = baseline.ratio() == 0.0 ? 0.0 : http_writes.ratio() / baseline.ratio();
  std::cout << "[ chaos ] " << chaos_seconds() << " s, " << kills << " broker kills; HTTP writes " << http_writes.ok
            << "/" << http_writes.attempts << " ok (" << 100.0 * http_writes.ratio() << "%), raw librdkafka "
            << baseline.ok << "/" << baseline.attempts << " ok (" << 100.0 * baseline.ratio() << "%), relative "
            << 100.0 * relative << "%; acknowledged " << all_acked.size() << ", not served " << lost
            << ", not in Kafka " << lost_in_kafka << ", served twice " << duplicates << "\n";
  EXPECT_EQ(lost_in_kafka, 0);
  EXPECT_EQ(lost, 0);
  EXPECT_GT(http_writes.ok, 0);
  EXPECT_GE(relative, 0.9) << "the services refused writes the cluster would have taken";
  EXPECT_EQ(producer.stop(), 0);
  EXPECT_EQ(consumer.stop(), 0);
}

}  // namespace
}  // namespace kok::cluster_test
