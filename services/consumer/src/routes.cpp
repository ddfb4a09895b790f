#include "routes.hpp"

#include "kok/service/spec_routes.hpp"

namespace kok::consumer {

http::Router make_router(ConsumerService& service) {
  using service::with;
  // operationId in docs/openapi.yaml → handler; the spec gives each its method and path. Literal segments win over
  // {topic} (http::Router), so /consumer/x is never read as a topic named "consumer", nor /offsets or /page.js.
  return service::routes_from_spec("consumer", {
      {"next_message",   with(service, next_message)},
      {"consume",        with(service, consume)},
      {"acknowledge",    with(service, acknowledge)},
      {"move_position",  with(service, move_position)},
      {"stream",         with(service, stream_messages)},
      {"browse",         with(service, browse_records)},
      {"topic_offsets",  with(service, topic_offsets)},
      {"group_offsets",  with(service, group_offsets)},
      {"consumer_usage", consumer_usage},
      {"page",           page_html},
      {"page_script",    page_script},
      {"page_style",     page_style},
  });
}

}  // namespace kok::consumer
