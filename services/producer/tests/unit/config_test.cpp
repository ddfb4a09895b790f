#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "producer_config.hpp"

namespace kok::producer {
namespace {

using namespace std::chrono_literals;

ProducerConfig parse(std::vector<const char*> args, std::map<std::string, std::string> env = {}) {
  ProducerConfig config;
  service::Options options("kok-producer", "Test.");
  add_producer_options(options, config);
  args.insert(args.begin(), "kok-producer");
  std::ostringstream out;
  options.parse(static_cast<int>(args.size()), args.data(), out, [&env](const char* name) -> const char* {
    const auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
  return config;
}

TEST(ProducerConfig, Defaults) {
  const auto c = parse({});
  EXPECT_EQ(c.common.http.port, 8070);
  EXPECT_EQ(c.produce_timeout, 15s);
  EXPECT_EQ(c.common.http.body_limit, 1024U * 1024U);
}

TEST(ProducerConfig, FromEnvironmentAndFlags) {
  const auto c = parse({"--produce-timeout", "3s", "--body-limit=2MiB"},
                       {{"KAFKAURL", "kafka-0:9092"}, {"HTTP_PORT", "18070"}, {"PRODUCE_TIMEOUT", "9s"}});
  EXPECT_EQ(c.common.bootstrap_servers, "kafka-0:9092");
  EXPECT_EQ(c.common.http.port, 18070);
  EXPECT_EQ(c.produce_timeout, 3s);
  EXPECT_EQ(c.common.http.body_limit, 2U * 1024U * 1024U);
}

TEST(ProducerConfig, RejectsNonsense) {
  EXPECT_THROW(parse({"--produce-timeout", "0s"}), service::ConfigError);
  EXPECT_THROW(parse({}, {{"HTTP_PORT", "eighty"}}), service::ConfigError);
}

TEST(ProducerConfig, LocalQueueIsAQuarterOfTheMemoryLimit) {
  EXPECT_EQ(local_queue_kbytes(std::uint64_t{256} << 20), 65536U);  // the Deployment's 256 Mi: 64 MiB
  EXPECT_EQ(local_queue_kbytes(std::uint64_t{1} << 30), 262144U);
  EXPECT_EQ(local_queue_kbytes(std::nullopt), 65536U);  // no cgroup limit: as for the Deployment
}

}  // namespace
}  // namespace kok::producer
