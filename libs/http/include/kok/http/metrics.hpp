#pragma once
// A small Prometheus registry: counters, gauges and histograms with labels, exposed in the text format 0.0.4.
// No Prometheus C++ client is packaged for Debian bookworm, so this is kept deliberately minimal.
// Thread-safe: metric updates are lock-free atomics (histograms take a short lock); a metric reference returned by
// Family::labels() stays valid for the registry's lifetime, so hot paths can cache it.

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace kok::http::metrics {

using Labels = std::vector<std::string>;

class Counter {
 public:
  void inc(double amount = 1.0) noexcept { value_.fetch_add(amount, std::memory_order_relaxed); }
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class Gauge {
 public:
  void set(double value) noexcept { value_.store(value, std::memory_order_relaxed); }
  void inc(double amount = 1.0) noexcept { value_.fetch_add(amount, std::memory_order_relaxed); }
  void dec(double amount = 1.0) noexcept { value_.fetch_sub(amount, std::memory_order_relaxed); }
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

class Histogram {
 public:
  // `upper_bounds` ascending, without +Inf (added implicitly).
  explicit Histogram(std::vector<double> upper_bounds);
  void observe(double value);

  struct Snapshot {
    std::vector<std::uint64_t> cumulative_counts;  // one per bound, then +Inf
    double sum = 0.0;
    std::uint64_t count = 0;
  };
  Snapshot snapshot() const;
  const std::vector<double>& upper_bounds() const noexcept { return bounds_; }

 private:
  std::vector<double> bounds_;
  mutable std::mutex mutex_;
  std::vector<std::uint64_t> counts_;  // per bucket, not cumulative; last is +Inf
  double sum_ = 0.0;
};

// Latency buckets in seconds: 1 ms .. 30 s.
std::vector<double> default_latency_buckets();

// All series of one metric name, keyed by label values (in the order of the family's label names).
template <typename Metric>
class Family {
 public:
  Family(std::string name, std::string help, Labels label_names, std::function<std::unique_ptr<Metric>()> make)
      : name_(std::move(name)), help_(std::move(help)), label_names_(std::move(label_names)), make_(std::move(make)) {}

  // The series for these label values, created on first use. Throws std::invalid_argument on a count mismatch.
  Metric& labels(const Labels& values);
  // The series of an unlabelled metric.
  Metric& get() { return labels({}); }

  const std::string& name() const noexcept { return name_; }
  const std::string& help() const noexcept { return help_; }
  const Labels& label_names() const noexcept { return label_names_; }
  // Calls fn(label_values, metric) for each series, sorted by label values.
  template <typename Fn>
  void for_each(Fn&& fn) const {
    std::lock_guard lock(mutex_);
    for (const auto& [values, metric] : series_) fn(values, *metric);
  }

 private:
  std::string name_;
  std::string help_;
  Labels label_names_;
  std::function<std::unique_ptr<Metric>()> make_;
  mutable std::mutex mutex_;
  std::map<Labels, std::unique_ptr<Metric>> series_;
};

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // Registering the same name again returns the existing family if its kind and label names match;
  // otherwise std::invalid_argument. Names must match [a-zA-Z_:][a-zA-Z0-9_:]*.
  Family<Counter>& counter(const std::string& name, const std::string& help, const Labels& label_names = {});
  Family<Gauge>& gauge(const std::string& name, const std::string& help, const Labels& label_names = {});
  Family<Histogram>& histogram(const std::string& name, const std::string& help, const Labels& label_names = {},
                               std::vector<double> upper_bounds = default_latency_buckets());

  // Text exposition format 0.0.4, families in registration order.
  std::string serialize() const;
  static constexpr std::string_view content_type = "text/plain; version=0.0.4; charset=utf-8";

 private:
  struct Entry;
  Entry* find(const std::string& name);
  mutable std::mutex mutex_;
  std::vector<std::unique_ptr<Entry>> entries_;
};

template <typename Metric>
Metric& Family<Metric>::labels(const Labels& values) {
  if (values.size() != label_names_.size()) {
    throw std::invalid_argument("metric " + name_ + ": expected " + std::to_string(label_names_.size()) + " label values");
  }
  std::lock_guard lock(mutex_);
  auto it = series_.find(values);
  if (it == series_.end()) it = series_.emplace(values, make_()).first;
  return *it->second;
}

}  // namespace kok::http::metrics
