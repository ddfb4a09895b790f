// GET /consumer/{t}/offsets and GET /offsets — log ends, the group's committed offsets, lag.

#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "consumer_e2e.hpp"

namespace kok::consumer::e2e {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class Offsets : public ConsumerE2E {};

json get_json(HttpClient& http, const std::string& target) {
  const auto res = http.get(target);
  EXPECT_EQ(res.status, 200U) << target << ": " << res.body;
  return json::parse(res.body);
}

TEST_F(Offsets, LagMovesAsTheGroupReads) {
  const auto topic = make_topic("lag");
  for (int i = 0; i < 5; ++i) produce(topic, "m" + std::to_string(i));
  auto service = start_service();
  auto http = service->client();
  const auto target = "/consumer/" + topic + "/offsets";

  const json before = {{"topic", topic}, {"group", group_}, {"lag", 5},
                       {"partitions", {{{"partition", 0}, {"log_start", 0}, {"log_end", 5}, {"committed", nullptr},
                                        {"lag", 5}}}}};
  EXPECT_EQ(get_json(http, target), before) << "nothing committed yet: all five are behind";

  EXPECT_EQ(http.get("/" + topic).body, "offset: 0 key:  value: m0");
  EXPECT_EQ(http.get("/" + topic).body, "offset: 1 key:  value: m1");
  const json after = {{"topic", topic}, {"group", group_}, {"lag", 3},
                      {"partitions", {{{"partition", 0}, {"log_start", 0}, {"log_end", 5}, {"committed", 2},
                                       {"lag", 3}}}}};
  // Commits are asynchronous: wait until the second one landed.
  json seen;
  for (const auto deadline = std::chrono::steady_clock::now() + 10s; std::chrono::steady_clock::now() < deadline;) {
    seen = get_json(http, target);
    if (seen == after) break;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(seen, after);

  // The whole group: this topic with the same numbers (the group is this test's own, so it is the only topic).
  json topic_entry = after;
  topic_entry.erase("group");
  EXPECT_EQ(get_json(http, "/offsets"), json({{"group", group_}, {"topics", {topic_entry}}}));
}

TEST_F(Offsets, MissingTopicIs404AndAGroupThatReadNothingHasNoTopics) {
  auto service = start_service();
  auto http = service->client();
  const auto missing = http.get("/consumer/" + test_support::unique_topic("nope") + "/offsets");
  EXPECT_EQ(missing.status, 404U);
  EXPECT_EQ(missing.body, "topic does not exist\n");
  EXPECT_EQ(get_json(http, "/offsets"), json({{"group", group_}, {"topics", json::array()}}));
  const auto bad = http.get("/consumer/bad%20name/offsets");
  EXPECT_EQ(bad.status, 400U);
}

}  // namespace
}  // namespace kok::consumer::e2e
