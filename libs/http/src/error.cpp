#include "kok/http/error.hpp"

namespace kok::http {

std::string_view reason_phrase(ErrorStatus s) noexcept {
  switch (s) {
    case ErrorStatus::bad_request: return "Bad Request";
    case ErrorStatus::forbidden: return "Forbidden";
    case ErrorStatus::not_found: return "Not Found";
    case ErrorStatus::method_not_allowed: return "Method Not Allowed";
    case ErrorStatus::not_acceptable: return "Not Acceptable";
    case ErrorStatus::request_timeout: return "Request Timeout";
    case ErrorStatus::conflict: return "Conflict";
    case ErrorStatus::unprocessable_content: return "Unprocessable Content";
    case ErrorStatus::payload_too_large: return "Payload Too Large";
    case ErrorStatus::unsupported_media_type: return "Unsupported Media Type";
    case ErrorStatus::header_fields_too_large: return "Request Header Fields Too Large";
    case ErrorStatus::internal_server_error: return "Internal Server Error";
    case ErrorStatus::service_unavailable: return "Service Unavailable";
    case ErrorStatus::gateway_timeout: return "Gateway Timeout";
  }
  return "Error";
}

Error::Error(ErrorStatus status, std::string reason, std::optional<std::chrono::seconds> retry_after)
    : std::runtime_error(std::to_string(status_code(status)) + " " + reason),
      status_(status),
      reason_(std::move(reason)),
      retry_after_(retry_after) {}

Error& Error::with_header(std::string name, std::string value) {
  headers_.emplace_back(std::move(name), std::move(value));
  return *this;
}

Error bad_request(std::string reason) { return {ErrorStatus::bad_request, std::move(reason)}; }
Error not_found(std::string reason) { return {ErrorStatus::not_found, std::move(reason)}; }
Error conflict(std::string reason) { return {ErrorStatus::conflict, std::move(reason)}; }
Error unavailable(std::string reason, std::chrono::seconds retry_after) {
  return {ErrorStatus::service_unavailable, std::move(reason), retry_after};
}
Error gateway_timeout(std::string reason) { return {ErrorStatus::gateway_timeout, std::move(reason)}; }

}  // namespace kok::http
