#pragma once
// What a handler returns: a Beast response plus an optional "written" callback, an Error to render, or an event
// stream whose body the session runs after the handler returned.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "kok/http/error.hpp"
#include "kok/http/event_stream.hpp"

namespace kok::http {

using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;
using boost::beast::http::status;

// Called by the session exactly once, on the session's strand: true once the whole response was handed to the
// kernel, false if it was not (client gone before or during the write, write timeout). Lets a handler commit work
// only after delivery. For an event stream: once the body has returned, true if the stream ended cleanly.
using WrittenCallback = std::function<void(bool written)>;

class Response {
 public:
  Response() = default;
  // An error answer; the session renders it according to the client's Accept header.
  static Response from_error(Error error);

  static Response text(status s, std::string body);
  // Body is `value.dump()`, Content-Type application/json.
  static Response json(status s, const nlohmann::json& value);
  static Response empty(status s);
  // Server-Sent Events: `body` runs after the handler returned, writing events (see event_stream.hpp).
  static Response event_stream(StreamBody body);

  Response& header(std::string_view name, std::string_view value);
  Response& on_written(WrittenCallback callback);

  BeastResponse& message() noexcept { return message_; }
  const BeastResponse& message() const noexcept { return message_; }
  const std::optional<Error>& error() const noexcept { return error_; }
  bool is_event_stream() const noexcept { return static_cast<bool>(stream_); }
  const StreamBody& stream_body() const noexcept { return stream_; }
  WrittenCallback& written_callback() noexcept { return written_; }

 private:
  BeastResponse message_{status::ok, 11};
  std::optional<Error> error_;
  WrittenCallback written_;
  StreamBody stream_;
};

}  // namespace kok::http
