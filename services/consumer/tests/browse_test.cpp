// GET /consumer/{t}/records — browsing a topic takes nothing from the service's group.

#include <algorithm>
#include <chrono>
#include <ctime>
#include <fstream>
#include <future>
#include <thread>

#include <nlohmann/json.hpp>

#include "consumer_e2e.hpp"
#include "kok/kafka/config.hpp"
#include "kok/kafka/consumer.hpp"

namespace kok::consumer::e2e {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class Browse : public ConsumerE2E {};

// What a record says, without its timestamp (the broker's clock): partition, offset, key, value.
json summary(const json& records) {
  auto out = json::array();
  for (const auto& r : records) out.push_back({r.at("partition"), r.at("offset"), r.at("key"), r.at("value")});
  return out;
}

json records(HttpClient& http, const std::string& target) {
  const auto res = http.get(target);
  EXPECT_EQ(res.status, 200U) << target << ": " << res.body;
  EXPECT_EQ(res.header("Content-Type"), "application/json");
  return json::parse(res.body);
}

std::string iso_utc(std::int64_t ms) {
  const std::time_t seconds = ms / 1000;
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", text, static_cast<int>(ms % 1000));
  return out;
}

TEST_F(Browse, FromBeginningOffsetTimeAndEndThenTheGroupStillReadsFromZero) {
  const auto topic = make_topic("browse");
  for (int i = 0; i < 5; ++i) {
    produce(topic, "v" + std::to_string(i), "k" + std::to_string(i));
    std::this_thread::sleep_for(5ms);  // distinct timestamps for the time lookup
  }
  auto service = start_service();
  auto http = service->client();
  const auto base = "/consumer/" + topic + "/records";

  const auto all = records(http, base + "?from=beginning");
  json expected = json::array();
  for (int i = 0; i < 5; ++i) expected.push_back({0, i, "k" + std::to_string(i), "v" + std::to_string(i)});
  EXPECT_EQ(summary(all), expected);
  EXPECT_EQ(all.at(0).at("topic"), topic);
  EXPECT_EQ(summary(records(http, base)), expected) << "from defaults to the beginning";

  EXPECT_EQ(summary(records(http, base + "?from=2")), json(expected.begin() + 2, expected.end()));
  EXPECT_EQ(summary(records(http, base + "?from=1&max=2")), json(expected.begin() + 1, expected.begin() + 3));
  EXPECT_EQ(summary(records(http, base + "?from=99")), json::array()) << "past the end: nothing, not a reset";

  // A time: the first record written at or after it.
  const std::int64_t ts = all.at(3).at("timestamp");
  std::size_t first = 0;
  while (all.at(first).at("timestamp").get<std::int64_t>() < ts) ++first;
  const json from_time(expected.begin() + static_cast<long>(first), expected.end());
  EXPECT_EQ(summary(records(http, base + "?from=" + std::to_string(ts) + "ms")), from_time);
  EXPECT_EQ(summary(records(http, base + "?from=" + iso_utc(ts))), from_time) << iso_utc(ts);

  const auto end = http.get(base + "?from=end");
  EXPECT_EQ(end.status, 200U);
  EXPECT_EQ(end.body, "[]");

  // Browsing committed nothing, neither for the service's group nor for the browse reader's own group name.
  kafka::Consumer probe{kafka::consumer_config(bootstrap_, group_)};
  for (const auto& group : {group_, group_ + ".browse"}) {
    const auto committed = probe.group_offsets(group, 5s);
    ASSERT_TRUE(committed) << committed.reason;
    EXPECT_TRUE(committed.value.empty()) << group;
  }
  // Browsing took nothing: the group's first read is still offset 0.
  const auto next = http.get("/" + topic);
  EXPECT_EQ(next.status, 200U);
  EXPECT_EQ(next.body, "offset: 0 key: k0 value: v0");
}

TEST_F(Browse, TakesNothingFromANamedReaderHoldingABatch) {
  const auto topic = make_topic("held");
  for (int i = 0; i < 4; ++i) produce(topic, "h" + std::to_string(i));
  auto service = start_service();
  auto http = service->client();
  const auto batch = http.get("/consumer/" + topic + "?reader=r1&max=2", {{"Accept", "application/json"}});
  ASSERT_EQ(batch.status, 200U);
  EXPECT_EQ(json::parse(batch.body).size(), 2U);
  EXPECT_EQ(records(http, "/consumer/" + topic + "/records").size(), 4U);
  // The reader's batch is still its own (unacknowledged), and the next reader gets offset 2: nothing was moved.
  const auto next = http.get("/" + topic);
  EXPECT_EQ(next.body, "offset: 2 key:  value: h2");
}

TEST_F(Browse, EveryPartitionOrOne) {
  const auto topic = make_topic("parts", 3);
  for (int p = 0; p < 3; ++p) {
    for (int i = 0; i < 2; ++i) produce(topic, "p" + std::to_string(p) + "-" + std::to_string(i), {}, {}, p);
  }
  auto service = start_service();
  auto http = service->client();
  const auto base = "/consumer/" + topic + "/records";
  json expected = json::array();
  for (int p = 0; p < 3; ++p) {
    for (int i = 0; i < 2; ++i) expected.push_back({p, i, nullptr, "p" + std::to_string(p) + "-" + std::to_string(i)});
  }
  EXPECT_EQ(summary(records(http, base)), expected);
  EXPECT_EQ(summary(records(http, base + "?partition=1")), json(expected.begin() + 2, expected.begin() + 4));
  EXPECT_EQ(summary(records(http, base + "?max=1")), json({expected[0], expected[2], expected[4]}))
      << "max is per partition";
  EXPECT_EQ(summary(records(http, base + "?partition=2&from=1")), json({expected[5]}));

  // At most CONSUMER_MAX_BATCH records in all: three partitions share three records.
  {
    auto small = start_service({{"CONSUMER_MAX_BATCH", "3"}});
    auto client = small->client();
    EXPECT_EQ(summary(records(client, base + "?max=2")), json({expected[0], expected[2], expected[4]}));
    EXPECT_EQ(summary(records(client, base + "?partition=1")), json(expected.begin() + 2, expected.begin() + 4));
  }

  const auto missing = http.get(base + "?partition=3");
  EXPECT_EQ(missing.status, 400U);
  EXPECT_EQ(missing.body, "partition 3 does not exist: topic '" + topic + "' has 3 (numbered from 0)\n");
}

TEST_F(Browse, FollowsAsServerSentEvents) {
  const auto topic = make_topic("follow");
  produce(topic, "before");
  auto service = start_service();
  auto reading = std::async(std::launch::async, [&] {
    auto http = service->client();
    return http.read_events("/consumer/" + topic + "/records", 2, {{"Accept", "text/event-stream"}});
  });
  // After the first event has had time to be sent: the second can only come from following the topic.
  std::this_thread::sleep_for(1500ms);
  produce(topic, "after");
  ASSERT_EQ(reading.wait_for(15s), std::future_status::ready);
  const auto events = reading.get();
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[0].id, "0:0");
  EXPECT_EQ(json::parse(events[0].data).at("value"), "before");
  EXPECT_EQ(events[1].id, "0:1");
  EXPECT_EQ(json::parse(events[1].data).at("value"), "after");
  // Following took nothing either.
  auto http = service->client();
  EXPECT_EQ(http.get("/" + topic).body, "offset: 0 key:  value: before");
}

