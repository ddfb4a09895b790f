#pragma once
// A service's route table, built from the API spec it serves (docs/openapi.yaml, embedded at build time): every
// operation whose `x-service` is the service's name or `each` becomes a route named by its `operationId` (the metrics
// label) and bound to the handler given for that id. The spec and the code cannot drift apart: an operation without a
// handler, a handler without an operation, or an operation without operationId or x-service stops the service at
// startup with every mismatch named (so every test that starts a service checks its table).

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kok/http/router.hpp"

namespace kok::service {

// The handler of one operationId: any callable taking Request& and returning Response or awaitable<Response>.
struct Operation {
  template <typename F>
  Operation(std::string operation_id, F&& fn)
      : id(std::move(operation_id)), handler(http::to_handler(std::forward<F>(fn))) {}
  std::string id;
  http::Handler handler;
};

// A handler that gets the service's assembled parts with each request: fn(parts, request). `parts` must outlive the
// router. The lambda only forwards (it is not itself a coroutine), so capturing by reference is safe.
template <typename Parts, typename Fn>
auto with(Parts& parts, Fn fn) {
  return [&parts, fn](http::Request& request) { return fn(parts, request); };
}

// The routes of `service` in `spec_yaml`, in the spec's order. GET /openapi.yaml (operationId "openapi") is bound here;
// the server's own routes (http::built_in_routes) are left to it, once their paths are checked against the spec.
// Throws std::logic_error listing every mismatch.
http::Router routes_from_spec(std::string_view spec_yaml, std::string_view service, std::vector<Operation> operations);
// The same on the embedded docs/openapi.yaml.
http::Router routes_from_spec(std::string_view service, std::vector<Operation> operations);

}  // namespace kok::service
