#include "delivery_queue.hpp"

namespace kok::consumer {

std::vector<kafka::Message> DeliveryQueue::take(std::size_t max, const Source& source) {
  std::vector<kafka::Message> out;
  while (out.size() < max && !redelivery_.empty()) {
    auto node = redelivery_.extract(redelivery_.begin());
    tracker_.taken(node.mapped().partition, node.mapped().offset);
    out.push_back(std::move(node.mapped()));
  }
  while (out.size() < max) {
    auto m = source();
    if (!m) break;
    tracker_.taken(m->partition, m->offset);
    out.push_back(std::move(*m));
  }
  return out;
}

void DeliveryQueue::finish(const std::vector<kafka::Message>& messages, bool done) {
  for (const auto& m : messages) {
    if (done) {
      tracker_.done(m.partition, m.offset);
    } else {
      redelivery_.emplace(std::make_pair(m.offset, m.partition), m);
    }
  }
}

}  // namespace kok::consumer
