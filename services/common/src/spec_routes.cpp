#include "kok/service/spec_routes.hpp"

#include <algorithm>
#include <boost/algorithm/string/case_conv.hpp>
#include <boost/algorithm/string/join.hpp>
#include <fmt/format.h>
#include <stdexcept>
#include <yaml-cpp/yaml.h>

#include "kok/http/server.hpp"
#include "kok/service/openapi.hpp"

namespace kok::service {

namespace {

// OpenAPI's operation keys of a path item; its other keys (summary, parameters, ...) are not operations.
constexpr std::string_view operation_methods[] = {"get", "put", "post", "delete", "options", "head", "patch", "trace"};

const http::BuiltInRoute* built_in(std::string_view id) {
  const auto found = std::find_if(http::built_in_routes.begin(), http::built_in_routes.end(),
                                  [id](const http::BuiltInRoute& route) { return route.name == id; });
  return found == http::built_in_routes.end() ? nullptr : &*found;
}

http::Response serve_spec(http::Request&) {
  auto response = http::Response::text(http::status::ok, std::string(openapi_yaml()));
  response.header("Content-Type", "application/yaml");
  return response;
}

}  // namespace

http::Router routes_from_spec(std::string_view spec_yaml, std::string_view service, std::vector<Operation> operations) {
  operations.emplace_back("openapi", serve_spec);
  std::vector<std::string> problems;
  std::vector<bool> bound(operations.size(), false);
  http::Router router;
  YAML::Node paths;
  try {
    const YAML::Node spec = YAML::Load(std::string(spec_yaml));
    if (spec.IsMap()) paths = spec["paths"];
  } catch (const YAML::Exception& e) {
    problems.push_back(fmt::format("the spec is not YAML ({})", e.what()));
  }
  if (problems.empty() && !paths.IsMap()) problems.emplace_back("the spec has no paths: map");
  for (const auto& path : paths.IsMap() ? paths : YAML::Node{}) {
    const auto pattern = path.first.as<std::string>();
    for (const auto& entry : path.second) {
      const auto method = entry.first.as<std::string>();
      const auto* const methods_end = std::end(operation_methods);
      if (std::find(std::begin(operation_methods), methods_end, method) == methods_end) continue;
      const auto method_name = boost::algorithm::to_upper_copy(method);
      const auto where = fmt::format("{} {}", method_name, pattern);
      const auto& operation = entry.second;
      if (!operation["operationId"] || !operation["x-service"]) {
        problems.push_back(where + " has no operationId or no x-service");
        continue;
      }
      const auto id = operation["operationId"].as<std::string>();
      const auto owner = operation["x-service"].as<std::string>();
      if (owner != service && owner != "each") continue;
      if (const auto* server_route = built_in(id)) {
        if (method != "get" || pattern != server_route->path) {
          problems.push_back(
              fmt::format("{} ({}): the server answers {} at GET {}", where, id, id, server_route->path));
        }
        continue;
      }
      const auto handler = std::find_if(operations.begin(), operations.end(),
                                        [&id](const Operation& candidate) { return candidate.id == id; });
      if (handler == operations.end()) {
        problems.push_back(fmt::format("{} ({}) has no handler", where, id));
        continue;
      }
      bound[static_cast<std::size_t>(handler - operations.begin())] = true;
      router.add_async(boost::beast::http::string_to_verb(method_name), pattern, id, handler->handler);
    }
  }
  for (std::size_t i = 0; i < operations.size(); ++i) {
    if (!bound[i]) problems.push_back(fmt::format("handler {} has no operation of the {}", operations[i].id, service));
  }
  if (!problems.empty()) {
    throw std::logic_error(fmt::format("the {}'s routes and its API spec disagree: {}", service,
                                       boost::algorithm::join(problems, "; ")));
  }
  return router;
}

http::Router routes_from_spec(std::string_view service, std::vector<Operation> operations) {
  return routes_from_spec(openapi_yaml(), service, std::move(operations));
}

}  // namespace kok::service
