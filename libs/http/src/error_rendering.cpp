#include "error_rendering.hpp"

#include <nlohmann/json.hpp>

namespace kok::http::detail {

BeastResponse render_error(const Error& error, bool json, unsigned version) {
  namespace bh = boost::beast::http;
  BeastResponse res{static_cast<bh::status>(error.code()), version};
  if (json) {
    res.set(bh::field::content_type, "application/json");
    res.body() = nlohmann::json{{"error", error.reason()}, {"status", error.code()}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  } else {
    res.set(bh::field::content_type, "text/plain; charset=utf-8");
    res.body() = error.reason() + "\n";
  }
  if (error.retry_after()) res.set(bh::field::retry_after, std::to_string(error.retry_after()->count()));
  for (const auto& [name, value] : error.headers()) res.set(name, value);
  return res;
}

}  // namespace kok::http::detail
