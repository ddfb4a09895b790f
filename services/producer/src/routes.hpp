#pragma once
#include "kok/http/router.hpp"
#include "producer_context.hpp"

namespace kok::producer {

// The producer's route table (docs/routes.tsv). `ctx` must outlive the router.
http::Router make_routes(const ProducerContext& ctx);

}  // namespace kok::producer