TEST_F(Browse, AFollowerReconnectingWithLastEventIdContinuesAfterIt) {
  const auto topic = make_topic("refollow");
  for (int i = 0; i < 4; ++i) produce(topic, "r" + std::to_string(i));
  auto service = start_service();
  auto http = service->client();
  const auto target = "/consumer/" + topic + "/records?from=beginning";
  const auto events = http.read_events(target, 2, {{"Accept", "text/event-stream"}, {"Last-Event-ID", "0:1"}});
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[0].id, "0:2");
  EXPECT_EQ(events[1].id, "0:3");
  const auto bad = http.get(target, {{"Accept", "text/event-stream"}, {"Last-Event-ID", "x:y"}});
  EXPECT_EQ(bad.status, 400U);
  EXPECT_EQ(bad.body, "Last-Event-ID must be partition:offset, as sent in the event ids\n");
}

TEST_F(Browse, BadInputIsA400WithItsReasonAndAMissingTopicA404) {
  const auto topic = make_topic("bad");
  auto service = start_service();
  auto http = service->client();
  const auto base = "/consumer/" + topic + "/records";
  const std::string from_reason =
      "from must be beginning, end, an offset, a time as epoch milliseconds (e.g. 1733253600000ms) or an ISO-8601 "
      "time with its zone (e.g. 2024-12-03T19:20:00Z)\n";
  for (const auto* from : {"yesterday", "-1", "12x", "2026-12-03T19:00:00", "2026-02-30T00:00:00Z", "ms"}) {
    const auto res = http.get(base + "?from=" + from);
    EXPECT_EQ(res.status, 400U) << from;
    EXPECT_EQ(res.body, from_reason) << from;
  }
  for (const auto* max : {"0", "-3", "many"}) {
    const auto res = http.get(base + "?max=" + max);
    EXPECT_EQ(res.status, 400U) << max;
    EXPECT_EQ(res.body, "max must be a whole number of at least 1\n") << max;
  }
  const auto partition = http.get(base + "?partition=x");
  EXPECT_EQ(partition.status, 400U);
  EXPECT_EQ(partition.body, "partition must be a partition number (0 or more)\n");
  const auto missing = http.get("/consumer/" + test_support::unique_topic("nope") + "/records");
  EXPECT_EQ(missing.status, 404U);
  EXPECT_EQ(missing.body, "topic does not exist\n");
}

}  // namespace
}  // namespace kok::consumer::e2e

