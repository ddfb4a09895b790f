#include "consumer_e2e.hpp"

#include <atomic>
#include <chrono>
#include <limits>
#include <thread>

namespace kok::consumer::e2e {

void ConsumerE2E::SetUp() {
  bootstrap_ = test_support::kafka_bootstrap_servers();
  group_ = test_support::unique_topic("group");
  admin_ = std::make_unique<kafka::Admin>(kafka::admin_config(bootstrap_));
  producer_ = std::make_unique<kafka::Producer>(kafka::producer_config(bootstrap_));
}

std::unique_ptr<ServiceProcess> ConsumerE2E::start_service(std::vector<std::pair<std::string, std::string>> env) {
  test_support::ServiceOptions options;
  options.binary = KOK_CONSUMER_BINARY;
  options.env = {{"KAFKA_BOOTSTRAP_SERVERS", bootstrap_}, {"CONSUMER_GROUP", group_}, {"LOG_LEVEL", "info"}};
  for (auto& e : env) options.env.push_back(std::move(e));
  return std::make_unique<ServiceProcess>(std::move(options));
}

std::string ConsumerE2E::make_topic(std::string_view prefix, int partitions) {
  auto name = test_support::unique_topic(prefix);
  auto created = admin_->create_topic({name, partitions, 3, {}});
  EXPECT_TRUE(created) << created.reason;
  return name;
}

std::int64_t ConsumerE2E::produce(const std::string& topic, const std::string& value, std::optional<std::string> key,
                                  const kafka::Headers& headers, std::int32_t partition) {
  std::optional<std::string_view> key_view;
  if (key) key_view = *key;
  auto r = producer_->produce_sync(topic, key_view, value, headers, partition);
  EXPECT_TRUE(r) << r.reason;
  return r.value.offset;
}

void ConsumerE2E::produce_many(const std::string& topic, int count, const std::string& value_prefix) {
  struct Tally {
    std::atomic<int> done{0};
    std::atomic<int> failed{0};
  };
  // Shared: completions run on another thread and may outlive a failed assertion here.
  auto tally = std::make_shared<Tally>();
  for (int i = 0; i < count; ++i) {
    producer_->async_produce(topic, std::nullopt, value_prefix + std::to_string(i), kafka::Headers{},
                             [tally](std::error_code ec, kafka::DeliveryReport) {
                               if (ec) ++tally->failed;
                               ++tally->done;
                             });
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{60};
  while (tally->done.load() < count && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
  ASSERT_EQ(tally->done.load(), count);
  ASSERT_EQ(tally->failed.load(), 0);
}

std::int64_t offset_of(const std::string& text) {
  if (text.rfind("offset: ", 0) != 0) return -1;
  return std::stoll(text.substr(8));
}

double metric_value(const std::string& metrics_text, const std::string& series) {
  const auto at = metrics_text.find("\n" + series + " ");
  if (at == std::string::npos) return std::numeric_limits<double>::quiet_NaN();
  return std::stod(metrics_text.substr(at + series.size() + 2));
}

std::string value_of(const std::string& text) {
  const auto pos = text.find(" value: ");
  return pos == std::string::npos ? std::string{} : text.substr(pos + 8);
}

}  // namespace kok::consumer::e2e
