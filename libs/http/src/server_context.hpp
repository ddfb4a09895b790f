#pragma once
// State shared by the server and its sessions. Sessions hold it by shared_ptr, so it outlives every session
// whatever order the io_context tears them down in.

#include <algorithm>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "kok/http/cors.hpp"
#include "kok/http/metrics.hpp"
#include "kok/http/router.hpp"
#include "kok/http/server.hpp"

namespace kok::http::detail {

class Session;

struct ServerMetrics {
  explicit ServerMetrics(metrics::Registry& registry);
  metrics::Family<metrics::Counter>& requests_total;
  metrics::Family<metrics::Histogram>& request_duration;
  metrics::Gauge& in_flight;
  metrics::Gauge& open_connections;
  metrics::Counter& rejected_connections;
};

// ServerConfig::body_memory, shared by every session. Reservations are made on any io thread.
class BodyBudget {
 public:
  explicit BodyBudget(std::size_t capacity) noexcept : capacity_(capacity) {}
  // False (nothing reserved) when `bytes` more would go over the capacity.
  bool try_reserve(std::size_t bytes) noexcept {
    auto used = used_.load();
    do {
      if (bytes > capacity_ - std::min(used, capacity_)) return false;
    } while (!used_.compare_exchange_weak(used, used + bytes));
    return true;
  }
  void release(std::size_t bytes) noexcept { used_ -= bytes; }
  std::size_t capacity() const noexcept { return capacity_; }

 private:
  const std::size_t capacity_;
  std::atomic<std::size_t> used_{0};
};

// One request's share of the BodyBudget, given back when it goes out of scope.
class BodyReservation {
 public:
  BodyReservation() = default;
  BodyReservation(BodyBudget& budget, std::size_t bytes) noexcept : budget_(&budget), bytes_(bytes) {}
  ~BodyReservation() {
    if (budget_ != nullptr) budget_->release(bytes_);
  }
  BodyReservation(BodyReservation&& other) noexcept
      : budget_(std::exchange(other.budget_, nullptr)), bytes_(other.bytes_) {}
  BodyReservation& operator=(BodyReservation&& other) noexcept {
    if (this != &other) {
      if (budget_ != nullptr) budget_->release(bytes_);
      budget_ = std::exchange(other.budget_, nullptr);
      bytes_ = other.bytes_;
    }
    return *this;
  }

 private:
  BodyBudget* budget_ = nullptr;
  std::size_t bytes_ = 0;
};

class ServerContext {
 public:
  ServerContext(ServerConfig config, Router router, std::shared_ptr<metrics::Registry> registry);

  const ServerConfig config;
  const Router router;
  const CorsPolicy cors;
  const std::shared_ptr<metrics::Registry> registry;
  ServerMetrics metrics;
  BodyBudget bodies;
  std::atomic<bool> stopping{false};


  void add_session(const std::shared_ptr<Session>& session);
  void remove_session(Session* session);
  std::size_t session_count() const;
  std::vector<std::weak_ptr<Session>> sessions() const;
  // Called (once per stop) when stopping and the last session is gone; the server stops its io_context then.
  void set_on_drained(std::function<void()> callback);
  // Calls on_drained now if stopping and no session is left.
  void check_drained();

 private:
  mutable std::mutex mutex_;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;
  std::function<void()> on_drained_;
};

}  // namespace kok::http::detail
