#pragma once
// Readiness = "Kafka reachable", checked in the background so /readyz never waits on a broker. It is what Kubernetes
// asks before sending traffic; it never refuses a request by itself (a write is refused only for a reason about that
// write), and it turns "not ready" only when the cluster stayed unreachable for a while (see readiness.cpp), never
// because one broker of three went away.

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include <boost/asio/io_context.hpp>

#include "kok/http/server.hpp"

namespace kok::kafka {
class Admin;
}

namespace kok::service {

class KafkaReadiness {
 public:
  // Probes `admin` (cluster metadata) every `interval` on `io`'s executor; the blocking call runs on the Admin's own
  // threads. Not ready until the first successful probe.
  KafkaReadiness(boost::asio::io_context& io, kafka::Admin& admin, std::chrono::milliseconds interval);
  ~KafkaReadiness();
  KafkaReadiness(const KafkaReadiness&) = delete;
  KafkaReadiness& operator=(const KafkaReadiness&) = delete;

  void start();
  http::Readiness state() const;
  // For the Server's /readyz.
  http::ReadinessCheck check() const;

  struct State;  // shared with the probe coroutine (defined in readiness.cpp)

 private:
  std::shared_ptr<State> state_;
};

}  // namespace kok::service
