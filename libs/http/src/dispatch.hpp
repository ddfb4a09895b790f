#pragma once
// The funnel every request passes through, apart from the connection: route, run the handler, turn whatever it
// throws into an answer. The session only reads and writes bytes.

#include <boost/asio/awaitable.hpp>
#include <string>

#include "kok/http/cors.hpp"
#include "kok/http/request.hpp"
#include "kok/http/response.hpp"
#include "kok/http/router.hpp"

namespace kok::http::detail {

// The handler's answer, or the error it threw rendered as one (an unexpected exception is a logged 500).
// `route` is set to the matched route's name ("unmatched" for 404/405), the label of the request's metrics.
// A CORS preflight from an allowed origin is answered here for every path the router serves (route "preflight"); from a
// refused origin, or with CORS off, OPTIONS is routed like any method (405 with Allow).
boost::asio::awaitable<Response> dispatch(const Router& router, const CorsPolicy& cors, Request& request,
                                          std::string& route);

}  // namespace kok::http::detail
