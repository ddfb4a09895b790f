// 500 produce requests at once: every one acknowledged, none lost, offsets distinct.
#include <gtest/gtest.h>

#include <latch>
#include <set>
#include <thread>

#include "producer_fixture.hpp"

namespace kok::producer::e2e {
namespace {

TEST(Concurrency, FiveHundredConcurrentProducesAllAcknowledged) {
  constexpr int requests = 500;
  const auto topic = test_support::unique_topic("concurrent");
  create_topic(topic);
  const auto port = service().port();

  std::latch connected(requests);
  std::vector<unsigned> statuses(requests, 0);
  std::vector<std::string> bodies(requests);
  std::vector<std::thread> threads;
  threads.reserve(requests);
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < requests; ++i) {
    threads.emplace_back([&, i] {
      test_support::HttpClient c("127.0.0.1", port, std::chrono::seconds{60});
      try {
        c.connect();
        connected.arrive_and_wait();  // all connections open, then all requests at once
        const auto res = c.post("/message/" + topic, "message-" + std::to_string(i));
        statuses[static_cast<std::size_t>(i)] = res.status;
        bodies[static_cast<std::size_t>(i)] = res.body;
      } catch (const std::exception& e) {
        bodies[static_cast<std::size_t>(i)] = e.what();
      }
    });
  }
  for (auto& t : threads) t.join();
  const auto elapsed = std::chrono::steady_clock::now() - started;
  std::cout << requests << " concurrent produces took "
            << std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count() << " ms\n";

  std::set<std::string> acknowledged;
  for (int i = 0; i < requests; ++i) {
    ASSERT_EQ(statuses[static_cast<std::size_t>(i)], 200U) << "request " << i << ": " << bodies[static_cast<std::size_t>(i)];
    acknowledged.insert(bodies[static_cast<std::size_t>(i)]);
  }
  // Each answer names a different offset.
  EXPECT_EQ(acknowledged.size(), static_cast<std::size_t>(requests));

  const auto messages = read_back(topic, requests, std::chrono::seconds{60});
  ASSERT_EQ(messages.size(), static_cast<std::size_t>(requests));
  std::set<std::string> values;
  std::set<std::int64_t> offsets;
  for (const auto& m : messages) {
    values.insert(m.value);
    offsets.insert(m.offset);
  }
  EXPECT_EQ(values.size(), static_cast<std::size_t>(requests));  // none lost, none duplicated
  EXPECT_EQ(offsets.size(), static_cast<std::size_t>(requests));
  for (int i = 0; i < requests; ++i) EXPECT_TRUE(values.contains("message-" + std::to_string(i))) << i;
}

}  // namespace
}  // namespace kok::producer::e2e
