#include "kok/http/text.hpp"

#include <gtest/gtest.h>

namespace kok::http {
namespace {

using boost::asio::ip::make_address;

TEST(Text, TrimRemovesSpacesAndTabsOnBothEnds) {
  EXPECT_EQ(trim(" \t a b \t"), "a b");
  EXPECT_EQ(trim("ab"), "ab");
  EXPECT_EQ(trim(" \t "), "");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim("\na\r"), "\na\r");  // only optional whitespace, not line breaks
}

TEST(Text, EndpointTextShowsIpv4Ipv6AndMappedAddresses) {
  EXPECT_EQ(endpoint_text({make_address("10.1.2.3"), 40000}), "10.1.2.3:40000");
  EXPECT_EQ(endpoint_text({make_address("::ffff:127.0.0.1"), 5}), "127.0.0.1:5");
  EXPECT_EQ(endpoint_text({make_address("2001:db8::1"), 8070}), "[2001:db8::1]:8070");
}

}  // namespace
}  // namespace kok::http
