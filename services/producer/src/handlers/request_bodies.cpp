#include "handlers/request_bodies.hpp"

#include <nlohmann/json.hpp>

#include "kok/http/error.hpp"

namespace kok::producer {

using nlohmann::json;

namespace {

json parse_json(std::string_view body) {
  try {
    return json::parse(body);
  } catch (const json::parse_error& e) {
    throw http::bad_request(std::string("invalid JSON: ") + e.what());
  }
}

int bounded_int(const json& value, std::string_view field, int min, int max) {
  if (!value.is_number_integer()) throw http::bad_request(std::string(field) + " must be an integer");
  const auto n = value.get<long long>();
  if (n < min || n > max) {
    throw http::bad_request(std::string(field) + " must be between " + std::to_string(min) + " and " + std::to_string(max));
  }
  return static_cast<int>(n);
}

std::string scalar_text(const json& value, std::string_view what) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number() || value.is_boolean()) return value.dump();
  throw http::bad_request(std::string(what) + " must be a string, number or boolean");
}

}  // namespace

kafka::NewTopic parse_topic_options(std::string name, std::string_view body) {
  kafka::NewTopic topic;
  topic.name = std::move(name);
  topic.partitions = 1;
  topic.replication_factor = 3;
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) return topic;
  const auto doc = parse_json(body);
  if (!doc.is_object()) throw http::bad_request("body must be a JSON object");
  for (const auto& [field, value] : doc.items()) {
    if (field == "partitions") {
      topic.partitions = bounded_int(value, field, 1, 10000);
    } else if (field == "replication_factor") {
      topic.replication_factor = bounded_int(value, field, 1, 32767);
    } else if (field == "configs") {
      if (!value.is_object()) throw http::bad_request("configs must be an object of name: value");
      for (const auto& [key, v] : value.items()) topic.configs[key] = scalar_text(v, "config " + key);
    } else {
      throw http::bad_request("unknown field '" + field + "' (expected partitions, replication_factor, configs)");
    }
  }
  return topic;
}

std::vector<Record> parse_records(std::string_view body, const std::string& default_key) {
  const auto doc = parse_json(body);
  if (!doc.is_object() || !doc.contains("records")) throw http::bad_request("expected {\"records\": [...]}");
  const auto& list = doc["records"];
  if (!list.is_array() || list.empty()) throw http::bad_request("records must be a non-empty array");
  std::vector<Record> records;
  records.reserve(list.size());
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& item = list[i];
    const auto where = "records[" + std::to_string(i) + "]";
    if (!item.is_object()) throw http::bad_request(where + " must be an object");
    Record r;
    r.key = default_key;
    for (const auto& [field, value] : item.items()) {
      if (field == "key") {
        r.key = value.is_null() ? std::nullopt : std::optional<std::string>(scalar_text(value, where + ".key"));
      } else if (field == "value") {
        r.value = value.is_null() ? std::string{} : value.is_string() ? value.get<std::string>() : value.dump();
      } else if (field == "headers") {
        if (!value.is_object()) throw http::bad_request(where + ".headers must be an object");
        for (const auto& [name, h] : value.items()) {
          r.headers.push_back(kafka::Header{
              name, h.is_null() ? std::nullopt : std::optional<std::string>(scalar_text(h, where + ".headers." + name))});
        }
      } else {
        throw http::bad_request(where + ": unknown field '" + field + "' (expected key, value, headers)");
      }
    }
    records.push_back(std::move(r));
  }
  return records;
}

}  // namespace kok::producer
