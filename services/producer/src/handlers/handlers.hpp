#pragma once
// One free function per endpoint (the route table in routes.cpp says which path calls which).

#include <boost/asio/awaitable.hpp>

#include "kok/http/request.hpp"
#include "kok/http/response.hpp"
#include "producer_service.hpp"

namespace kok::producer {

// What every handler returns: a coroutine whose result is the answer. (http::Handler is the router's type-erased
// callable; this is not that.)
using Reply = boost::asio::awaitable<http::Response>;

// POST /topic/{t} (seed): 1 partition, RF 3; an existing topic is fine (200).
Reply create_topic_seed(const ProducerService& service, http::Request& request);
// POST /message/{t}, POST /producer/{t} (seed): the body is one message; 200 once acks=all came back.
Reply produce_message(const ProducerService& service, http::Request& request);
// GET /brokers: id, host and port of every broker in the cluster's metadata.
Reply list_brokers(const ProducerService& service, http::Request& request);
// GET /topics
Reply list_topics(const ProducerService& service, http::Request& request);
// GET /topics/{t}
Reply describe_topic(const ProducerService& service, http::Request& request);
// POST /topics/{t} with optional JSON {partitions, replication_factor, configs}: 201, or 409 if it exists.
Reply create_topic(const ProducerService& service, http::Request& request);
// DELETE /topics/{t}: 204, 404 when missing; 403 for an internal topic (a name starting with "__").
Reply delete_topic(const ProducerService& service, http::Request& request);
// POST /topics/{t}/messages: raw body (one message) or JSON {"records": [...]}; answers partition + offset per record.
Reply produce_records(const ProducerService& service, http::Request& request);

}  // namespace kok::producer
