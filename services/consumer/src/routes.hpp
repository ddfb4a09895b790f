#pragma once
#include "handlers/handlers.hpp"
#include "kok/http/router.hpp"

namespace kok::consumer {

// The consumer's route table (docs/routes.tsv). /healthz, /readyz and /metrics are added by the server.
http::Router make_router(ConsumerService& service);

}  // namespace kok::consumer
