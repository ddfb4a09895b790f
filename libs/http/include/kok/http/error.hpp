#pragma once
// The one error type of the HTTP layer: it carries the HTTP status, a human-readable reason and, for
// "try again later" answers, a Retry-After. Handlers throw it (or return it inside a Response); the session
// renders it as text/plain, or as JSON when the client accepts application/json.

#include <chrono>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kok::http {

// Only the statuses this project answers with. Values are the HTTP status codes.
enum class ErrorStatus : unsigned {
  bad_request = 400,
  forbidden = 403,
  not_found = 404,
  method_not_allowed = 405,
  not_acceptable = 406,
  request_timeout = 408,
  conflict = 409,
  payload_too_large = 413,
  unsupported_media_type = 415,
  unprocessable_content = 422,
  header_fields_too_large = 431,
  internal_server_error = 500,
  service_unavailable = 503,
  gateway_timeout = 504,
};

// Numeric code, e.g. 404.
constexpr unsigned status_code(ErrorStatus s) noexcept { return static_cast<unsigned>(s); }
// Standard reason phrase, e.g. "Not Found".
std::string_view reason_phrase(ErrorStatus s) noexcept;

class Error : public std::runtime_error {
 public:
  using Header = std::pair<std::string, std::string>;

  Error(ErrorStatus status, std::string reason, std::optional<std::chrono::seconds> retry_after = std::nullopt);

  ErrorStatus status() const noexcept { return status_; }
  unsigned code() const noexcept { return status_code(status_); }
  // What went wrong, for a human; becomes the response body.
  const std::string& reason() const noexcept { return reason_; }
  // Set for 503-style answers: the client may retry after this long.
  std::optional<std::chrono::seconds> retry_after() const noexcept { return retry_after_; }
  // Extra response headers (e.g. Allow on 405).
  const std::vector<Header>& headers() const noexcept { return headers_; }
  Error& with_header(std::string name, std::string value);

 private:
  ErrorStatus status_;
  std::string reason_;
  std::optional<std::chrono::seconds> retry_after_;
  std::vector<Header> headers_;
};

// Shorthands for the common cases.
Error bad_request(std::string reason);
Error not_found(std::string reason);
Error conflict(std::string reason);
Error unavailable(std::string reason, std::chrono::seconds retry_after = std::chrono::seconds{1});
Error gateway_timeout(std::string reason);

}  // namespace kok::http
