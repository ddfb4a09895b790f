#pragma once
// Where the local gateway of this test run listens (test.sh sets GATEWAY_PORT), shared by the gateway tests.
#include <cstdint>
#include <cstdlib>
#include <string>

inline std::uint16_t gateway_port() {
  const char* env = std::getenv("GATEWAY_PORT");
  return static_cast<std::uint16_t>(std::stoi(env != nullptr && *env != '\0' ? env : "8080"));
}
