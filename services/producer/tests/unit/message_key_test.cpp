#include "message_key.hpp"

#include <gtest/gtest.h>

namespace kok::producer {
namespace {

using boost::asio::ip::make_address;
using boost::asio::ip::tcp;

http::Request request(std::string_view target, std::vector<std::pair<std::string, std::string>> headers,
                      tcp::endpoint peer) {
  http::BeastRequest msg{http::verb::post, target, 11};
  for (const auto& [k, v] : headers) msg.set(k, v);
  return http::Request(std::move(msg), peer, "test");
}

const tcp::endpoint peer{make_address("10.1.2.3"), 40000};

TEST(MessageKey, DefaultsToTheTcpPeer) {
  EXPECT_EQ(message_key(request("/message/t", {}, peer)), "address-10.1.2.3:40000");
}

TEST(MessageKey, Ipv6AndMappedAddresses) {
  // The peer's text form is http::endpoint_text (libs/http/tests/text_test.cpp); here it reaches the key.
  EXPECT_EQ(message_key(request("/message/t", {}, {make_address("::ffff:127.0.0.1"), 5})), "address-127.0.0.1:5");
  EXPECT_EQ(message_key(request("/message/t", {}, {make_address("2001:db8::1"), 8070})), "address-[2001:db8::1]:8070");
}

TEST(MessageKey, BehindAProxyTheFirstForwardedForEntryIsTheClient) {
  EXPECT_EQ(message_key(request("/message/t", {{"X-Forwarded-For", " 203.0.113.7 , 10.0.0.1"}, {"X-Real-IP", "10.0.0.1"}}, peer)),
            "address-203.0.113.7");
  EXPECT_EQ(message_key(request("/message/t", {{"X-Real-IP", "198.51.100.2"}}, peer)), "address-198.51.100.2");
  // An empty header does not hide the peer.
  EXPECT_EQ(message_key(request("/message/t", {{"X-Forwarded-For", " "}}, peer)), "address-10.1.2.3:40000");
}

TEST(MessageKey, QueryWinsOverHeaderWinsOverAddress) {
  EXPECT_EQ(message_key(request("/message/t?key=from%20query", {{"X-Kafka-Key", "from-header"}}, peer)), "from query");
  EXPECT_EQ(message_key(request("/message/t", {{"X-Kafka-Key", "from-header"}}, peer)), "from-header");
  EXPECT_EQ(message_key(request("/message/t?key=", {}, peer)), "");
}

}  // namespace
}  // namespace kok::producer
