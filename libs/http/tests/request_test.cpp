#include "kok/http/request.hpp"

#include <gtest/gtest.h>

#include "kok/http/error.hpp"
#include "kok/http/event_stream.hpp"

namespace kok::http {
namespace {

Request make(std::string_view target, std::vector<std::pair<std::string, std::string>> headers = {}) {
  BeastRequest msg{verb::get, target, 11};
  for (const auto& [k, v] : headers) msg.set(k, v);
  return Request(std::move(msg), {}, "rid-1");
}

TEST(Request, QueryParametersAreDecoded) {
  const auto r = make("/consumer/t?wait=5s&max=10&key=a%20b%26c&flag&plus=a+b");
  EXPECT_EQ(r.encoded_path(), "/consumer/t");
  EXPECT_EQ(r.query("wait"), "5s");
  EXPECT_EQ(r.query("max"), "10");
  EXPECT_EQ(r.query("key"), "a b&c");
  EXPECT_EQ(r.query("flag"), "");
  EXPECT_FALSE(r.query("missing"));
  EXPECT_EQ(r.query_params().size(), 5U);
}

TEST(Request, MalformedTargetIs400) {
  try {
    make("not a target");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), 400U);
  }
  EXPECT_THROW(make("/a?x=%zz"), Error);
}

TEST(Request, PathParamsAfterBinding) {
  auto r = make("/topic/a%2Fb");
  r.bind_route("create_topic", {{"t", "a/b"}});
  EXPECT_EQ(r.param("t"), "a/b");
  EXPECT_EQ(r.route_name(), "create_topic");
  EXPECT_THROW(r.param("nope"), Error);
}

TEST(Request, HeadersAndMediaTypes) {
  const auto r = make("/", {{"Content-Type", "Application/JSON; charset=utf-8"}, {"Accept", "text/plain, application/json;q=0.9"}, {"X-Kafka-Key", "k"}});
  EXPECT_TRUE(r.content_type_is("application/json"));
  EXPECT_FALSE(r.content_type_is("text/plain"));
  EXPECT_TRUE(r.accepts_json());
  EXPECT_EQ(r.header("x-kafka-key"), "k");
  EXPECT_FALSE(r.header("missing"));
  EXPECT_FALSE(make("/", {{"Accept", "*/*"}}).accepts_json());
  EXPECT_FALSE(make("/").accepts_json());
  EXPECT_EQ(r.request_id(), "rid-1");
  EXPECT_FALSE(r.stopping());
}

TEST(Request, AcceptsAMediaTypeItLists) {
  EXPECT_TRUE(make("/", {{"Accept", "text/html, Text/Event-Stream;q=0.9"}}).accepts("text/event-stream"));
  EXPECT_FALSE(make("/", {{"Accept", "text/event-streams"}}).accepts("text/event-stream"));
  EXPECT_FALSE(make("/", {{"Accept", "application/json"}}).accepts("text/event-stream"));
  EXPECT_FALSE(make("/").accepts("text/event-stream"));
}

TEST(EventFormat, MultiLineDataAndFields) {
  Event e;
  e.id = "7";
  e.event = "message";
  e.data = "a\nb\r\nc";
  EXPECT_EQ(format_event(e), "id: 7\nevent: message\ndata: a\ndata: b\ndata: c\n\n");
  Event plain;
  plain.data = "";
  EXPECT_EQ(format_event(plain), "data: \n\n");
  Event sneaky;
  sneaky.id = "1\ndata: injected";
  sneaky.data = "x";
  sneaky.retry = std::chrono::milliseconds{1500};
  EXPECT_EQ(format_event(sneaky), "id: 1 data: injected\nretry: 1500\ndata: x\n\n");
}

}  // namespace
}  // namespace kok::http
