#include "ack_table.hpp"

#include <algorithm>
#include <iterator>

namespace kok::consumer {

void AckTable::hold(const std::string& reader, std::vector<kafka::Message> messages, Clock::time_point deadline) {
  if (messages.empty()) return;
  auto& held = held_[reader];
  if (held.messages.empty()) {
    held.messages = std::move(messages);
  } else {
    std::move(messages.begin(), messages.end(), std::back_inserter(held.messages));
  }
  held.deadline = std::max(held.deadline, deadline);
}

std::vector<kafka::Message> AckTable::acknowledge(const std::string& reader) {
  const auto it = held_.find(reader);
  if (it == held_.end()) return {};
  auto out = std::move(it->second.messages);
  held_.erase(it);
  return out;
}

std::vector<kafka::Message> AckTable::expire(Clock::time_point now) {
  std::vector<kafka::Message> out;
  for (auto it = held_.begin(); it != held_.end();) {
    if (it->second.deadline <= now) {
      std::move(it->second.messages.begin(), it->second.messages.end(), std::back_inserter(out));
      it = held_.erase(it);
    } else {
      ++it;
    }
  }
  return out;
}

std::vector<kafka::Message> AckTable::discard_if(const std::function<bool(const kafka::Message&)>& old) {
  std::vector<kafka::Message> out;
  for (auto it = held_.begin(); it != held_.end();) {
    auto& messages = it->second.messages;
    const auto kept = std::stable_partition(messages.begin(), messages.end(), [&old](const auto& m) { return !old(m); });
    std::move(kept, messages.end(), std::back_inserter(out));
    messages.erase(kept, messages.end());
    it = messages.empty() ? held_.erase(it) : std::next(it);
  }
  return out;
}

std::vector<kafka::Message> AckTable::release_all() { return expire(Clock::time_point::max()); }

std::size_t AckTable::messages() const noexcept {
  std::size_t n = 0;
  for (const auto& [reader, held] : held_) n += held.messages.size();
  return n;
}

}  // namespace kok::consumer
