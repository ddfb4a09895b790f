#pragma once
// What this process knows about its own topic creations, for the case check (topic_case.hpp):
//  - one creation at a time per name ignoring case: the check (a fresh topic list) and the CreateTopics that follows
//    run without another creation of "Demo" / "demo" in between, so two concurrent requests through this process
//    cannot both pass the check;
//  - the names it created a moment ago: the broker that answers the topic list may not have applied a creation made
//    through another broker yet, so for a while the list alone could miss it.
// Other processes (a second producer replica, any other Kafka client) are not covered: docs/decisions.md says what
// remains.

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace kok::producer {

class TopicCreations {
 public:
  // `remember_for`: how long a name created here counts as existing whatever a topic list says (the producer passes
  // its topic visibility budget, KAFKA_TOPIC_VISIBLE_TIMEOUT).
  TopicCreations(boost::asio::any_io_executor executor, std::chrono::milliseconds remember_for);
  ~TopicCreations();
  TopicCreations(const TopicCreations&) = delete;
  TopicCreations& operator=(const TopicCreations&) = delete;

  struct Turnstile;
  // Held while one creation runs; destroying it lets the next creation of the same name (ignoring case) go on.
  class Turn {
   public:
    Turn(TopicCreations& owner, std::shared_ptr<Turnstile> turnstile);
    Turn(Turn&& other) noexcept;
    Turn& operator=(Turn&&) = delete;
    Turn(const Turn&) = delete;
    Turn& operator=(const Turn&) = delete;
    ~Turn();

   private:
    TopicCreations* owner_;
    std::shared_ptr<Turnstile> turnstile_;
  };

  // Waits until no other creation of `name` ignoring case runs in this process, then holds the turn.
  boost::asio::awaitable<Turn> turn(std::string_view name);

  // A topic this process created or found existing.
  void remember(std::string name);
  // The names remembered within the last `remember_for`.
  [[nodiscard]] std::vector<std::string> recent();

 private:
  void release(const std::shared_ptr<Turnstile>& turnstile);

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kok::producer
