// GET /topics
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <thread>

#include "producer_fixture.hpp"

namespace kok::producer::e2e {
namespace {

TEST(ListTopics, ListsCreatedTopicsButNotInternalOnes) {
  const auto topic = test_support::unique_topic("list");
  create_topic(topic);
  auto c = client();
  std::vector<std::string> topics;
  // The list comes from one broker's metadata, which learns about a new topic a moment after its creation.
  for (int i = 0; i < 50; ++i) {
    const auto res = c.get("/topics");
    ASSERT_EQ(res.status, 200U);
    EXPECT_EQ(res.header("Content-Type"), "application/json");
    topics = nlohmann::json::parse(res.body).at("topics").get<std::vector<std::string>>();
    if (std::find(topics.begin(), topics.end(), topic) != topics.end()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
  }
  EXPECT_NE(std::find(topics.begin(), topics.end(), topic), topics.end());
  EXPECT_TRUE(std::none_of(topics.begin(), topics.end(), [](const auto& t) { return t.starts_with("__"); }));
  EXPECT_TRUE(std::is_sorted(topics.begin(), topics.end()));
}

TEST(ListTopics, WrongMethodIs405) {
  auto c = client();
  const auto res = c.post("/topics", "");
  EXPECT_EQ(res.status, 405U);
  EXPECT_EQ(res.header("Allow"), "GET");
}

}  // namespace
}  // namespace kok::producer::e2e
