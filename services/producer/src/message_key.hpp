#pragma once
// Which key a produced message gets. The seed keyed every message by its sender, `address-<ip:port>`; behind the
// gateway/Ingress the sender is the first X-Forwarded-For entry (or X-Real-IP), not the proxy's address.

#include <boost/asio/ip/tcp.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "kok/http/request.hpp"

namespace kok::producer {

// The client as the seed saw it: first X-Forwarded-For entry, else X-Real-IP, else the TCP peer.
std::string client_address(std::optional<std::string_view> forwarded_for, std::optional<std::string_view> real_ip,
                           const boost::asio::ip::tcp::endpoint& peer);

// `?key=` wins, then the X-Kafka-Key header, then `address-<client>`.
std::string message_key(const http::Request& request);

}  // namespace kok::producer
