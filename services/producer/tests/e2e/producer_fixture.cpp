#include "producer_fixture.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <thread>

#include "kok/kafka/config.hpp"
#include "kok/kafka/consumer.hpp"

namespace kok::producer::e2e {

namespace {

std::unique_ptr<test_support::ServiceProcess>& instance() {
  static std::unique_ptr<test_support::ServiceProcess> process;
  return process;
}

// Stops the service after the last test: a graceful SIGTERM must end with exit code 0.
class StopServiceAtEnd : public ::testing::Environment {
 public:
  void TearDown() override {
    auto& process = instance();
    if (!process) return;
    EXPECT_EQ(process->stop(), 0) << process->log();
    process.reset();
  }
};

[[maybe_unused]] auto* const environment = ::testing::AddGlobalTestEnvironment(new StopServiceAtEnd);

}  // namespace

test_support::ServiceProcess& service() {
  auto& process = instance();
  if (!process) {
    test_support::ServiceOptions options;
    options.binary = KOK_PRODUCER_BINARY;
    options.env = {{"KAFKA_BOOTSTRAP_SERVERS", test_support::kafka_bootstrap_servers()}, {"LOG_LEVEL", "info"}};
    process = std::make_unique<test_support::ServiceProcess>(options);
  }
  return *process;
}

HttpClient client() { return service().client(std::chrono::seconds{40}); }

void create_topic(const std::string& topic) {
  auto c = client();
  const auto res = c.post("/topic/" + topic, "");
  ASSERT_EQ(res.status, 200U) << res.body;
  ASSERT_EQ(res.body, "Topic " + topic + " created");
}

std::vector<kafka::Message> read_back(const std::string& topic, std::size_t count, std::chrono::milliseconds timeout,
                                      std::int32_t partition) {
  kafka::Consumer consumer(kafka::consumer_config(test_support::kafka_bootstrap_servers(), test_support::unique_topic("readback")));
  std::vector<kafka::TopicPartitionOffset> from_start{{topic, partition, kafka::offset_beginning}};
  EXPECT_FALSE(consumer.assign(from_start));
  std::vector<kafka::Message> messages;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (messages.size() < count && std::chrono::steady_clock::now() < deadline) {
    auto polled = consumer.poll(std::chrono::milliseconds{200});
    if (!polled.ok()) {
      ADD_FAILURE() << "poll: " << polled.reason;
      break;
    }
    if (polled.value) messages.push_back(std::move(*polled.value));
  }
  consumer.close();
  return messages;
}

kafka::TopicDescription describe_in_kafka(const std::string& topic) {
  kafka::Admin admin(kafka::admin_config(test_support::kafka_bootstrap_servers()));
  // A broker other than the one that answered the creation may need a moment to know the topic.
  auto result = admin.describe_topic(topic);
  for (int i = 0; i < 50 && !result.ok(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds{100});
    result = admin.describe_topic(topic);
  }
  EXPECT_TRUE(result.ok()) << result.reason;
  return result.value;
}

}  // namespace kok::producer::e2e
