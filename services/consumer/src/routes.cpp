#include "routes.hpp"

#include "kok/service/openapi.hpp"

namespace kok::consumer {

http::Router make_router(ConsumerService& service) {
  using http::verb;
  http::Router router;
  // Each lambda only forwards (it is not itself a coroutine), so capturing the service by reference is safe.
  const auto bind = [&service](auto handler) {
    return [&service, handler](http::Request& r) { return handler(service, r); };
  };
  // Literal segments win over {t}: /consumer/x is never read as a topic named "consumer".
  //           method       path                      route name (metrics label)  handler
  router.add(verb::get,  "/consumer/{t}/stream", "stream",         bind(stream_messages));
  router.add(verb::post, "/consumer/{t}/ack",    "acknowledge",    bind(acknowledge));
  router.add(verb::post, "/consumer/{t}/position", "move_position", bind(move_position));
  router.add(verb::get,  "/consumer/{t}/records", "browse",        bind(browse_records));
  router.add(verb::get,  "/consumer/{t}/offsets", "topic_offsets", bind(topic_offsets));
  router.add(verb::get,  "/consumer/{t}",        "consume",        bind(consume));
  router.add(verb::get,  "/consumer",            "consumer_usage", consumer_usage);
  // A literal route: GET /offsets is not a read of a topic named "offsets" (GET /consumer/offsets reads that one).
  router.add(verb::get,  "/offsets",             "group_offsets",  bind(group_offsets));
  // The web page; its two files are literal one-segment routes, so they win over /{t} like /offsets does.
  router.add(verb::get,  "/",                    "page",           page_html);
  router.add(verb::get,  "/page.js",             "page_script",    page_script);
  router.add(verb::get,  "/page.css",            "page_style",     page_style);
  router.add(verb::get,  "/{t}",                 "next_message",   bind(next_message));
  service::add_openapi_route(router);
  return router;
}

}  // namespace kok::consumer
