#include "idempotency/request_key.hpp"

#include <openssl/evp.h>

#include <array>
#include <memory>

#include "kok/http/error.hpp"

namespace kok::producer::idempotency {

namespace {

[[noreturn]] void refuse() {
  throw http::bad_request("Idempotency-Key must be a quoted string (\"...\") or a bare value of 1-" +
                          std::to_string(max_key_length) +
                          " visible ASCII characters (no quotes, backslashes, commas or semicolons)");
}

bool visible(char c) { return c > 0x20 && c < 0x7f; }

}  // namespace

std::string parse_key(std::string_view header) {
  std::string key;
  if (!header.empty() && header.front() == '"') {
    bool closed = false;
    for (std::size_t i = 1; i < header.size(); ++i) {
      const char c = header[i];
      if (c == '"') {
        closed = i + 1 == header.size();  // nothing may follow (no parameters)
        break;
      }
      if (c == '\\') {
        if (++i == header.size() || (header[i] != '"' && header[i] != '\\')) refuse();
        key.push_back(header[i]);
      } else if (c == ' ' || visible(c)) {
        key.push_back(c);
      } else {
        refuse();
      }
    }
    if (!closed) refuse();
  } else {
    for (const char c : header) {
      if (!visible(c) || c == '"' || c == '\\' || c == ',' || c == ';') refuse();
    }
    key = header;
  }
  if (key.empty() || key.size() > max_key_length) refuse();
  return key;
}

std::optional<std::string> request_key(const http::Request& request) {
  const auto header = request.header("Idempotency-Key");
  if (!header) return std::nullopt;
  return parse_key(*header);
}

std::string fingerprint(const http::Request& request) {
  const std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx{EVP_MD_CTX_new(), EVP_MD_CTX_free};
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) throw std::runtime_error("SHA-256 unavailable");
  // Each part is length-prefixed, so no two different requests hash the same bytes.
  auto add = [&ctx](std::string_view part) {
    const auto size = std::to_string(part.size()) + ":";
    EVP_DigestUpdate(ctx.get(), size.data(), size.size());
    EVP_DigestUpdate(ctx.get(), part.data(), part.size());
  };
  add(request.method_string());
  add(request.target());
  add(request.header("Content-Type").value_or(""));
  add(request.header("X-Kafka-Key").value_or(""));
  add(request.body());
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EVP_DigestFinal_ex(ctx.get(), digest.data(), &length);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * length);
  for (unsigned i = 0; i < length; ++i) {
    out.push_back(hex[digest[i] >> 4]);
    out.push_back(hex[digest[i] & 0xf]);
  }
  return out;
}

}  // namespace kok::producer::idempotency
