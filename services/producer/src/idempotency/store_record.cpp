#include "idempotency/store_record.hpp"

#include <nlohmann/json.hpp>

#include "idempotency/overloaded.hpp"

namespace kok::producer::idempotency {

std::string encode(const Event& event) {
  const auto json = std::visit(
      Overloaded{
          [](const Claim& c) {
            return nlohmann::json{
                {"claim", c.claim_id}, {"fingerprint", c.fingerprint}, {"topic", c.topic}, {"lease_ms", c.lease_ms}};
          },
          [](const Completion& c) {
            return nlohmann::json{{"completed", c.claim_id},
                                  {"status", c.response.status},
                                  {"content_type", c.response.content_type},
                                  {"body", c.response.body}};
          },
          [](const Release& r) { return nlohmann::json{{"released", r.claim_id}, {"nothing_written", r.nothing_written}}; },
      },
      event);
  // Bodies are the service's own answers (text or JSON it wrote), but replace any invalid UTF-8 all the same.
  return json.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::optional<Event> decode(std::string_view value) {
  const auto json = nlohmann::json::parse(value, nullptr, false);
  if (!json.is_object()) return std::nullopt;
  try {
    if (json.contains("claim")) {
      return Claim{json.at("claim").get<std::string>(), json.at("fingerprint").get<std::string>(),
                   json.at("topic").get<std::string>(), json.at("lease_ms").get<std::int64_t>()};
    }
    if (json.contains("completed")) {
      return Completion{json.at("completed").get<std::string>(),
                        StoredResponse{json.at("status").get<unsigned>(), json.at("content_type").get<std::string>(),
                                       json.at("body").get<std::string>()}};
    }
    if (json.contains("released")) {
      return Release{json.at("released").get<std::string>(), json.at("nothing_written").get<bool>()};
    }
  } catch (const nlohmann::json::exception&) {
  }
  return std::nullopt;
}

}  // namespace kok::producer::idempotency
