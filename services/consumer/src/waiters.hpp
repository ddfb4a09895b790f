#pragma once
// The requests waiting for messages of one topic, served first come first served. Pure bookkeeping: the owning
// TopicConsumer holds the lock, the timers and the way a completion is delivered (`Pending`), so this is unit-tested
// with plain values.

#include <cstddef>
#include <cstdint>
#include <list>
#include <optional>
#include <utility>
#include <vector>

namespace kok::consumer {

template <typename Pending>
class Waiters {
 public:
  struct Waiter {
    std::uint64_t id;
    std::size_t max;  // messages wanted at most
    Pending pending;
  };

  void add(std::uint64_t id, std::size_t max, Pending pending) {
    waiters_.push_back(Waiter{id, max, std::move(pending)});
  }
  [[nodiscard]] bool empty() const noexcept { return waiters_.empty(); }
  [[nodiscard]] std::size_t size() const noexcept { return waiters_.size(); }
  [[nodiscard]] Waiter& front() { return waiters_.front(); }
  Waiter pop_front() {
    Waiter w = std::move(waiters_.front());
    waiters_.pop_front();
    return w;
  }
  // The waiter `id` (expired, or its client left), if it still waits.
  std::optional<Waiter> remove(std::uint64_t id) {
    for (auto it = waiters_.begin(); it != waiters_.end(); ++it) {
      if (it->id == id) {
        Waiter w = std::move(*it);
        waiters_.erase(it);
        return w;
      }
    }
    return std::nullopt;
  }
  std::vector<Waiter> take_all() {
    std::vector<Waiter> out;
    out.reserve(waiters_.size());
    for (auto& w : waiters_) out.push_back(std::move(w));
    waiters_.clear();
    return out;
  }

 private:
  std::list<Waiter> waiters_;
};

}  // namespace kok::consumer
