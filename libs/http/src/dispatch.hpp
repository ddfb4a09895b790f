#pragma once
// The funnel every request passes through, apart from the connection: route, run the handler, turn whatever it
// throws into an answer. The session only reads and writes bytes.

#include <boost/asio/awaitable.hpp>
#include <string>

#include "kok/http/request.hpp"
#include "kok/http/response.hpp"
#include "kok/http/router.hpp"

namespace kok::http::detail {

// The handler's answer, or the error it threw rendered as one (an unexpected exception is a logged 500).
// `route` is set to the matched route's name ("unmatched" for 404/405), the label of the request's metrics.
boost::asio::awaitable<Response> dispatch(const Router& router, Request& request, std::string& route);

}  // namespace kok::http::detail
