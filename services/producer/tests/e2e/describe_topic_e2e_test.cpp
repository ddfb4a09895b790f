// GET /topics/{t}
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "producer_fixture.hpp"

namespace kok::producer::e2e {
namespace {

TEST(DescribeTopic, PartitionsLeaderReplicasIsrAndConfigs) {
  const auto topic = test_support::unique_topic("describe");
  create_topic(topic);
  auto c = client();
  const auto res = c.get("/topics/" + topic);
  ASSERT_EQ(res.status, 200U) << res.body;
  const auto j = nlohmann::json::parse(res.body);
  EXPECT_EQ(j["name"], topic);
  ASSERT_EQ(j["partitions"].size(), 1U);
  const auto& p = j["partitions"][0];
  EXPECT_EQ(p["partition"], 0);
  EXPECT_GE(p["leader"].get<int>(), 0);
  EXPECT_EQ(p["replicas"].size(), 3U);
  EXPECT_EQ(p["isr"].size(), 3U);
  EXPECT_EQ(j["configs"]["min.insync.replicas"], "2");
}

TEST(DescribeTopic, MissingIs404AndIllegalIs400) {
  auto c = client();
  const auto missing = c.get("/topics/" + test_support::unique_topic("describe-missing"));
  EXPECT_EQ(missing.status, 404U);
  EXPECT_EQ(missing.body, "topic does not exist\n");
  const auto json = c.get("/topics/" + test_support::unique_topic("describe-missing"), {{"Accept", "application/json"}});
  EXPECT_EQ(nlohmann::json::parse(json.body)["error"], "topic does not exist");
  EXPECT_EQ(c.get("/topics/bad%20name").status, 400U);
}

}  // namespace
}  // namespace kok::producer::e2e
