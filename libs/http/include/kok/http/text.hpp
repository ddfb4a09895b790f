#pragma once
// Small text forms the server and the services share, so each is spelled one way.

#include <boost/asio/ip/tcp.hpp>
#include <string>
#include <string_view>

namespace kok::http {

// `s` without leading and trailing spaces and tabs (HTTP's optional whitespace, RFC 9110 §5.6.3).
[[nodiscard]] std::string_view trim(std::string_view s) noexcept;

// "203.0.113.7:5000" for IPv4 (an IPv4-mapped IPv6 address is shown as IPv4), "[2001:db8::1]:5000" for IPv6.
[[nodiscard]] std::string endpoint_text(const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace kok::http
