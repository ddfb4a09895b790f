#include "kok/http/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <variant>

namespace kok::http::metrics {

Histogram::Histogram(std::vector<double> upper_bounds) : bounds_(std::move(upper_bounds)), counts_(bounds_.size() + 1, 0) {
  if (!std::is_sorted(bounds_.begin(), bounds_.end()) || std::adjacent_find(bounds_.begin(), bounds_.end()) != bounds_.end()) {
    throw std::invalid_argument("histogram bounds must be strictly ascending");
  }
}

void Histogram::observe(double value) {
  // Bucket i counts observations <= bounds_[i]; the last bucket is +Inf.
  const auto bucket = static_cast<std::size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin());
  std::lock_guard lock(mutex_);
  ++counts_[bucket];
  sum_ += value;
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot s;
  std::lock_guard lock(mutex_);
  s.cumulative_counts.reserve(counts_.size());
  std::uint64_t running = 0;
  for (const auto c : counts_) {
    running += c;
    s.cumulative_counts.push_back(running);
  }
  s.count = running;
  s.sum = sum_;
  return s;
}

std::vector<double> default_latency_buckets() {
  return {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0};
}

struct Registry::Entry {
  std::variant<std::unique_ptr<Family<Counter>>, std::unique_ptr<Family<Gauge>>, std::unique_ptr<Family<Histogram>>> family;
};

Registry::Registry() = default;
Registry::~Registry() = default;

namespace {

bool valid_name(std::string_view name, bool allow_colon) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (allow_colon && c == ':');
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

void validate(const std::string& name, const Labels& label_names, bool histogram) {
  if (!valid_name(name, true)) throw std::invalid_argument("invalid metric name: " + name);
  for (const auto& l : label_names) {
    if (!valid_name(l, false) || l.starts_with("__") || (histogram && l == "le")) {
      throw std::invalid_argument("invalid label name for " + name + ": " + l);
    }
  }
}

std::string escape(std::string_view text, bool quote) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (quote && c == '"') out += "\\\"";
    else out += c;
  }
  return out;
}

std::string number(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return fmt::format("{}", v);
}

// `{a="x",b="y"}` (plus an optional extra pair, used for `le`), or nothing when there are no labels.
std::string label_set(const Labels& names, const Labels& values, std::string_view extra_name = {},
                      std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return {};
  std::string out = "{";
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (i > 0) out += ',';
    out += names[i] + "=\"" + escape(values[i], true) + '"';
  }
  if (!extra_name.empty()) {
    if (!names.empty()) out += ',';
    out.append(extra_name).append("=\"").append(extra_value).append("\"");
  }
  out += '}';
  return out;
}

void header(std::string& out, const std::string& name, const std::string& help, std::string_view type) {
  out.append("# HELP ").append(name).append(" ").append(escape(help, false)).append("\n");
  out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

void write(std::string& out, const Family<Counter>& f) {
  header(out, f.name(), f.help(), "counter");
  f.for_each([&](const Labels& values, const Counter& c) {
    out.append(f.name()).append(label_set(f.label_names(), values)).append(" ").append(number(c.value())).append("\n");
  });
}

void write(std::string& out, const Family<Gauge>& f) {
  header(out, f.name(), f.help(), "gauge");
  f.for_each([&](const Labels& values, const Gauge& g) {
    out.append(f.name()).append(label_set(f.label_names(), values)).append(" ").append(number(g.value())).append("\n");
  });
}

void write(std::string& out, const Family<Histogram>& f) {
  header(out, f.name(), f.help(), "histogram");
  f.for_each([&](const Labels& values, const Histogram& h) {
    const auto snap = h.snapshot();
    const auto& bounds = h.upper_bounds();
    for (std::size_t i = 0; i <= bounds.size(); ++i) {
      const auto le = i < bounds.size() ? number(bounds[i]) : std::string("+Inf");
      out.append(f.name()).append("_bucket").append(label_set(f.label_names(), values, "le", le));
      out.append(" ").append(std::to_string(snap.cumulative_counts[i])).append("\n");
    }
    out.append(f.name()).append("_sum").append(label_set(f.label_names(), values)).append(" ").append(number(snap.sum)).append("\n");
    out.append(f.name()).append("_count").append(label_set(f.label_names(), values)).append(" ").append(std::to_string(snap.count)).append("\n");
  });
}

}  // namespace

Registry::Entry* Registry::find(const std::string& name) {
  for (auto& e : entries_) {
    const bool same = std::visit([&](const auto& f) { return f->name() == name; }, e->family);
    if (same) return e.get();
  }
  return nullptr;
}

Family<Counter>& Registry::counter(const std::string& name, const std::string& help, const Labels& label_names) {
  validate(name, label_names, false);
  std::lock_guard lock(mutex_);
  if (auto* e = find(name)) {
    auto* f = std::get_if<std::unique_ptr<Family<Counter>>>(&e->family);
    if (f == nullptr || (*f)->label_names() != label_names) throw std::invalid_argument("metric registered differently: " + name);
    return **f;
  }
  auto family = std::make_unique<Family<Counter>>(name, help, label_names, [] { return std::make_unique<Counter>(); });
  auto& ref = *family;
  entries_.push_back(std::make_unique<Entry>(Entry{std::move(family)}));
  return ref;
}

Family<Gauge>& Registry::gauge(const std::string& name, const std::string& help, const Labels& label_names) {
  validate(name, label_names, false);
  std::lock_guard lock(mutex_);
  if (auto* e = find(name)) {
    auto* f = std::get_if<std::unique_ptr<Family<Gauge>>>(&e->family);
    if (f == nullptr || (*f)->label_names() != label_names) throw std::invalid_argument("metric registered differently: " + name);
    return **f;
  }
  auto family = std::make_unique<Family<Gauge>>(name, help, label_names, [] { return std::make_unique<Gauge>(); });
  auto& ref = *family;
  entries_.push_back(std::make_unique<Entry>(Entry{std::move(family)}));
  return ref;
}

Family<Histogram>& Registry::histogram(const std::string& name, const std::string& help, const Labels& label_names,
                                       std::vector<double> upper_bounds) {
  validate(name, label_names, true);
  Histogram probe(upper_bounds);  // validates the bounds before anything is registered
  std::lock_guard lock(mutex_);
  if (auto* e = find(name)) {
    auto* f = std::get_if<std::unique_ptr<Family<Histogram>>>(&e->family);
    if (f == nullptr || (*f)->label_names() != label_names) throw std::invalid_argument("metric registered differently: " + name);
    return **f;
  }
  auto family = std::make_unique<Family<Histogram>>(name, help, label_names,
                                                    [b = std::move(upper_bounds)] { return std::make_unique<Histogram>(b); });
  auto& ref = *family;
  entries_.push_back(std::make_unique<Entry>(Entry{std::move(family)}));
  return ref;
}

std::string Registry::serialize() const {
  std::string out;
  std::lock_guard lock(mutex_);
  for (const auto& e : entries_) {
    std::visit([&](const auto& f) { write(out, *f); }, e->family);
  }
  return out;
}

}  // namespace kok::http::metrics
