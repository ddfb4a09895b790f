// The Idempotency-Key header's value: the draft's quoted string, the bare values clients send, and clear 400s.
#include <gtest/gtest.h>

#include "idempotency/request_key.hpp"
#include "kok/http/error.hpp"

namespace kok::producer::idempotency {
namespace {

TEST(IdempotencyKey, AQuotedStringIsTheDraftsForm) {
  EXPECT_EQ(parse_key(R"("8e03978e-40d5-43e8-bc93-6894a57f9324")"), "8e03978e-40d5-43e8-bc93-6894a57f9324");
  EXPECT_EQ(parse_key(R"("with space and \"quotes\" and \\")"), R"(with space and "quotes" and \)");
}

TEST(IdempotencyKey, ABareValueIsAcceptedAsManyClientsSendIt) {
  EXPECT_EQ(parse_key("order-42:retry/1+x=y"), "order-42:retry/1+x=y");
}

TEST(IdempotencyKey, EverythingElseIsA400NamingTheRule) {
  const std::string longest(max_key_length, 'k');
  EXPECT_EQ(parse_key(longest), longest);
  for (const std::string& bad : {std::string{}, std::string{"\"\""}, std::string{"\"open"}, std::string{"\"a\";p=1"},
                                std::string{"\"bad \\n escape\""}, std::string{"two words"}, std::string{"a,b"},
                                std::string{"a;b"}, std::string{"tab\there"}, std::string{"caf\xc3\xa9"},
                                std::string(max_key_length + 1, 'k')}) {
    try {
      (void)parse_key(bad);
      ADD_FAILURE() << "accepted: " << bad;
    } catch (const http::Error& e) {
      EXPECT_EQ(e.code(), 400U) << bad;
      EXPECT_EQ(e.reason(),
                "Idempotency-Key must be a quoted string (\"...\") or a bare value of 1-255 visible ASCII characters "
                "(no quotes, backslashes, commas or semicolons)");
    }
  }
}

}  // namespace
}  // namespace kok::producer::idempotency
