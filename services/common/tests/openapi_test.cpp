#include "kok/service/openapi.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace kok::service {
namespace {

TEST(OpenApi, EmbedsTheSpecByteForByte) {
  std::ifstream in(KOK_OPENAPI_SOURCE_FILE, std::ios::binary);
  if (!in) GTEST_SKIP() << "docs/openapi.yaml not present";
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(openapi_yaml(), ss.str());
  EXPECT_TRUE(openapi_yaml().starts_with("openapi:"));
}

}  // namespace
}  // namespace kok::service
