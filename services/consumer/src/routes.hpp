#pragma once
#include "handlers/handlers.hpp"
#include "kok/http/router.hpp"

namespace kok::consumer {

// The consumer's route table: its operations in docs/openapi.yaml, bound to handlers. `service` must outlive it.
http::Router make_router(ConsumerService& service);

}  // namespace kok::consumer
