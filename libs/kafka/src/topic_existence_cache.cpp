#include "topic_existence_cache.hpp"

#include <algorithm>
#include <utility>

namespace kok::kafka::detail {

TopicExistenceCache::TopicExistenceCache(Ttls ttls, Now now) : ttls_(ttls), now_(std::move(now)) {}

std::optional<bool> TopicExistenceCache::lookup(std::string_view name) const {
  std::lock_guard lock{mutex_};
  const auto now = now_();
  if (const auto it = created_.find(name); it != created_.end() && now - it->second < ttls_.exists) return true;
  if (const auto it = missing_.find(name); it != missing_.end() && now - it->second < ttls_.missing) return false;
  if (snapshot_at_ && now - *snapshot_at_ < ttls_.exists && snapshot_.contains(name)) return true;
  return std::nullopt;
}

std::optional<TopicExistenceCache::Clock::time_point> TopicExistenceCache::visibility_deadline(
    std::string_view name) const {
  std::lock_guard lock{mutex_};
  const auto it = created_.find(name);
  if (it == created_.end()) return std::nullopt;
  return it->second + ttls_.visible;
}

void TopicExistenceCache::listed(const std::vector<std::string>& names) {
  std::lock_guard lock{mutex_};
  snapshot_ = {names.begin(), names.end()};
  snapshot_at_ = now_();
  std::erase_if(missing_, [this](const auto& entry) { return snapshot_.contains(entry.first); });
}

void TopicExistenceCache::created(std::string_view name) {
  std::lock_guard lock{mutex_};
  const auto now = now_();
  drop_expired(now);
  snapshot_.emplace(name);
  created_.insert_or_assign(std::string{name}, now);
  forget_missing(name);
}

void TopicExistenceCache::deleted(std::string_view name) {
  std::lock_guard lock{mutex_};
  const auto now = now_();
  drop_expired(now);
  if (const auto it = snapshot_.find(name); it != snapshot_.end()) snapshot_.erase(it);
  if (const auto it = created_.find(name); it != created_.end()) created_.erase(it);
  missing_.insert_or_assign(std::string{name}, now);
}

void TopicExistenceCache::confirmed_present(std::string_view name) {
  std::lock_guard lock{mutex_};
  snapshot_.emplace(name);
  forget_missing(name);
}

void TopicExistenceCache::confirmed_missing(std::string_view name) {
  std::lock_guard lock{mutex_};
  const auto now = now_();
  drop_expired(now);
  missing_.insert_or_assign(std::string{name}, now);
}

void TopicExistenceCache::forget_what_others_said() {
  std::lock_guard lock{mutex_};
  snapshot_.clear();
  snapshot_at_.reset();
  missing_.clear();
}

// Expired entries are dropped by the writers, so the maps stay small and a lookup changes nothing.
void TopicExistenceCache::drop_expired(Clock::time_point now) {
  const auto created_for = std::max(ttls_.exists, ttls_.visible);
  std::erase_if(created_, [&](const auto& entry) { return now - entry.second >= created_for; });
  std::erase_if(missing_, [&](const auto& entry) { return now - entry.second >= ttls_.missing; });
}

void TopicExistenceCache::forget_missing(std::string_view name) {
  if (const auto it = missing_.find(name); it != missing_.end()) missing_.erase(it);
}

}  // namespace kok::kafka::detail
