#include "topic_creations.hpp"

#include <algorithm>
#include <boost/asio/experimental/concurrent_channel.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/error_code.hpp>
#include <map>
#include <mutex>

namespace kok::producer {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

// One per folded name while a creation of it runs or waits: a channel with room for one value is a semaphore that
// coroutines wait on without blocking a thread (send takes the turn, receive gives it back).
struct TopicCreations::Turnstile {
  Turnstile(const asio::any_io_executor& executor, std::string folded) : channel(executor, 1), key(std::move(folded)) {}
  asio::experimental::concurrent_channel<void(boost::system::error_code)> channel;
  std::string key;
  std::size_t users = 0;  // holders and waiters; guarded by Impl::mutex
};

struct TopicCreations::Impl {
  asio::any_io_executor executor;
  std::chrono::milliseconds remember_for;
  std::mutex mutex;
  std::map<std::string, std::shared_ptr<Turnstile>, std::less<>> turnstiles;  // by folded name
  std::map<std::string, Clock::time_point, std::less<>> created;            // name -> when

  // Requires mutex.
  void forget_old(Clock::time_point now) {
    std::erase_if(created, [&](const auto& entry) { return now - entry.second >= remember_for; });
  }
};

namespace {

std::string fold(std::string_view name) {
  std::string out(name);
  std::ranges::transform(out, out.begin(), [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
  return out;
}

}  // namespace

TopicCreations::TopicCreations(asio::any_io_executor executor, std::chrono::milliseconds remember_for)
    : impl_(std::make_unique<Impl>()) {
  impl_->executor = std::move(executor);
  impl_->remember_for = remember_for;
}

TopicCreations::~TopicCreations() = default;

TopicCreations::Turn::Turn(TopicCreations& owner, std::shared_ptr<Turnstile> turnstile)
    : owner_(&owner), turnstile_(std::move(turnstile)) {}

TopicCreations::Turn::Turn(Turn&& other) noexcept
    : owner_(other.owner_), turnstile_(std::move(other.turnstile_)) {}

TopicCreations::Turn::~Turn() {
  if (turnstile_) owner_->release(turnstile_);
}

asio::awaitable<TopicCreations::Turn> TopicCreations::turn(std::string_view name) {
  std::shared_ptr<Turnstile> turnstile;
  {
    std::lock_guard lock{impl_->mutex};
    auto key = fold(name);
    auto& slot = impl_->turnstiles[key];
    if (!slot) slot = std::make_shared<Turnstile>(impl_->executor, std::move(key));
    ++slot->users;
    turnstile = slot;
  }
  try {
    co_await turnstile->channel.async_send(boost::system::error_code{}, asio::use_awaitable);
  } catch (...) {
    // Cancelled while waiting (the client went away): this request never held the turn.
    std::lock_guard lock{impl_->mutex};
    if (--turnstile->users == 0) impl_->turnstiles.erase(turnstile->key);
    throw;
  }
  co_return Turn{*this, std::move(turnstile)};
}

void TopicCreations::release(const std::shared_ptr<Turnstile>& turnstile) {
  {
    std::lock_guard lock{impl_->mutex};
    if (--turnstile->users == 0) impl_->turnstiles.erase(turnstile->key);
  }
  // Outside the lock: taking the value out may hand the turn to a waiting creation at once.
  turnstile->channel.try_receive([](boost::system::error_code) {});
}

void TopicCreations::remember(std::string name) {
  std::lock_guard lock{impl_->mutex};
  const auto now = Clock::now();
  impl_->forget_old(now);
  impl_->created.insert_or_assign(std::move(name), now);
}

std::vector<std::string> TopicCreations::recent() {
  std::lock_guard lock{impl_->mutex};
  impl_->forget_old(Clock::now());
  std::vector<std::string> names;
  names.reserve(impl_->created.size());
  for (const auto& [name, when] : impl_->created) names.push_back(name);
  return names;
}

}  // namespace kok::producer
