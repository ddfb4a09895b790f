#pragma once
#include "kok/http/error.hpp"
#include "kok/http/response.hpp"

namespace kok::http::detail {

// The response for an error: the reason as text/plain, or {"error": reason, "status": code} when the client
// accepts JSON; Retry-After and the error's extra headers are added.
BeastResponse render_error(const Error& error, bool json, unsigned version);

}  // namespace kok::http::detail
