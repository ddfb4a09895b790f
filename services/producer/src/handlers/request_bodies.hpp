#pragma once
// Parsing of the JSON request bodies (pure functions, unit-tested). Bad input throws http::Error 400 with the reason.

#include <string>
#include <string_view>
#include <vector>

#include "handlers/common.hpp"
#include "kok/kafka/admin.hpp"

namespace kok::producer {

// POST /topics/{t}: {"partitions": 1, "replication_factor": 3, "configs": {"retention.ms": "86400000"}}, all optional;
// an empty body means all defaults. Config values may be JSON strings, numbers or booleans.
kafka::NewTopic parse_topic_options(std::string name, std::string_view body);

// POST /topics/{t}/messages (JSON): {"records": [{"key": "k", "value": "v", "headers": {"h": "x"}}, ...]}.
// A record without "key" gets `default_key`; "key": null means no key. A non-string value is sent as its JSON text.
std::vector<Record> parse_records(std::string_view body, const std::string& default_key);

}  // namespace kok::producer
