// kok-kafka-produce: what Kafka itself gives, with the producer service's own client settings
// (kafka::producer_config: acks=all, idempotence, linger.ms...) and no HTTP — the Kafka side printed beside an HTTP
// produce row of bench/run.sh, so the two rows say how much of that row's latency is ours.
//
//   kok-kafka-produce BOOTSTRAP TOPIC window N SECONDS [KEY=VALUE,...]  closed loop: N messages of 100 B in flight,
//                                                                       the next one sent when one is acknowledged
//   kok-kafka-produce BOOTSTRAP TOPIC rate R SECONDS [KEY=VALUE,...]    open loop: R messages of 100 B per second, each
//                                                                       sent on schedule whatever is still in flight
// (the last argument as KAFKA_CLIENT_CONFIG). Measures SECONDS after one second of warm-up at the same load; every
// message sent in that span counts, whenever its acknowledgement comes. Prints the result line read_result in
// bench/run.sh reads.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "kok/kafka/config.hpp"
#include "kok/kafka/producer.hpp"
#include "kok/service/common_config.hpp"

namespace {

using Clock = std::chrono::steady_clock;

long long micros(Clock::duration d) { return std::chrono::duration_cast<std::chrono::microseconds>(d).count(); }

struct Load {
  bool open_loop = false;
  double amount = 0;  // messages in flight (closed loop) or per second (open loop)
};

// What the measured span saw: one latency per message sent in it, and how many of those failed.
struct Sample {
  std::vector<long long> latencies;  // microseconds, acknowledged or failed
  long long failed = 0;

  // Nearest rank, as bench/vegeta_summary.py computes it.
  long long rank(double p) const {
    const auto n = static_cast<double>(latencies.size());
    const auto i = static_cast<std::size_t>(std::max(0.0, std::ceil(p / 100.0 * n) - 1));
    return latencies[std::min(i, latencies.size() - 1)];
  }
};

void print_result(Sample& sample, std::chrono::seconds span) {
  std::sort(sample.latencies.begin(), sample.latencies.end());
  const auto count = static_cast<long long>(sample.latencies.size());
  const double seconds = static_cast<double>(span.count());
  std::printf("RESULT %lld %lld 0 %.1f %.1f %lld %lld %lld %lld\n", count, sample.failed,
              static_cast<double>(count) / seconds, static_cast<double>(count - sample.failed) / seconds,
              sample.rank(50), sample.rank(99), sample.rank(99.9), sample.latencies.back());
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 3 ? argv[3] : "";
  if (argc < 6 || (mode != "window" && mode != "rate") || std::atof(argv[4]) <= 0 || std::atoi(argv[5]) <= 0) {
    std::fprintf(stderr, "usage: %s BOOTSTRAP TOPIC window|rate N SECONDS [KEY=VALUE,...]\n", argv[0]);
    return 2;
  }
  const std::string topic = argv[2];
  const Load load{mode == "rate", std::atof(argv[4])};
  const auto span = std::chrono::seconds{std::atoi(argv[5])};
  boost::asio::io_context io;
  kok::kafka::ConfigMap config;
  try {
    config = kok::kafka::producer_config(argv[1], kok::service::parse_kafka_properties(argc > 6 ? argv[6] : ""));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 2;
  }
  kok::kafka::Producer producer{config};
  const std::string value(100, 'x');

  const auto measure_from = Clock::now() + std::chrono::seconds{1};
  const auto stop_at = measure_from + span;
  Sample sample;
  // send(then): one message; `then` runs once it is acknowledged or has failed.
  const auto send = [&](std::function<void()> then) {
    const auto sent = Clock::now();
    producer.async_produce(topic, std::nullopt, value, {},
                           boost::asio::bind_executor(io, [&, sent, then](std::error_code ec, kok::kafka::DeliveryReport) {
                             if (sent >= measure_from && sent < stop_at) {
                               sample.latencies.push_back(micros(Clock::now() - sent));
                               if (ec) ++sample.failed;
                             }
                             if (then) then();
                           }));
  };

  boost::asio::steady_timer timer{io};
  std::function<void()> keep_window = [&] {
    if (Clock::now() < stop_at) send(keep_window);
  };
  const auto interval = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(1.0 / load.amount));
  auto next_send = Clock::now();
  std::function<void()> on_schedule = [&] {
    for (const auto now = Clock::now(); next_send <= now && next_send < stop_at; next_send += interval) send(nullptr);
    if (next_send >= stop_at) return;
    timer.expires_at(next_send);
    timer.async_wait([&](boost::system::error_code) { on_schedule(); });
  };
  if (load.open_loop) {
    on_schedule();
  } else {
    for (int i = 0; i < static_cast<int>(load.amount); ++i) send(keep_window);
  }
  io.run();

  if (sample.latencies.empty()) {
    std::fprintf(stderr, "no message was sent in the measured span\n");
    return 1;
  }
  print_result(sample, span);
  return 0;
}
