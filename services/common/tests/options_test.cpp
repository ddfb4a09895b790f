#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "kok/service/common_config.hpp"

namespace kok::service {
namespace {

using namespace std::chrono_literals;

struct Parsed {
  CommonConfig config;
  Options::Outcome outcome;
  std::string output;
};

Parsed parse(std::vector<const char*> args, std::map<std::string, std::string> env = {}) {
  Parsed p;
  p.config.http.port = 8070;
  Options options("kok-producer", "Test.");
  add_common_options(options, p.config);
  args.insert(args.begin(), "kok-producer");
  std::ostringstream out;
  p.outcome = options.parse(static_cast<int>(args.size()), args.data(), out, [&env](const char* name) -> const char* {
    const auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
  p.output = out.str();
  return p;
}

TEST(Options, DefaultsWithoutEnvOrFlags) {
  const auto p = parse({});
  EXPECT_EQ(p.outcome, Options::Outcome::run);
  EXPECT_EQ(p.config.bootstrap_servers, "localhost:9092");
  EXPECT_EQ(p.config.http.port, 8070);
  EXPECT_EQ(p.config.http.body_limit, 1024U * 1024U);
  EXPECT_EQ(p.config.log_level, "info");
}

TEST(Options, EnvironmentThenFlagsWin) {
  const auto p = parse({"--port", "9000", "--read-timeout=250ms"},
                       {{"KAFKA_BOOTSTRAP_SERVERS", "a:1,b:2"}, {"HTTP_PORT", "8000"}, {"HTTP_THREADS", "4"}});
  EXPECT_EQ(p.config.bootstrap_servers, "a:1,b:2");
  EXPECT_EQ(p.config.http.port, 9000);
  EXPECT_EQ(p.config.http.threads, 4U);
  EXPECT_EQ(p.config.http.read_timeout, 250ms);
}

TEST(Options, LegacyKafkaUrlIsAccepted) {
  EXPECT_EQ(parse({}, {{"KAFKAURL", "kafka:9092"}}).config.bootstrap_servers, "kafka:9092");
  // The new name wins over the legacy one.
  EXPECT_EQ(parse({}, {{"KAFKAURL", "old:1"}, {"KAFKA_BOOTSTRAP_SERVERS", "new:2"}}).config.bootstrap_servers, "new:2");
}

TEST(Options, BootstrapServersAreNormalized) {
  EXPECT_EQ(normalize_bootstrap_servers(" PLAINTEXT://k0:9092/, k1:9092 ,,"), "k0:9092,k1:9092");
  EXPECT_THROW(normalize_bootstrap_servers(" , "), ConfigError);
}

TEST(Options, KafkaClientConfigIsKeyValuePairsWhoseValuesMayHoldCommas) {
  const auto props = parse_kafka_properties("security.protocol=SASL_SSL, debug=broker,topic,msg,linger.ms=7");
  EXPECT_EQ(props, (kafka::ConfigMap{{"security.protocol", "SASL_SSL"}, {"debug", "broker,topic,msg"},
                                     {"linger.ms", "7"}}));
  EXPECT_TRUE(parse_kafka_properties("").empty());
  EXPECT_THROW(parse_kafka_properties("no-equals-sign"), ConfigError);
  EXPECT_THROW(parse_kafka_properties("=value"), ConfigError);
  EXPECT_EQ(parse({}, {{"KAFKA_CLIENT_CONFIG", "reconnect.backoff.max.ms=500"}}).config.kafka_overrides,
            (kafka::ConfigMap{{"reconnect.backoff.max.ms", "500"}}));
}

TEST(Options, HelpListsEveryOptionAndStops) {
  const auto p = parse({"--port", "not-a-number", "--help"});
  EXPECT_EQ(p.outcome, Options::Outcome::exit_success);
  for (const auto* text : {"--bootstrap-servers", "KAFKA_BOOTSTRAP_SERVERS", "KAFKAURL", "HTTP_PORT", "LOG_LEVEL",
                           "HTTP_BODY_LIMIT", "--drain-timeout", "(default: 8070)"}) {
    EXPECT_NE(p.output.find(text), std::string::npos) << text;
  }
}

TEST(Options, InvalidValuesAreReportedClearly) {
  try {
    parse({"--port", "70000"});
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("--port"), std::string::npos) << e.what();
  }
  EXPECT_THROW(parse({"--nope", "1"}), ConfigError);
  EXPECT_THROW(parse({"--port"}), ConfigError);
  EXPECT_THROW(parse({"stray"}), ConfigError);
  EXPECT_THROW(parse({}, {{"HTTP_READ_TIMEOUT", "5 parsecs"}}), ConfigError);
  EXPECT_THROW(parse({"--threads", "0"}), ConfigError);
}

TEST(Options, DurationsAndSizes) {
  EXPECT_EQ(parse_duration("250ms"), 250ms);
  EXPECT_EQ(parse_duration("15s"), 15s);
  EXPECT_EQ(parse_duration("15"), 15s);
  EXPECT_EQ(parse_duration("2m"), 120s);
  EXPECT_THROW(parse_duration("-1s"), ConfigError);
  EXPECT_THROW(parse_duration("s"), ConfigError);
  EXPECT_EQ(parse_positive_duration("250ms"), 250ms);
  EXPECT_THROW(parse_positive_duration("0s"), ConfigError);
  EXPECT_EQ(duration_text(15s), "15s");
  EXPECT_EQ(duration_text(250ms), "250ms");
  EXPECT_EQ(duration_text(1500ms), "1500ms");
  EXPECT_EQ(parse_size("1MiB"), 1048576U);
  EXPECT_EQ(parse_size("512KiB"), 524288U);
  EXPECT_EQ(parse_size("1000"), 1000U);
  EXPECT_THROW(parse_size("1GB"), ConfigError);
  EXPECT_EQ(parse_integer(" 42 ", 0, 100), 42);
  EXPECT_THROW(parse_integer("42x", 0, 100), ConfigError);
}

}  // namespace
}  // namespace kok::service

namespace kok::service {
namespace {

TEST(Options, AFlagDefinedTwiceIsRejected) {
  CommonConfig config;
  Options options("kok-consumer", "Test.");
  add_common_options(options, config);
  // The common options own --idle-timeout (HTTP keep-alive); a service reusing the name must fail loudly.
  EXPECT_THROW(options.add("idle-timeout", "OTHER_IDLE", "shadow", "1s", [](std::string_view) {}), std::logic_error);
}

}  // namespace
}  // namespace kok::service
