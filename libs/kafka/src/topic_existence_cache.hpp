#pragma once
// What the Admin knows about which topics exist, and for how long it may trust it. Pure: no I/O, no waiting; time
// comes from an injected clock so every rule can be tested alone (topic_existence_cache_test.cpp). Thread-safe.
//
// Sources of knowledge, from the strongest:
// - created(): this client created the topic. Brokers apply a creation a moment after the controller has committed
//   it, so for Ttls::exists it counts as existing whatever a broker says, and for Ttls::visible a broker's "unknown
//   topic" about it is asked again (visibility_deadline).
// - deleted() / confirmed_missing(): a topic-specific request said "no". The only source of a cached "no", kept for
//   Ttls::missing (a topic created by another client becomes visible quickly).
// - listed(): a snapshot of every topic name, trusted for Ttls::exists. A name it lacks is not a "no": the broker
//   that answered the list may not have applied a creation of a moment ago.
// - confirmed_present(): a topic-specific request said "yes"; it joins the snapshot.

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace kok::kafka::detail {

class TopicExistenceCache {
 public:
  using Clock = std::chrono::steady_clock;
  using Now = std::function<Clock::time_point()>;

  struct Ttls {
    std::chrono::milliseconds exists{5'000};   // a snapshot, and a topic created here, count as "yes"
    std::chrono::milliseconds missing{500};    // a confirmed "no"
    std::chrono::milliseconds visible{5'000};  // a topic created here may still be unknown to a broker
  };

  explicit TopicExistenceCache(Ttls ttls, Now now = Clock::now);

  // true / false when the cache knows, nullopt when a broker must be asked. Changes nothing.
  [[nodiscard]] std::optional<bool> lookup(std::string_view name) const;
  // When a broker's "unknown topic" about `name` stops being answered by asking again: the end of the visibility
  // window of a topic this client created; nullopt for any other topic.
  [[nodiscard]] std::optional<Clock::time_point> visibility_deadline(std::string_view name) const;

  void listed(const std::vector<std::string>& names);
  void created(std::string_view name);
  void deleted(std::string_view name);
  void confirmed_present(std::string_view name);
  void confirmed_missing(std::string_view name);
  // Forgets the snapshot and every "no" (after a create or delete through another client); what this client created
  // stays, since its visibility window is still true.
  void forget_what_others_said();

 private:
  // Require mutex_.
  void drop_expired(Clock::time_point now);
  void forget_missing(std::string_view name);

  Ttls ttls_;
  Now now_;
  mutable std::mutex mutex_;
  std::set<std::string, std::less<>> snapshot_;
  std::optional<Clock::time_point> snapshot_at_;
  std::map<std::string, Clock::time_point, std::less<>> created_;
  std::map<std::string, Clock::time_point, std::less<>> missing_;
};

}  // namespace kok::kafka::detail
