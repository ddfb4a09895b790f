// kok-window-produce: what Kafka itself gives a closed-loop client — WINDOW messages of 100 B in flight, each next one
// sent when one is acknowledged, with the producer service's own client settings (kafka::producer_config: acks=all,
// idempotence, linger.ms...). It is the Kafka side of "POST /message/{t} at WINDOW connections" without HTTP, so the
// two rows of bench/run.sh say how much of that row's latency is ours.
//
//   kok-window-produce BOOTSTRAP TOPIC WINDOW SECONDS [KEY=VALUE,...]   (the last as KAFKA_CLIENT_CONFIG)
//
// Prints the same line as bench/report.lua: "RESULT MESSAGES ERRORS 0 P50 P99 MAX DURATION" (microseconds), over
// SECONDS after one second of warm-up.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>

#include "kok/kafka/config.hpp"
#include "kok/kafka/producer.hpp"
#include "kok/service/common_config.hpp"

namespace {

using Clock = std::chrono::steady_clock;

long long micros(Clock::duration d) { return std::chrono::duration_cast<std::chrono::microseconds>(d).count(); }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: %s BOOTSTRAP TOPIC WINDOW SECONDS [KEY=VALUE,...]\n", argv[0]);
    return 2;
  }
  const std::string topic = argv[2];
  const int window = std::max(1, std::atoi(argv[3]));
  const auto seconds = std::chrono::seconds{std::max(1, std::atoi(argv[4]))};
  boost::asio::io_context io;
  kok::kafka::ConfigMap config;
  try {
    config = kok::kafka::producer_config(argv[1], kok::service::parse_kafka_properties(argc > 5 ? argv[5] : ""));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  kok::kafka::Producer producer{config};
  const std::string value(100, 'x');

  const auto measure_from = Clock::now() + std::chrono::seconds{1};
  const auto stop_at = measure_from + seconds;
  std::vector<long long> latencies;
  long long errors = 0;
  std::function<void()> send = [&] {
    const auto sent = Clock::now();
    producer.async_produce(topic, std::nullopt, value, {},
                           boost::asio::bind_executor(io, [&, sent](std::error_code ec, kok::kafka::DeliveryReport) {
                             const auto now = Clock::now();
                             if (sent >= measure_from && now <= stop_at) {
                               latencies.push_back(micros(now - sent));
                               if (ec) ++errors;
                             }
                             if (now < stop_at) send();
                           }));
  };
  for (int i = 0; i < window; ++i) send();
  io.run();

  if (latencies.empty()) {
    std::fprintf(stderr, "no message was acknowledged\n");
    return 1;
  }
  std::sort(latencies.begin(), latencies.end());
  const auto rank = [&](double p) {
    const auto i = static_cast<std::size_t>(p / 100.0 * static_cast<double>(latencies.size()));
    return latencies[std::min(i, latencies.size() - 1)];
  };
  std::printf("RESULT %zu %lld 0 %lld %lld %lld %lld\n", latencies.size(), errors, rank(50), rank(99), latencies.back(),
              micros(seconds));
  return 0;
}
