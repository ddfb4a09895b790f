#pragma once
// One free function per endpoint (routes.cpp binds them to the spec's operations). Each gets the service it works for.

#include <boost/asio/awaitable.hpp>

#include "consumer_service.hpp"
#include "kok/http/request.hpp"
#include "kok/http/response.hpp"

namespace kok::consumer {

// GET /{t}: the next message as "offset: N key: K value: V", 404 "Not Found" when none arrives in time.
boost::asio::awaitable<http::Response> next_message(ConsumerService& service, http::Request& req);
// GET /consumer/{t}: like GET /{t}; with Accept: application/json a long-poll batch (?wait=, ?max=), 204 when none.
// ?reader=R on either: what R is sent is committed only once R acknowledges it (its next read, or POST .../ack).
boost::asio::awaitable<http::Response> consume(ConsumerService& service, http::Request& req);
// POST /consumer/{t}/ack?reader=R: R processed what it was sent; commit it.
boost::asio::awaitable<http::Response> acknowledge(ConsumerService& service, http::Request& req);
// POST /consumer/{t}/position?to=WHERE[&partition=P]: moves the group's position (a replay) and commits it.
boost::asio::awaitable<http::Response> move_position(ConsumerService& service, http::Request& req);
// GET /consumer/{t}/stream: Server-Sent Events, resumable with Last-Event-ID.
boost::asio::awaitable<http::Response> stream_messages(ConsumerService& service, http::Request& req);
// GET /consumer/{t}/records: browse without consuming (joins no group, commits nothing); JSON, or SSE with
// Accept: text/event-stream (handlers/browse.cpp).
boost::asio::awaitable<http::Response> browse_records(ConsumerService& service, http::Request& req);
// GET /consumer/{t}/offsets and GET /offsets: log start and end, the group's committed offsets, lag.
boost::asio::awaitable<http::Response> topic_offsets(ConsumerService& service, http::Request& req);
boost::asio::awaitable<http::Response> group_offsets(ConsumerService& service, http::Request& req);
// GET /consumer (no topic): explains the path instead of reading a topic named "consumer".
http::Response consumer_usage(http::Request& req);
// GET /, /page.js, /page.css: the web page compiled into the binary (handlers/page.cpp, services/consumer/web/).
http::Response page_html(http::Request& req);
http::Response page_script(http::Request& req);
http::Response page_style(http::Request& req);

}  // namespace kok::consumer
