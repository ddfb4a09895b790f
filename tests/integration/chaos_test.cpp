// Brokers failing one at a time under load: nothing acknowledged is lost, every acknowledged message is served, the
// services refuse writes only when Kafka itself would — measured against a raw librdkafka producer writing beside
// them, the baseline of what the cluster allows — no request outlives its own timeout, readiness tells the truth, and
// topic creations answer created, 503 with Retry-After or 504 saying the creation may still complete, never 400.
// Runs serially: it fails brokers under every other test.
//
// Load: the writer kinds (kWriters: 8 plain writers on POST /message/{t}; 4 that retry every failed or timed-out POST
// with the same Idempotency-Key, alternating between two producer processes; 2 that retry the same body without a key,
// to count what a retry costs without one), one reader on GET /consumer/{t}?max=200
// (JSON), the baseline producer (acks=all, idempotent, the services' PRODUCE_TIMEOUT), a topic creator alternating the
// two creation routes, and a watcher of both services' /readyz. Faults: kSchedule, in order, again and again, a few
// seconds apart. KOK_CHAOS_SECONDS sets the length (default 60: one round of the schedule).
#include <gtest/gtest.h>

#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <thread>

#include <nlohmann/json.hpp>

#include "chaos_support.hpp"
#include "cluster_client.hpp"
#include "creation_answers.hpp"
#include "kok/test_support/service_process.hpp"