namespace kok::consumer::e2e {
namespace {

int threads_of(pid_t pid) {
  std::ifstream status{"/proc/" + std::to_string(pid) + "/status"};
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Threads:", 0) == 0) return std::stoi(line.substr(8));
  }
  return -1;
}

// A follower whose client left must not keep its reader (librdkafka's threads and connections): its wait ends at once.
TEST_F(Browse, AFollowerThatLeftReleasesItsReader) {
  const auto topic = make_topic("left");
  auto service = start_service();
  auto http = service->client();
  ASSERT_EQ(http.get("/consumer/" + topic + "/records").body, "[]");  // a reader opened and closed once
  const auto settle = [&](int expected) {
    int now = threads_of(service->pid());
    for (int i = 0; i < 100 && now != expected; ++i) {
      std::this_thread::sleep_for(50ms);
      now = threads_of(service->pid());
    }
    return now;
  };
  std::this_thread::sleep_for(500ms);
  const int baseline = threads_of(service->pid());
  ASSERT_GT(baseline, 0);

  // The follower waits on the empty topic; its reader's threads show; a message arrives, the client reads it and
  // closes its connection.
  auto reading = std::async(std::launch::async, [&] {
    auto follower = service->client();
    return follower.read_events("/consumer/" + topic + "/records", 1, {{"Accept", "text/event-stream"}});
  });
  int following = baseline;
  for (int i = 0; i < 500 && following <= baseline; ++i) {
    std::this_thread::sleep_for(10ms);
    following = threads_of(service->pid());
  }
  EXPECT_GT(following, baseline) << "the follower's reader has threads of its own";
  produce(topic, "one");
  ASSERT_EQ(reading.get().size(), 1U);
  EXPECT_EQ(settle(baseline), baseline) << "the reader was not released within 5 s of the client leaving";
}

}  // namespace
}  // namespace kok::consumer::e2e
