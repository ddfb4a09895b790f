#include "kok/http/metrics.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace kok::http::metrics {
namespace {

TEST(Metrics, CounterExposition) {
  Registry r;
  auto& family = r.counter("requests_total", "Requests.", {"route", "status"});
  family.labels({"produce", "200"}).inc();
  family.labels({"produce", "200"}).inc(2);
  family.labels({"create", "404"}).inc();
  EXPECT_EQ(r.serialize(),
            "# HELP requests_total Requests.\n"
            "# TYPE requests_total counter\n"
            "requests_total{route=\"create\",status=\"404\"} 1\n"
            "requests_total{route=\"produce\",status=\"200\"} 3\n");
}

TEST(Metrics, GaugeWithoutLabels) {
  Registry r;
  auto& g = r.gauge("open_connections", "Open.").get();
  g.inc();
  g.inc();
  g.dec();
  g.set(g.value() + 0.5);
  EXPECT_EQ(r.serialize(), "# HELP open_connections Open.\n# TYPE open_connections gauge\nopen_connections 1.5\n");
}

TEST(Metrics, HistogramBucketsAreCumulative) {
  Registry r;
  auto& h = r.histogram("latency_seconds", "Latency.", {"route"}, {0.1, 1.0}).labels({"x"});
  h.observe(0.05);
  h.observe(0.1);  // le is inclusive
  h.observe(0.5);
  h.observe(7);
  EXPECT_EQ(r.serialize(),
            "# HELP latency_seconds Latency.\n"
            "# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{route=\"x\",le=\"0.1\"} 2\n"
            "latency_seconds_bucket{route=\"x\",le=\"1\"} 3\n"
            "latency_seconds_bucket{route=\"x\",le=\"+Inf\"} 4\n"
            "latency_seconds_sum{route=\"x\"} 7.65\n"
            "latency_seconds_count{route=\"x\"} 4\n");
}

TEST(Metrics, EscapesLabelValuesAndHelp) {
  Registry r;
  r.counter("c", "line1\nback\\slash", {"l"}).labels({"a\"b\\c\nd"}).inc();
  EXPECT_EQ(r.serialize(),
            "# HELP c line1\\nback\\\\slash\n"
            "# TYPE c counter\n"
            "c{l=\"a\\\"b\\\\c\\nd\"} 1\n");
}

TEST(Metrics, SameNameReturnsSameFamilyOrThrows) {
  Registry r;
  auto& a = r.counter("x_total", "X.", {"a"});
  auto& b = r.counter("x_total", "X.", {"a"});
  EXPECT_EQ(&a, &b);
  EXPECT_THROW(r.gauge("x_total", "X."), std::invalid_argument);
  EXPECT_THROW(r.counter("x_total", "X.", {"b"}), std::invalid_argument);
  EXPECT_THROW(r.counter("bad-name", "X."), std::invalid_argument);
  EXPECT_THROW(r.histogram("h", "H.", {"le"}), std::invalid_argument);
  EXPECT_THROW(r.histogram("h2", "H.", {}, {1.0, 0.5}), std::invalid_argument);
  EXPECT_THROW(a.labels({}), std::invalid_argument);
}

TEST(Metrics, FamiliesInRegistrationOrder) {
  Registry r;
  r.gauge("b", "B.");
  r.counter("a", "A.");
  const auto text = r.serialize();
  EXPECT_LT(text.find("# TYPE b gauge"), text.find("# TYPE a counter"));
}

TEST(Metrics, ConcurrentUpdatesAreNotLost) {
  Registry r;
  auto& family = r.counter("n_total", "N.", {"t"});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&family] {
      for (int i = 0; i < 10000; ++i) family.labels({"same"}).inc();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(family.labels({"same"}).value(), 40000.0);
}

}  // namespace
}  // namespace kok::http::metrics
