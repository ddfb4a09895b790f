#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "kok/kafka/admin.hpp"
#include "kok/kafka/error.hpp"
#include "test_cluster.hpp"

namespace kok::kafka {
namespace {

using testing::bootstrap_servers;
using testing::unique_topic;

class AdminTest : public ::testing::Test {
 protected:
  void SetUp() override {
    KOK_REQUIRE_CLUSTER();
    admin_ = std::make_unique<Admin>(admin_config(bootstrap_servers()));
  }
  std::unique_ptr<Admin> admin_;
};

TEST_F(AdminTest, ClusterHasThreeBrokers) {
  auto info = admin_->cluster_info();
  ASSERT_TRUE(info) << info.reason;
  EXPECT_EQ(info.value.brokers.size(), 3U);
}

TEST_F(AdminTest, CreateDescribeExistsListDelete) {
  const auto name = unique_topic("admin");
  auto created = admin_->create_topic({name, 3, 3, {{"retention.ms", "3600000"}}});
  ASSERT_TRUE(created) << created.reason;
  EXPECT_EQ(created.value, TopicCreation::created);

  auto again = admin_->create_topic({name, 3, 3, {}});
  ASSERT_TRUE(again) << again.reason;
  EXPECT_EQ(again.value, TopicCreation::already_exists);

  auto desc = admin_->describe_topic(name);
  ASSERT_TRUE(desc) << desc.reason;
  ASSERT_EQ(desc.value.partitions.size(), 3U);
  for (const auto& p : desc.value.partitions) {
    EXPECT_EQ(p.replicas.size(), 3U);
    EXPECT_FALSE(p.isr.empty());
  }
  const auto retention = std::find_if(desc.value.configs.begin(), desc.value.configs.end(),
                                      [](const auto& c) { return c.name == "retention.ms"; });
  ASSERT_NE(retention, desc.value.configs.end());
  EXPECT_EQ(retention->value, "3600000");
  EXPECT_FALSE(retention->is_default);

  auto exists = admin_->topic_exists(name);
  ASSERT_TRUE(exists) << exists.reason;
  EXPECT_TRUE(exists.value);

  admin_->invalidate_cache();
  // Every broker learns about the new topic within moments (metadata propagation): allow for that.
  Result<std::vector<std::string>> listed;
  for (int attempt = 0; attempt < 40; ++attempt) {
    listed = admin_->list_topics();
    ASSERT_TRUE(listed) << listed.reason;
    if (std::binary_search(listed.value.begin(), listed.value.end(), name)) break;
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
  }
  EXPECT_TRUE(std::binary_search(listed.value.begin(), listed.value.end(), name));
  EXPECT_FALSE(std::any_of(listed.value.begin(), listed.value.end(),
                           [](const auto& t) { return t.starts_with("__"); }));
  EXPECT_EQ(admin_->cached_topic_exists(name), true);

  auto deleted = admin_->delete_topic(name);
  ASSERT_TRUE(deleted) << deleted.reason;
  EXPECT_TRUE(deleted.value);
}

TEST_F(AdminTest, MissingTopicIsUnknown) {
  const auto name = unique_topic("missing");
  auto desc = admin_->describe_topic(name);
  ASSERT_FALSE(desc);
  EXPECT_TRUE(is_unknown_topic(desc.error)) << desc.error.message();
  EXPECT_TRUE(desc.error == ErrorKind::unknown_topic);

  auto exists = admin_->topic_exists(name);
  ASSERT_TRUE(exists) << exists.reason;
  EXPECT_FALSE(exists.value);
}

TEST_F(AdminTest, ACreatedTopicIsVisibleWithALeaderForEveryPartition) {
  const auto name = unique_topic("visible");
  auto created = admin_->create_topic({name, 3, 3, {}});
  ASSERT_TRUE(created) << created.reason;
  // No waiting here: create_topic returned once the topic was visible, and one metadata request shows it led.
  auto parts = admin_->partitions(name);
  ASSERT_TRUE(parts) << parts.reason;
  ASSERT_EQ(parts.value.size(), 3U);
  for (const auto& p : parts.value) EXPECT_GE(p.leader, 0) << "partition " << p.id;
  (void)admin_->delete_topic(name);
}

TEST_F(AdminTest, ATopicCreatedByAnotherClientIsNotRefusedByAStaleCache) {
  const auto name = unique_topic("elsewhere");
  // This client's snapshot of the topic list is taken just before the topic exists.
  auto listed = admin_->list_topics();
  ASSERT_TRUE(listed) << listed.reason;
  EXPECT_FALSE(std::binary_search(listed.value.begin(), listed.value.end(), name));
  Admin other{admin_config(bootstrap_servers())};
  auto created = other.create_topic({name, 1, 3, {}});
  ASSERT_TRUE(created) << created.reason;
  // Asked at once, well inside the snapshot's life: a list that lacks a name is never taken as "no" by itself.
  auto after = admin_->topic_exists(name);
  ASSERT_TRUE(after) << after.reason;
  EXPECT_TRUE(after.value);
  (void)other.delete_topic(name);
}

TEST_F(AdminTest, BadRequestsCarryReasons) {
  auto bad_name = admin_->create_topic({"no spaces", 1, 3, {}});
  ASSERT_FALSE(bad_name);
  EXPECT_EQ(classify(bad_name.error), ErrorKind::invalid_topic);
  EXPECT_FALSE(bad_name.reason.empty());

  auto too_many_replicas = admin_->create_topic({unique_topic("rf"), 1, 5, {}});
  ASSERT_FALSE(too_many_replicas);
  EXPECT_EQ(classify(too_many_replicas.error), ErrorKind::invalid_request) << too_many_replicas.error.message();
  EXPECT_FALSE(too_many_replicas.reason.empty());

  auto bad_config = admin_->create_topic({unique_topic("cfg"), 1, 3, {{"retention.ms", "soon"}}});
  ASSERT_FALSE(bad_config);
  EXPECT_EQ(classify(bad_config.error), ErrorKind::invalid_request) << bad_config.error.message();
}

boost::asio::awaitable<void> create_then_exists(Admin& admin, std::string name, Result<TopicCreation>& created,
                                                Result<bool>& exists) {
  // A named object, not a temporary inside the co_await expression: GCC 12 destroys such temporaries twice.
  NewTopic spec{name, 1, 3, {}};
  created = co_await admin.async_create_topic(std::move(spec), boost::asio::use_awaitable);
  exists = co_await admin.async_topic_exists(name, boost::asio::use_awaitable);
}

TEST_F(AdminTest, AsyncOperationsCompleteOnTheCallersExecutor) {
  boost::asio::io_context io;
  const auto name = unique_topic("async");
  Result<TopicCreation> created;
  Result<bool> exists;
  boost::asio::co_spawn(io, create_then_exists(*admin_, name, created, exists), boost::asio::detached);
  io.run();
  ASSERT_TRUE(created) << created.reason;
  EXPECT_EQ(created.value, TopicCreation::created);
  ASSERT_TRUE(exists) << exists.reason;
  EXPECT_TRUE(exists.value);
  (void)admin_->delete_topic(name);
}

TEST_F(AdminTest, ABurstOfLookupsOfMissingTopicsDoesNotHoldUpACreation) {
  // Each unknown name's "no" is confirmed over missing_confirm (300 ms); the admin has two threads. Were they held
  // for those pauses, 200 lookups would queue the creation behind them for seconds (31 s measured).
  boost::asio::io_context io;
  const auto prefix = unique_topic("burst-missing");
  constexpr int kLookups = 200;
  int answered = 0;
  int said_no = 0;
  for (int i = 0; i < kLookups; ++i) {
    admin_->async_topic_exists(prefix + "-" + std::to_string(i),
                               boost::asio::bind_executor(io, [&](const Result<bool>& exists) {
                                 ++answered;
                                 if (exists.ok() && !exists.value) ++said_no;
                               }));
  }
  const auto started = std::chrono::steady_clock::now();
  std::chrono::steady_clock::duration took{};
  Result<TopicCreation> created;
  const auto name = unique_topic("burst-created");
  admin_->async_create_topic(NewTopic{name, 1, 3, {}}, boost::asio::bind_executor(io, [&](Result<TopicCreation> r) {
                               took = std::chrono::steady_clock::now() - started;
                               created = std::move(r);
                             }));
  io.run();
  ASSERT_TRUE(created) << created.reason;
  EXPECT_EQ(created.value, TopicCreation::created);
  EXPECT_LT(took, std::chrono::seconds{3});
  EXPECT_EQ(answered, kLookups);
  EXPECT_EQ(said_no, kLookups);
  (void)admin_->delete_topic(name);
}

}  // namespace
}  // namespace kok::kafka
