#pragma once
// The pieces of the chaos test that are not the test itself: counters shared by its threads, the longest request seen
// against its budget, and the fault schedule (which broker fails how, and for how long).

#include <algorithm>
#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace kok::cluster_test {

using Clock = std::chrono::steady_clock;

struct Tally {
  std::atomic<long> attempts{0};
  std::atomic<long> ok{0};
  std::atomic<long> retries{0};  // writers that retry: attempts after a message's first
  // Answers other than 200, by status and first line of the reason (status 0: no answer, the client's error): what
  // the services refused, and why.
  void note_refusal(unsigned status, const std::string& body) {
    std::lock_guard lock{refusals_mutex};
    ++refused[std::to_string(status) + " " + body.substr(0, body.find('\n'))];
  }
  std::string refusals() const {
    std::lock_guard lock{refusals_mutex};
    std::string out;
    for (const auto& [what, n] : refused) out += (out.empty() ? "" : ", ") + std::to_string(n) + " x " + what;
    return out.empty() ? "none" : out;
  }
  mutable std::mutex refusals_mutex;
  std::map<std::string, long> refused;
  double ratio() const { return attempts == 0 ? 0.0 : static_cast<double>(ok) / static_cast<double>(attempts); }
};

class Acknowledged {
 public:
  void add(std::string value) {
    std::lock_guard lock{mutex_};
    values_.insert(std::move(value));
  }
  std::set<std::string> snapshot() const {
    std::lock_guard lock{mutex_};
    return values_;
  }

 private:
  mutable std::mutex mutex_;
  std::set<std::string> values_;
};

// One kind of request's durations: the longest, and how many outlived their own budget (the service's timeout for
// that request) by more than the allowed slack.
class Durations {
 public:
  explicit Durations(std::chrono::milliseconds slack) : slack_(slack) {}

  void add(Clock::duration took, std::chrono::milliseconds budget) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
    long seen = longest_ms_.load();
    while (ms > seen && !longest_ms_.compare_exchange_weak(seen, ms)) {
    }
    if (took > budget + slack_) ++over_;
  }
  long longest_ms() const { return longest_ms_.load(); }
  long over_budget() const { return over_.load(); }

 private:
  std::chrono::milliseconds slack_;
  std::atomic<long> longest_ms_{0};
  std::atomic<long> over_{0};
};

// The fault schedule: steps run in order, over and over, until the test's time is up. Each step fails one broker
// and restores it after `hold`.
enum class Fault {
  kill,   // SIGKILL: a crash; its connections are refused at once
  stop,   // controlled shutdown: a pod deleted; for a moment it does not count for replica placement
  pause,  // SIGSTOP: a hung broker; connections stay open and nothing answers
};
enum class Target { any, leader };  // a random node, or the test topic's partition leader

struct Step {
  Fault fault;
  Target target;
  std::chrono::milliseconds hold_min;
  std::chrono::milliseconds hold_max;
};

inline const char* to_string(Fault f) {
  switch (f) {
    case Fault::kill: return "kill";
    case Fault::stop: return "stop";
    case Fault::pause: return "pause";
  }
  return "?";
}

// deploy/local/kafka.sh's command that undoes a fault.
inline const char* restore_command(Fault f) { return f == Fault::pause ? "resume" : "start"; }

}  // namespace kok::cluster_test
