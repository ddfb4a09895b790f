#include "server_context.hpp"

namespace kok::http::detail {

ServerMetrics::ServerMetrics(metrics::Registry& registry)
    : requests_total(registry.counter("http_requests_total", "HTTP requests answered, by route and status.",
                                      {"route", "status"})),
      request_duration(registry.histogram("http_request_duration_seconds",
                                          "Time from a complete request to the end of its response, by route.",
                                          {"route"})),
      in_flight(registry.gauge("http_requests_in_flight", "Requests being handled now.").get()),
      open_connections(registry.gauge("http_open_connections", "Open client connections.").get()),
      rejected_connections(
          registry.counter("http_connections_rejected_total", "Connections refused because max_connections was reached.")
              .get()) {}

ServerContext::ServerContext(ServerConfig config_, Router router_, std::shared_ptr<metrics::Registry> registry_)
    : config(std::move(config_)),
      router(std::move(router_)),
      cors(config.cors_origins),
      registry(std::move(registry_)),
      metrics(*registry),
      bodies(config.body_memory) {}

void ServerContext::add_session(const std::shared_ptr<Session>& session) {
  std::lock_guard lock(mutex_);
  sessions_.emplace(session.get(), session);
}

void ServerContext::remove_session(Session* session) {
  {
    std::lock_guard lock(mutex_);
    sessions_.erase(session);
  }
  check_drained();
}

std::size_t ServerContext::session_count() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

std::vector<std::weak_ptr<Session>> ServerContext::sessions() const {
  std::lock_guard lock(mutex_);
  std::vector<std::weak_ptr<Session>> out;
  out.reserve(sessions_.size());
  for (const auto& [ptr, weak] : sessions_) out.push_back(weak);
  return out;
}

void ServerContext::set_on_drained(std::function<void()> callback) {
  std::lock_guard lock(mutex_);
  on_drained_ = std::move(callback);
}

void ServerContext::check_drained() {
  std::function<void()> callback;
  {
    std::lock_guard lock(mutex_);
    if (!stopping || !sessions_.empty() || !on_drained_) return;
    callback = std::move(on_drained_);
    on_drained_ = nullptr;
  }
  callback();
}

}  // namespace kok::http::detail
