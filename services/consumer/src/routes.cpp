#include "routes.hpp"

#include "kok/service/openapi.hpp"

namespace kok::consumer {

http::Router make_router(App& app) {
  using http::verb;
  http::Router router;
  // Literal segments win over {t}: /consumer/x is never read as a topic named "consumer".
  router.add(verb::get, "/consumer/{t}/stream", "stream", [&app](http::Request& r) { return stream_messages(app, r); });
  router.add(verb::get, "/consumer/{t}", "consume", [&app](http::Request& r) { return consume(app, r); });
  router.add(verb::get, "/consumer", "consumer_usage", consumer_usage);
  router.add(verb::get, "/{t}", "next_message", [&app](http::Request& r) { return next_message(app, r); });
  service::add_openapi_route(router);
  return router;
}

}  // namespace kok::consumer
