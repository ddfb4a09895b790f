#pragma once
// A value or an error with a human-readable reason.
//
// std::expected is C++23; this is the small subset we need. The reason string matters: brokers explain *why* a request
// failed ("Replication factor: 3 larger than available brokers: 1") and services pass that on to the client.

#include <string>
#include <system_error>
#include <utility>

namespace kok::kafka {

template <typename T>
struct Result {
  std::error_code error;  // empty on success
  std::string reason;     // broker/librdkafka explanation when error is set (may be empty)
  T value{};              // meaningful only on success

  [[nodiscard]] bool ok() const noexcept { return !error; }
  explicit operator bool() const noexcept { return ok(); }

  static Result success(T v) { return Result{{}, {}, std::move(v)}; }
  static Result failure(std::error_code ec, std::string why = {}) {
    if (why.empty()) why = ec.message();
    return Result{ec, std::move(why), T{}};
  }
};

}  // namespace kok::kafka
