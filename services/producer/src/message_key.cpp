#include "message_key.hpp"

#include "kok/http/text.hpp"

namespace kok::producer {

using http::endpoint_text;
using http::trim;

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
