#pragma once
// What a handler returns: a Beast response plus an optional "written" callback, or an Error to render.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/string_body.hpp>
#include <functional>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "kok/http/error.hpp"

namespace kok::http {

using BeastResponse = boost::beast::http::response<boost::beast::http::string_body>;
using boost::beast::http::status;

// Called by the session exactly once, on the session's strand: true once the whole response was handed to the
// kernel, false if writing failed (client gone, write timeout). Lets a handler commit work only after delivery.
using WrittenCallback = std::function<void(bool written)>;

class Response {
 public:
  Response() = default;
  // An error answer; the session renders it according to the client's Accept header.
  Response(Error error);  // NOLINT(google-explicit-constructor): handlers `co_return Error{...}`.

  static Response text(status s, std::string body);
  // Body is `value.dump()`, Content-Type application/json.
  static Response json(status s, const nlohmann::json& value);
  static Response empty(status s);
  // Returned by a handler that took over the connection with Request::start_event_stream().
  static Response streamed();

  Response& header(std::string_view name, std::string_view value);
  Response& on_written(WrittenCallback callback);

  BeastResponse& message() noexcept { return message_; }
  const BeastResponse& message() const noexcept { return message_; }
  const std::optional<Error>& error() const noexcept { return error_; }
  bool is_streamed() const noexcept { return streamed_; }
  WrittenCallback& written_callback() noexcept { return written_; }

 private:
  BeastResponse message_{status::ok, 11};
  std::optional<Error> error_;
  WrittenCallback written_;
  bool streamed_ = false;
};

}  // namespace kok::http
