#pragma once
// One free function per endpoint (the route table is in routes.cpp).

#include <boost/asio/awaitable.hpp>

#include "kok/http/request.hpp"
#include "kok/http/response.hpp"

namespace kok::consumer {

struct ConsumerSettings;
class ConsumerRegistry;

// What handlers need. `registry` is set once the server (whose io_context it uses) exists.
struct App {
  const ConsumerSettings& settings;
  ConsumerRegistry* registry = nullptr;
};

// GET /{t}: the next message as "offset: N key: K value: V", 404 "Not Found" when none arrives in time.
boost::asio::awaitable<http::Response> next_message(App& app, http::Request& req);
// GET /consumer/{t}: like GET /{t}; with Accept: application/json a long-poll batch (?wait=, ?max=), 204 when none.
boost::asio::awaitable<http::Response> consume(App& app, http::Request& req);
// GET /consumer/{t}/stream: Server-Sent Events, resumable with Last-Event-ID.
boost::asio::awaitable<http::Response> stream_messages(App& app, http::Request& req);
// GET /consumer (no topic): explains the path instead of reading a topic named "consumer".
http::Response consumer_usage(http::Request& req);

}  // namespace kok::consumer
