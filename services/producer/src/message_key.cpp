#include "message_key.hpp"

namespace kok::producer {

namespace {
std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}
}  // namespace

std::string endpoint_text(const boost::asio::ip::tcp::endpoint& endpoint) {
  auto address = endpoint.address();
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    address = boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6());
  }
  const auto port = std::to_string(endpoint.port());
  return address.is_v6() ? "[" + address.to_string() + "]:" + port : address.to_string() + ":" + port;
}

std::string client_address(std::optional<std::string_view> forwarded_for, std::optional<std::string_view> real_ip,
                           const boost::asio::ip::tcp::endpoint& peer) {
  if (forwarded_for) {
    // "client, proxy1, proxy2": the first entry is the original client.
    const auto first = trim(forwarded_for->substr(0, forwarded_for->find(',')));
    if (!first.empty()) return std::string(first);
  }
  if (real_ip) {
    const auto ip = trim(*real_ip);
    if (!ip.empty()) return std::string(ip);
  }
  return endpoint_text(peer);
}

std::string message_key(const http::Request& request) {
  if (auto key = request.query("key")) return *key;
  if (auto key = request.header("X-Kafka-Key")) return std::string(*key);
  return "address-" + client_address(request.header("X-Forwarded-For"), request.header("X-Real-IP"), request.peer());
}

}  // namespace kok::producer
