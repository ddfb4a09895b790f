#include "handlers/topic_json.hpp"

namespace kok::producer {

nlohmann::json topic_json(const kafka::TopicDescription& topic) {
  auto partitions = nlohmann::json::array();
  for (const auto& p : topic.partitions) {
    partitions.push_back({{"partition", p.id}, {"leader", p.leader}, {"replicas", p.replicas}, {"isr", p.isr}});
  }
  auto configs = nlohmann::json::object();
  for (const auto& c : topic.configs) {
    if (c.value && !c.sensitive) configs[c.name] = *c.value;
  }
  return {{"name", topic.name}, {"partitions", std::move(partitions)}, {"configs", std::move(configs)}};
}

}  // namespace kok::producer
