#pragma once
#include "kok/http/router.hpp"
#include "producer_service.hpp"

namespace kok::producer {

// The producer's route table (docs/routes.tsv). `service` must outlive the router.
http::Router make_routes(const ProducerService& service);

}  // namespace kok::producer
