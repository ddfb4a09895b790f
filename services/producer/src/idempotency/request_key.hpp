#pragma once
// The Idempotency-Key request header (draft-ietf-httpapi-idempotency-key-header-07) and what makes two requests
// "the same request".

#include <optional>
#include <string>
#include <string_view>

#include "kok/http/request.hpp"

namespace kok::producer::idempotency {

inline constexpr std::size_t max_key_length = 255;

// The key of `header`: a Structured Field string as the draft has it (`"a-key"`, with \" and \\ escapes), or, as
// many clients send it, the bare value (`a-key`: visible ASCII without quotes, backslashes, commas or semicolons).
// 1 to max_key_length characters. Anything else throws http::Error 400 naming the rule.
std::string parse_key(std::string_view header);

// The key of `request`, nullopt without the header.
std::optional<std::string> request_key(const http::Request& request);

// SHA-256 (hex) of what determines the records a request writes: method, target (path and query), Content-Type,
// X-Kafka-Key and the body. The client's address, which only names the default message key, is left out: a retry
// from another connection is the same request.
std::string fingerprint(const http::Request& request);

}  // namespace kok::producer::idempotency
