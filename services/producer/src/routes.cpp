#include "routes.hpp"

#include "handlers/handlers.hpp"
#include "kok/service/openapi.hpp"

namespace kok::producer {

namespace {

// Binds a handler to the context. The lambda only forwards (it is not itself a coroutine), so capturing is safe.
template <typename Fn>
auto bind(const ProducerContext& ctx, Fn fn) {
  return [&ctx, fn](http::Request& request) { return fn(ctx, request); };
}

}  // namespace

http::Router make_routes(const ProducerContext& ctx) {
  using http::verb;
  http::Router r;
  //       method        path                     route name (metrics label)  handler
  r.add(verb::post, "/topic/{t}",            "seed_create_topic", bind(ctx, create_topic_seed));
  r.add(verb::post, "/message/{t}",          "seed_message",      bind(ctx, produce_message));
  r.add(verb::post, "/producer/{t}",         "seed_producer",     bind(ctx, produce_message));
  r.add(verb::get,  "/topics",               "list_topics",       bind(ctx, list_topics));
  r.add(verb::get,  "/topics/{t}",           "describe_topic",    bind(ctx, describe_topic));
  r.add(verb::post, "/topics/{t}",           "create_topic",      bind(ctx, create_topic));
  r.add(verb::post, "/topics/{t}/messages",  "produce_records",   bind(ctx, produce_records));
  service::add_openapi_route(r);
  // /healthz, /readyz and /metrics are added by the server.
  return r;
}

}  // namespace kok::producer
