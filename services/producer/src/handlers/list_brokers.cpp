#include <boost/asio/use_awaitable.hpp>
#include <nlohmann/json.hpp>

#include "handlers/handlers.hpp"
#include "kok/service/kafka_errors.hpp"

namespace kok::producer {

// The brokers as the cluster's metadata names them (the addresses clients are sent to, not the bootstrap list).
// librdkafka 2.0's metadata carries no controller id (DescribeCluster came in 2.3), so none is claimed here.
Reply list_brokers(const ProducerService& service, http::Request&) {
  const auto result = co_await service.admin.async_cluster_info(boost::asio::use_awaitable);
  service::throw_if_kafka_error(result);
  auto brokers = nlohmann::json::array();
  for (const auto& b : result.value.brokers) brokers.push_back({{"id", b.id}, {"host", b.host}, {"port", b.port}});
  co_return http::Response::json(http::status::ok, nlohmann::json{{"brokers", std::move(brokers)}});
}

}  // namespace kok::producer
