#include "routes.hpp"

#include "handlers/handlers.hpp"
#include "kok/service/openapi.hpp"

namespace kok::producer {

namespace {

// Binds a handler to the context. The lambda only forwards (it is not itself a coroutine), so capturing is safe.
template <typename Fn>
auto bind(const ProducerService& service, Fn fn) {
  return [&service, fn](http::Request& request) { return fn(service, request); };
}

}  // namespace

http::Router make_routes(const ProducerService& service) {
  using http::verb;
  http::Router r;
  //       method        path                     route name (metrics label)  handler
  r.add(verb::post, "/topic/{t}",            "seed_create_topic", bind(service, create_topic_seed));
  r.add(verb::post, "/message/{t}",          "seed_message",      bind(service, produce_message));
  r.add(verb::post, "/producer/{t}",         "seed_producer",     bind(service, produce_message));
  r.add(verb::get,  "/brokers",              "list_brokers",      bind(service, list_brokers));
  r.add(verb::get,  "/topics",               "list_topics",       bind(service, list_topics));
  r.add(verb::get,  "/topics/{t}",           "describe_topic",    bind(service, describe_topic));
  r.add(verb::post, "/topics/{t}",           "create_topic",      bind(service, create_topic));
  r.add(verb::delete_, "/topics/{t}",        "delete_topic",      bind(service, delete_topic));
  r.add(verb::post, "/topics/{t}/messages",  "produce_records",   bind(service, produce_records));
  service::add_openapi_route(r);
  // /healthz, /readyz and /metrics are added by the server.
  return r;
}

}  // namespace kok::producer
