#pragma once
// The topic named in a request path, checked against Kafka's naming rules before any Kafka call: both services
// answer an illegal name with 400 and the rule it breaks, never with a Kafka error.

#include <string>
#include <string_view>

#include "kok/http/request.hpp"

namespace kok::service {

// Throws http 400 with Kafka's rule ([A-Za-z0-9._-], 1..249 characters, not "." or "..") when `topic` breaks it.
void require_valid_topic(std::string_view topic);

// The path parameter `name` (the spec's {topic}), checked with require_valid_topic.
std::string topic_param(const http::Request& request, std::string_view name = "topic");

}  // namespace kok::service
