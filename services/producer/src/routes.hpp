#pragma once
#include "kok/http/router.hpp"
#include "producer_service.hpp"

namespace kok::producer {

// The producer's route table: its operations in docs/openapi.yaml, bound to handlers. `service` must outlive it.
http::Router make_router(const ProducerService& service);

}  // namespace kok::producer
