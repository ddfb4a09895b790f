#pragma once
// State shared by the server and its sessions. Sessions hold it by shared_ptr, so it outlives every session
// whatever order the io_context tears them down in.

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>

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

class ServerContext {
 public:
  ServerContext(ServerConfig config, Router router, std::shared_ptr<metrics::Registry> registry);

  const ServerConfig config;
  const Router router;
  const CorsPolicy cors;
  const std::shared_ptr<metrics::Registry> registry;
  ServerMetrics metrics;
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
