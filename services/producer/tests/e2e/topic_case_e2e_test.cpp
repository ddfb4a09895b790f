// Topic names that differ only in case ("Demo", "demo") share one directory on a case-insensitive file system, where
// the broker then fails its log directory: POST /topic/{t} and POST /topics/{t} refuse such a name with 409 and the
// reason, on every platform. The real producer, the real cluster.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <thread>

#include "producer_fixture.hpp"

namespace kok::producer::e2e {
namespace {

std::string lower(std::string name) {
  std::ranges::transform(name, name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name;
}

std::string conflict_body(const std::string& asked, const std::string& existing) {
  return "topic '" + asked + "' differs from the existing '" + existing +
         "' only in case: on case-insensitive file systems (macOS, Windows) both would share one directory\n";
}

std::vector<std::string> topics_in_kafka() {
  kafka::Admin admin(kafka::admin_config(test_support::kafka_bootstrap_servers()));
  const auto listed = admin.list_topics();
  EXPECT_TRUE(listed.ok()) << listed.reason;
  return listed.value;
}

bool in_kafka(const std::string& topic) {
  const auto names = topics_in_kafka();
  return std::ranges::find(names, topic) != names.end();
}

TEST(TopicCaseConflict, ACaseVariantOfAnExistingTopicIs409WithTheReason) {
  const auto topic = test_support::unique_topic("Demo-case");
  const auto variant = lower(topic);
  create_topic(topic);
  auto c = client();

  const auto seed = c.post("/topic/" + variant, "");
  EXPECT_EQ(seed.status, 409U);
  EXPECT_EQ(seed.body, conflict_body(variant, topic));
  const auto json = c.post("/topics/" + variant, "");
  EXPECT_EQ(json.status, 409U);
  EXPECT_EQ(json.body, conflict_body(variant, topic));
  EXPECT_FALSE(in_kafka(variant));

  // The exact name is the topic itself: still there, still usable.
  const auto again = c.post("/topic/" + topic, "");
  EXPECT_EQ(again.status, 200U);
  EXPECT_EQ(again.body, "Topic " + topic + " already exists");
  EXPECT_EQ(c.post("/topics/" + topic, "").status, 409U);
  const auto sent = c.post("/message/" + topic, "still works");
  EXPECT_EQ(sent.status, 200U) << sent.body;
  const auto messages = read_back(topic, 1);
  ASSERT_EQ(messages.size(), 1U);
  EXPECT_EQ(messages[0].value, "still works");
}

TEST(TopicCaseConflict, ATopicMadeByAnotherClientIsSeenToo) {
  const auto topic = test_support::unique_topic("Direct-case");
  kafka::Admin admin(kafka::admin_config(test_support::kafka_bootstrap_servers()));
  kafka::NewTopic spec;
  spec.name = topic;
  const auto made = admin.create_topic(spec);
  ASSERT_TRUE(made.ok()) << made.reason;
  auto c = client();
  // The service learns of it from a topic list: wait until the broker it asks has applied the creation.
  for (int i = 0; i < 100 && c.get("/topics").body.find('"' + topic + '"') == std::string::npos; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
  }
  const auto variant = "DIRECT" + topic.substr(6);
  const auto res = c.post("/topics/" + variant, R"({"partitions": 2})", {{"Content-Type", "application/json"}});
  EXPECT_EQ(res.status, 409U);
  EXPECT_EQ(res.body, conflict_body(variant, topic));
  EXPECT_FALSE(in_kafka(variant));
}

TEST(TopicCaseConflict, ConcurrentCaseVariantsCreateOneTopic) {
  const auto base = test_support::unique_topic("race-case");
  const std::vector<std::string> variants{base, "R" + base.substr(1), "RACE" + base.substr(4), "rAcE" + base.substr(4)};
  std::vector<test_support::HttpResponse> answers(variants.size());
  (void)service();  // started once, before the threads share it
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < variants.size(); ++i) {
    threads.emplace_back([&, i] {
      auto c = client();
      answers[i] = c.post((i % 2 == 0 ? "/topic/" : "/topics/") + variants[i], "");
    });
  }
  for (auto& t : threads) t.join();

  std::size_t created = 0;
  std::string winner;
  for (std::size_t i = 0; i < variants.size(); ++i) {
    const bool ok = answers[i].status == 200U || answers[i].status == 201U;
    if (ok) {
      ++created;
      winner = variants[i];
    } else {
      EXPECT_EQ(answers[i].status, 409U) << variants[i] << ": " << answers[i].body;
    }
  }
  ASSERT_EQ(created, 1U);
  for (std::size_t i = 0; i < variants.size(); ++i) {
    if (variants[i] != winner) {
      EXPECT_EQ(answers[i].body, conflict_body(variants[i], winner));
    }
  }
  EXPECT_EQ(describe_in_kafka(winner).name, winner);
  for (const auto& v : variants) {
    if (v != winner) {
      EXPECT_FALSE(in_kafka(v)) << v;
    }
  }
}

}  // namespace
}  // namespace kok::producer::e2e