namespace kok::cluster_test {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

// The services' own timeouts, set explicitly so the budgets below are the ones they run with.
constexpr milliseconds kProduceTimeout = 15s;
constexpr milliseconds kReadWait = 1s;
// A paused broker stays paused longer than every client timeout that could hide it: PRODUCE_TIMEOUT (the delivery
// report's bound), socket.timeout.ms and the brokers' session timeout (after which the controller fences it).
constexpr milliseconds kPauseHold = kProduceTimeout + 1s;

const std::vector<Step> kSchedule = {
    {Fault::kill, Target::any, 2s, 5s},
    {Fault::pause, Target::leader, kPauseHold, kPauseHold},
    {Fault::stop, Target::any, 2s, 5s},
    {Fault::pause, Target::any, kPauseHold, kPauseHold},
};

int chaos_seconds() {
  const char* env = std::getenv("KOK_CHAOS_SECONDS");
  return env != nullptr && *env != '\0' ? std::max(5, std::atoi(env)) : 60;
}

test_support::ServiceOptions service(const char* binary) {
  test_support::ServiceOptions options;
  options.binary = binary;
  options.env = {{"KAFKA_BOOTSTRAP_SERVERS", bootstrap_servers()},
                 {"CONSUMER_GROUP", unique_topic("chaos-group")},
                 {"PRODUCE_TIMEOUT", std::to_string(kProduceTimeout.count()) + "ms"},
                 {"LOG_LEVEL", "warn"}};
  return options;
}

// A keyed request waits for its claim (at most 5 s) and, after an attempt whose outcome was unknown, for the
// recovery's read of the topic (at most 5 s) before its own PRODUCE_TIMEOUT (docs/decisions.md, "Idempotency-Key").
constexpr milliseconds kKeyedBudget = kProduceTimeout + 10s;

// What every writer thread shares.
struct WriterEnv {
  const test_support::ServiceProcess& producer;
  const test_support::ServiceProcess& other_producer;  // a second replica: the keyed writers alternate
  const std::string& topic;
  const std::string& run;  // unique per run: keys and values of this run only
  const std::atomic<bool>& stop;
  Acknowledged& acked;
  Durations& produces;
  Durations& keyed_produces;
};

// A writer kind: `count` threads each running `run(env, tally, index)` until env.stop. Add a kind to kWriters.
struct WriterKind {
  const char* name;
  int count;
  std::function<void(WriterEnv&, Tally&, int)> run;
};

// POSTs one new message after another; a failed or timed-out request is not retried.
void plain_writer(WriterEnv& env, Tally& tally, int index) {
  std::optional<test_support::HttpClient> http;
  for (long n = 0; !env.stop; ++n) {
    const std::string value = "http-" + std::to_string(index) + "-" + std::to_string(n);
    ++tally.attempts;
    const auto started = Clock::now();
    try {
      if (!http) http.emplace(env.producer.client(kProduceTimeout + 5s));
      const auto response = http->post("/message/" + env.topic, value);
      const auto status = response.status;
      env.produces.add(Clock::now() - started, kProduceTimeout);
      if (status != 200) tally.note_refusal(status, response.body);
      if (status == 200) {
        ++tally.ok;
        env.acked.add(value);
      }
    } catch (const std::exception& e) {
      env.produces.add(Clock::now() - started, kProduceTimeout);
      tally.note_refusal(0, e.what());
      http.reset();  // reconnect next time
    }
  }
}

// Sends `value` until it is acknowledged (or the test stops), each attempt on a fresh connection to one of the two
// producers in turn, with the same Idempotency-Key when `key` is set; a 409 (the key's first attempt is still
// unsettled) is retried a second later.
void retry_until_acknowledged(WriterEnv& env, Tally& tally, const std::string& value, const std::string* key) {
  ++tally.attempts;
  for (int attempt = 0; !env.stop; ++attempt) {
    const auto& producer = attempt % 2 == 0 ? env.producer : env.other_producer;
    const auto started = Clock::now();
    try {
      test_support::Headers headers;
      if (key != nullptr) headers.emplace_back("Idempotency-Key", "\"" + *key + "\"");
      const auto status = producer.client(kKeyedBudget + 5s).post("/message/" + env.topic, value, headers).status;
      (key != nullptr ? env.keyed_produces : env.produces).add(Clock::now() - started, key != nullptr ? kKeyedBudget : kProduceTimeout);
      if (status == 200) {
        ++tally.ok;
        env.acked.add(value);
        return;
      }
    } catch (const std::exception&) {
      (key != nullptr ? env.keyed_produces : env.produces).add(Clock::now() - started, key != nullptr ? kKeyedBudget : kProduceTimeout);
    }
    ++tally.retries;
    std::this_thread::sleep_for(1s);
  }
}

void keyed_writer(WriterEnv& env, Tally& tally, int index) {
  for (long n = 0; !env.stop; ++n) {
    const std::string id = env.run + "-keyed-" + std::to_string(index) + "-" + std::to_string(n);
    retry_until_acknowledged(env, tally, id, &id);
  }
}

void unkeyed_retrier(WriterEnv& env, Tally& tally, int index) {
  for (long n = 0; !env.stop; ++n) {
    retry_until_acknowledged(env, tally, env.run + "-retried-" + std::to_string(index) + "-" + std::to_string(n), nullptr);
  }
}

const std::vector<WriterKind> kWriters = {
    {"plain", 8, plain_writer}, {"keyed", 4, keyed_writer}, {"retried-without-key", 2, unkeyed_retrier}};

// How many values written by writers of `marker` ("-keyed-") are in the log more than once.
long written_twice(const std::vector<Record>& log, const std::string& marker) {
  std::map<std::string, int> count;
  for (const auto& r : log) {
    if (r.value.find(marker) != std::string::npos) ++count[r.value];
  }
  long twice = 0;
  for (const auto& [value, n] : count) twice += n > 1 ? 1 : 0;
  return twice;
}

// Reads batches into `seen` until `reading` turns false.
void read_until(const test_support::ServiceProcess& consumer, const std::string& topic, const std::atomic<bool>& reading,
                std::set<std::string>& seen, std::atomic<long>& duplicates, Durations& reads) {
  std::optional<test_support::HttpClient> http;
  const std::string target = "/consumer/" + topic + "?max=200&wait=" + std::to_string(kReadWait.count()) + "ms";
  while (reading) {
    const auto started = Clock::now();
    try {
      if (!http) http.emplace(consumer.client(kReadWait + 20s));
      const auto r = http->get(target, {{"Accept", "application/json"}});
      reads.add(Clock::now() - started, kReadWait);
      if (r.status != 200) continue;
      for (const auto& record : nlohmann::json::parse(r.body)) {
        if (!seen.insert(record.at("value").get<std::string>()).second) ++duplicates;
      }
    } catch (const std::exception&) {
      reads.add(Clock::now() - started, kReadWait);
      http.reset();
    }
  }
}

// /readyz of one service, sampled: every answer other than 200 while the cluster serves is a lie, and /readyz itself
// must answer at once (it reports a background probe).
struct ReadinessWatch {
  ReadinessWatch(const char* n, const test_support::ServiceProcess& p) : name(n), process(p) {}
  const char* name;
  const test_support::ServiceProcess& process;
  std::atomic<long> samples{0};
  std::atomic<long> not_ready{0};
  Durations answers{0ms};
  std::string first_not_ready;  // watcher thread only until joined
};

void watch_readiness(ReadinessWatch& watch, const std::atomic<bool>& stop) {
  while (!stop) {
    const auto started = Clock::now();
    try {
      auto http = watch.process.client(5s);
      const auto r = http.get("/readyz");
      watch.answers.add(Clock::now() - started, 1s);
      ++watch.samples;
      if (r.status != 200) {
        if (watch.not_ready++ == 0) watch.first_not_ready = std::to_string(r.status) + " " + r.body;
      }
    } catch (const std::exception& e) {
      watch.answers.add(Clock::now() - started, 1s);
      if (watch.not_ready++ == 0) watch.first_not_ready = e.what();
    }
    std::this_thread::sleep_for(250ms);
  }
}

TEST(Chaos, BrokersFailingOneAtATimeLoseNothingHangNothingAndRefuseOnlyWhatKafkaWould) {
  const std::string topic = unique_topic("chaos");
  Handle admin = make_client(RD_KAFKA_PRODUCER);
  ASSERT_EQ(create_topic(admin.get(), topic, 1, 3), RD_KAFKA_RESP_ERR_NO_ERROR);
  ASSERT_TRUE(eventually([&] { auto i = describe(admin.get(), topic); return !i.partitions.empty() && i.partitions[0].isr.size() == 3; }, 20s));

  test_support::ServiceProcess producer(service(KOK_PRODUCER_BINARY));
  test_support::ServiceProcess other_producer(service(KOK_PRODUCER_BINARY));
  test_support::ServiceProcess consumer(service(KOK_CONSUMER_BINARY));
  std::atomic<bool> stop{false};
  Acknowledged acked;
  Durations produces{1s};
  Durations reads{1s};
  Durations keyed_produces{1s};
  std::vector<Tally> writer_tallies(kWriters.size());
  Tally baseline;
  std::set<std::string> seen;  // reader thread only until joined
  std::atomic<long> duplicates{0};
  const std::string run = unique_topic("run");
  WriterEnv env{producer, other_producer, topic, run, stop, acked, produces, keyed_produces};

  std::vector<std::thread> threads;
  for (std::size_t k = 0; k < kWriters.size(); ++k) {
    for (int i = 0; i < kWriters[k].count; ++i) {
      threads.emplace_back([&, k, i] { kWriters[k].run(env, writer_tallies[k], i); });
    }
  }
  threads.emplace_back([&] {
    Handle raw = make_client(RD_KAFKA_PRODUCER, {{"enable.idempotence", "true"},
                                                 {"acks", "all"},
                                                 {"message.timeout.ms", std::to_string(kProduceTimeout.count())}});
    for (long n = 0; !stop; ++n) {
      ++baseline.attempts;
      if (produce_sync(raw.get(), topic, "k", "raw-" + std::to_string(n)).err == RD_KAFKA_RESP_ERR_NO_ERROR) ++baseline.ok;
    }
  });
  CreationTally creations;  // creator thread only until joined
  Durations creation_times{0ms};
  threads.emplace_back([&] {
    std::optional<test_support::HttpClient> http;
    for (long n = 0; !stop; ++n) {
      const bool seed = n % 2 == 0;
      const std::string path = (seed ? "/topic/" : "/topics/") + unique_topic("chaos-created");
      const auto started = Clock::now();
      try {
        if (!http) http.emplace(producer.client(60s));
        const auto r = seed ? http->post(path, "")
                            : http->post(path, R"({"replication_factor": 3})", {{"Content-Type", "application/json"}});
        creations.add(path, r);
      } catch (const std::exception& e) {
        creations.wrong += path + " -> " + e.what() + "\n";
        http.reset();
      }
      creation_times.add(Clock::now() - started, 0ms);
      std::this_thread::sleep_for(500ms);
    }
  });
  ReadinessWatch producer_ready{"producer", producer};
  ReadinessWatch consumer_ready{"consumer", consumer};
  threads.emplace_back([&] { watch_readiness(producer_ready, stop); });
  threads.emplace_back([&] { watch_readiness(consumer_ready, stop); });
  std::atomic<bool> reading{true};
  std::thread reader([&] { read_until(consumer, topic, reading, seen, duplicates, reads); });

  // The faults, one broker at a time.
  std::mt19937 random{std::random_device{}()};
  auto between = [&](milliseconds lo, milliseconds hi) {
    return milliseconds{std::uniform_int_distribution<long>{lo.count(), hi.count()}(random)};
  };
  std::map<Fault, int> done;
  std::string schedule_error;
  const auto until = Clock::now() + std::chrono::seconds{chaos_seconds()};
  for (std::size_t s = 0; Clock::now() < until && schedule_error.empty(); ++s) {
    const Step& step = kSchedule[s % kSchedule.size()];
    std::this_thread::sleep_for(between(2s, 4s));
    int victim = std::uniform_int_distribution<int>{0, 2}(random);
    if (step.target == Target::leader) {
      const auto info = describe(admin.get(), topic);
      if (!info.partitions.empty() && info.partitions[0].leader >= 0) victim = info.partitions[0].leader;
    }
    const std::string node = " " + std::to_string(victim);
    if (cluster_script(to_string(step.fault) + node) != 0) {
      schedule_error = std::string{to_string(step.fault)} + node + " failed";
      break;
    }
    ++done[step.fault];
    std::this_thread::sleep_for(between(step.hold_min, step.hold_max));
    if (cluster_script(restore_command(step.fault) + node) != 0) {
      schedule_error = std::string{restore_command(step.fault)} + node + " failed";
    }
  }
  stop = true;
  for (auto& t : threads) t.join();
  ASSERT_EQ(schedule_error, "");
  ASSERT_EQ(cluster_script("up --timeout 90"), 0);

  // Every acknowledged message is served at least once (the reader keeps going until it has them all).
  const auto all_acked = acked.snapshot();
  auto missing = [&] {
    long n = 0;
    for (const auto& v : all_acked) n += seen.count(v) == 0 ? 1 : 0;
    return n;
  };
  const auto drain_until = Clock::now() + 60s;
  Durations drain_reads{1s};  // after the faults: not part of the budget check
  while (Clock::now() < drain_until) {
    std::this_thread::sleep_for(500ms);
    // `seen` is written by the reader thread: stop it to look, start a new one if something is still missing.
    reading = false;
    reader.join();
    if (missing() == 0) break;
    reading = true;
    reader = std::thread([&] { read_until(consumer, topic, reading, seen, duplicates, drain_reads); });
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
  const long keyed_twice = written_twice(log, run + "-keyed-");
  const long unkeyed_twice = written_twice(log, run + "-retried-");

  const Tally& plain = writer_tallies[0];
  const double relative = baseline.ratio() == 0.0 ? 0.0 : plain.ratio() / baseline.ratio();
  std::cout << "[ chaos ] " << chaos_seconds() << " s: " << done[Fault::kill] << " kills, " << done[Fault::stop]
            << " stops, " << done[Fault::pause] << " pauses of " << kPauseHold.count() / 1000 << " s;";
  for (std::size_t k = 0; k < kWriters.size(); ++k) {
    std::cout << " HTTP " << kWriters[k].name << " writes " << writer_tallies[k].ok << "/" << writer_tallies[k].attempts
              << " ok (" << 100.0 * writer_tallies[k].ratio() << "%, " << writer_tallies[k].retries << " retries),";
  }
  std::cout << " plain refusals: " << writer_tallies[0].refusals() << ";";
  std::cout << " raw librdkafka " << baseline.ok << "/" << baseline.attempts << " ok (" << 100.0 * baseline.ratio()
            << "%), relative " << 100.0 * relative << "%; acknowledged " << all_acked.size() << ", not served " << lost
            << ", not in Kafka " << lost_in_kafka << ", served twice " << duplicates << "; longest produce "
            << produces.longest_ms() << " ms (budget " << kProduceTimeout.count() << " ms + 1 s, over "
            << produces.over_budget() << "), longest read " << reads.longest_ms() << " ms (budget " << kReadWait.count()
            << " ms + 1 s, over " << reads.over_budget() << "); /readyz not ready " << producer_ready.not_ready << "/"
            << producer_ready.samples << " producer, " << consumer_ready.not_ready << "/" << consumer_ready.samples
            << " consumer, longest answer " << std::max(producer_ready.answers.longest_ms(), consumer_ready.answers.longest_ms())
            << " ms; keyed: written twice " << keyed_twice << ", longest " << keyed_produces.longest_ms()
            << " ms (budget " << kKeyedBudget.count() << " ms + 1 s, over " << keyed_produces.over_budget()
            << "); retried without a key: written twice " << unkeyed_twice << "; creations " << creations.count(CreationAnswer::created) << " created, "
            << creations.count(CreationAnswer::unavailable) << " 503, " << creations.count(CreationAnswer::timed_out)
            << " 504, " << creations.count(CreationAnswer::wrong) << " wrong, longest " << creation_times.longest_ms()
            << " ms\n";
  EXPECT_EQ(lost_in_kafka, 0);
  EXPECT_EQ(lost, 0);
  // Retried with its Idempotency-Key, on either replica, while brokers fail: each message is in Kafka once.
  EXPECT_EQ(keyed_twice, 0);
  EXPECT_GT(writer_tallies[1].ok, 0);
  EXPECT_EQ(keyed_produces.over_budget(), 0) << "keyed produces outlived their budget; longest "
                                             << keyed_produces.longest_ms() << " ms";
  EXPECT_GT(plain.ok, 0);
  EXPECT_GE(relative, 0.9) << "the services refused writes the cluster would have taken";
  EXPECT_EQ(produces.over_budget(), 0) << "produces outlived PRODUCE_TIMEOUT by more than a second; longest "
                                       << produces.longest_ms() << " ms";
  EXPECT_EQ(reads.over_budget(), 0) << "reads outlived their wait by more than a second; longest " << reads.longest_ms()
                                    << " ms";
  // One broker of three failing leaves a cluster that serves (the baseline's writes show it): "not ready" would be a
  // lie, and a /readyz that waits on Kafka would be a hang of its own.
  for (const auto* watch : {&producer_ready, &consumer_ready}) {
    EXPECT_GT(watch->samples, 0) << watch->name;
    EXPECT_EQ(watch->not_ready, 0) << watch->name << ": " << watch->first_not_ready;
    EXPECT_EQ(watch->answers.over_budget(), 0) << watch->name << " /readyz took up to " << watch->answers.longest_ms() << " ms";
  }
  EXPECT_GT(creations.count(CreationAnswer::created), 0);
  EXPECT_EQ(creations.wrong, "");
  EXPECT_EQ(producer.stop(), 0);
  EXPECT_EQ(other_producer.stop(), 0);
  EXPECT_EQ(consumer.stop(), 0);
}

}  // namespace
}  // namespace kok::cluster_test
