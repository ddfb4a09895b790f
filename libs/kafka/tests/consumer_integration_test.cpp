#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "kok/kafka/admin.hpp"
#include "kok/kafka/consumer.hpp"
#include "kok/kafka/error.hpp"
#include "kok/kafka/producer.hpp"
#include "kok/kafka/queue_wakeup.hpp"
#include "test_cluster.hpp"

namespace kok::kafka {
namespace {

using namespace std::chrono_literals;
using testing::bootstrap_servers;
using testing::unique_topic;

class ConsumerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    KOK_REQUIRE_CLUSTER();
    admin_ = std::make_unique<Admin>(admin_config(bootstrap_servers()));
    producer_ = std::make_unique<Producer>(producer_config(bootstrap_servers()));
    topic_ = unique_topic("consume");
    auto r = admin_->create_topic({topic_, 2, 3, {}});
    ASSERT_TRUE(r) << r.reason;
  }
  std::vector<Message> read(Consumer& c, std::size_t n) {
    std::vector<Message> out;
    const auto deadline = std::chrono::steady_clock::now() + 15s;
    while (out.size() < n && std::chrono::steady_clock::now() < deadline) {
      auto m = c.poll(100ms);
      EXPECT_TRUE(m) << m.reason;
      if (m && m.value) out.push_back(*m.value);
    }
    return out;
  }
  std::unique_ptr<Admin> admin_;
  std::unique_ptr<Producer> producer_;
  std::string topic_;
};

TEST_F(ConsumerTest, ResumesFromCommittedOffsets) {
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(producer_->produce_sync(topic_, std::nullopt, std::to_string(i), {}, 0));
  const auto group = unique_topic("group");
  {
    Consumer c{consumer_config(bootstrap_servers(), group)};
    auto parts = c.partitions(topic_, 5s);
    ASSERT_TRUE(parts) << parts.reason;
    EXPECT_EQ(parts.value, (std::vector<std::int32_t>{0, 1}));
    ASSERT_FALSE(c.assign(topic_, parts.value));
    auto got = read(c, 10);
    ASSERT_EQ(got.size(), 10U);
    for (std::size_t i = 0; i < got.size(); ++i) EXPECT_EQ(got[i].offset, static_cast<std::int64_t>(i));
    ASSERT_FALSE(c.commit({{topic_, 0, 4}}, Consumer::CommitMode::sync));
    auto committed = c.committed(topic_, {0, 1}, 5s);
    ASSERT_TRUE(committed) << committed.reason;
    EXPECT_EQ(committed.value[0].offset, 4);
    EXPECT_EQ(committed.value[1].offset, offset_committed);
    auto marks = c.query_watermarks(topic_, 0, 5s);
    ASSERT_TRUE(marks) << marks.reason;
    EXPECT_EQ(marks.value.high, 10);
  }
  Consumer again{consumer_config(bootstrap_servers(), group)};
  ASSERT_FALSE(again.assign(topic_, {0, 1}));
  auto rest = read(again, 6);
  ASSERT_EQ(rest.size(), 6U);
  EXPECT_EQ(rest.front().offset, 4);
  EXPECT_EQ(rest.back().offset, 9);
}

TEST_F(ConsumerTest, AsyncCommitReportsItsResult) {
  ASSERT_TRUE(producer_->produce_sync(topic_, std::nullopt, "x", {}, 0));
  const auto group = unique_topic("group");
  Consumer c{consumer_config(bootstrap_servers(), group)};
  ASSERT_FALSE(c.assign(topic_, {0, 1}));
  ASSERT_EQ(read(c, 1).size(), 1U);
  EXPECT_FALSE(c.poll_commit_result().has_value());
  ASSERT_FALSE(c.commit({{topic_, 0, 1}}, Consumer::CommitMode::async));
  std::optional<std::error_code> result;
  for (int i = 0; i < 100 && !result; ++i) {
    std::this_thread::sleep_for(50ms);
    result = c.poll_commit_result();
  }
  ASSERT_TRUE(result.has_value());
  EXPECT_FALSE(*result) << result->message();
  Consumer other{consumer_config(bootstrap_servers(), group)};
  auto committed = other.committed(topic_, {0}, 5s);
  ASSERT_TRUE(committed) << committed.reason;
  EXPECT_EQ(committed.value[0].offset, 1);
}

TEST_F(ConsumerTest, UnknownTopicHasNoPartitions) {
  Consumer c{consumer_config(bootstrap_servers(), unique_topic("group"))};
  auto parts = c.partitions(unique_topic("missing"), 5s);
  ASSERT_FALSE(parts);
  EXPECT_TRUE(is_unknown_topic(parts.error)) << parts.error.message();
}

TEST_F(ConsumerTest, WakeupFiresWhenAMessageArrives) {
  boost::asio::io_context io;
  QueueWakeup wakeup{io.get_executor()};
  Consumer c{consumer_config(bootstrap_servers(), unique_topic("group"))};
  c.enable_queue_wakeup(wakeup.notify_fd());
  ASSERT_FALSE(c.assign(topic_, {0, 1}));

  std::optional<Message> received;
  std::chrono::steady_clock::time_point acknowledged_at;
  std::chrono::steady_clock::time_point received_at;
  std::function<void(boost::system::error_code, std::size_t)> on_wake = [&](boost::system::error_code ec, std::size_t) {
    ASSERT_FALSE(ec);
    wakeup.drain();
    for (;;) {  // drain the queue completely: only the empty → non-empty transition is signalled
      auto m = c.poll();
      ASSERT_TRUE(m) << m.reason;
      if (!m.value) break;
      received = *m.value;
      received_at = std::chrono::steady_clock::now();
    }
    if (!received) wakeup.async_wait(on_wake);
  };
  while (c.poll().value) {
  }
  wakeup.async_wait(on_wake);
  std::thread producer_thread([&] {
    std::this_thread::sleep_for(500ms);
    EXPECT_TRUE(producer_->produce_sync(topic_, "k", "woke", {}, 1));
    // From the acknowledgement (the message is readable from then on), not from the send: acks=all on a loaded
    // machine is the brokers' time, not the wakeup's.
    acknowledged_at = std::chrono::steady_clock::now();
  });
  boost::asio::steady_timer guard{io, 20s};
  guard.async_wait([&](boost::system::error_code) { wakeup.cancel(); });
  while (!received && io.run_one()) {
  }
  producer_thread.join();
  ASSERT_TRUE(received.has_value());
  EXPECT_EQ(received->value, "woke");
  const auto latency = received_at - acknowledged_at;  // negative when the fetch beat the acknowledgement
  EXPECT_LT(latency, 2s);
  c.close();
}

}  // namespace
}  // namespace kok::kafka
