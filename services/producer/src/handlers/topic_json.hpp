#pragma once
#include <nlohmann/json.hpp>

#include "kok/kafka/admin.hpp"

namespace kok::producer {

// {"name", "partitions": [{"partition", "leader", "replicas", "isr"}], "configs": {name: value}} (docs/openapi.yaml).
// Sensitive or unset config values are left out.
nlohmann::json topic_json(const kafka::TopicDescription& topic);

}  // namespace kok::producer
