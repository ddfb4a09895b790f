#pragma once
// A parsed request as handlers see it: method, decoded path parameters and query, headers, body, request id, client
// address, and its Interruption (shutdown, client gone) for handlers that wait. It knows nothing of the connection: a
// handler that streams returns Response::event_stream(...) and the session does the writing.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/verb.hpp>
#include <chrono>
#include <fmt/format.h>
#include <memory>
#include <optional>
#include <spdlog/spdlog.h>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kok/http/interruption.hpp"

namespace kok::http {

using BeastRequest = boost::beast::http::request<boost::beast::http::string_body>;
using boost::beast::http::verb;
using Params = std::vector<std::pair<std::string, std::string>>;

class Request {
 public:
  // Parses the target with Boost.URL; throws Error 400 if it is not a valid origin-form target.
  // `interruption` is the session's for this request; a fresh one (never interrupted) when null (unit tests).
  Request(BeastRequest message, boost::asio::ip::tcp::endpoint peer, std::string request_id,
          std::shared_ptr<Interruption> interruption = nullptr);

  verb method() const noexcept { return message_.method(); }
  std::string_view method_string() const noexcept { return message_.method_string(); }
  std::string_view target() const noexcept { return message_.target(); }
  // Path as received (still percent-encoded), without the query.
  std::string_view encoded_path() const noexcept { return encoded_path_; }
  const std::string& body() const noexcept { return message_.body(); }
  std::string& body() noexcept { return message_.body(); }
  unsigned version() const noexcept { return message_.version(); }

  // Header value by (case-insensitive) name, if present.
  std::optional<std::string_view> header(std::string_view name) const;
  // Percent-decoded query parameter (first occurrence). A key without `=` yields an empty string.
  std::optional<std::string> query(std::string_view key) const;
  const Params& query_params() const noexcept { return query_; }
  // Percent-decoded path parameter of the matched route, e.g. param("topic") for `/topic/{topic}`.
  // Throws Error 500 if the route has no such parameter (a programming error).
  const std::string& param(std::string_view name) const;
  const Params& params() const noexcept { return params_; }

  const std::string& request_id() const noexcept { return request_id_; }
  const boost::asio::ip::tcp::endpoint& peer() const noexcept { return peer_; }
  // Name of the matched route (the metrics label); empty before routing.
  const std::string& route_name() const noexcept { return route_name_; }
  // True if the Accept header names application/json (or application/*) and not only text.
  bool accepts_json() const;
  // True if the Accept header lists `media_type` (e.g. "text/event-stream"; parameters such as q= ignored).
  bool accepts(std::string_view media_type) const;
  // True if Content-Type's media type equals `media_type` (case-insensitive, parameters ignored).
  bool content_type_is(std::string_view media_type) const;

  // Shutdown began or the client went away (see Interruption): a waiting handler should stop waiting.
  Interruption& interruption() const noexcept { return *interruption_; }
  // True once the server began a graceful shutdown; long-poll handlers should answer now.
  bool stopping() const noexcept { return interruption_->stopping(); }
  // True once the client closed or reset the connection: its answer will never be read.
  bool client_gone() const noexcept { return interruption_->client_gone(); }
  // Waits without blocking a thread. true after the full duration, false if cut short by an interruption.
  boost::asio::awaitable<bool> sleep_for(std::chrono::milliseconds duration);

  // Logs through spdlog with the request id in front, so every line of a request can be correlated.
  template <typename... Args>
  void log(spdlog::level::level_enum level, fmt::format_string<Args...> format, Args&&... args) const {
    if (!spdlog::should_log(level)) return;
    spdlog::log(level, "[{}] {}", request_id_, fmt::format(format, std::forward<Args>(args)...));
  }

  const BeastRequest& message() const noexcept { return message_; }
  // Set by the server after routing.
  void bind_route(std::string route_name, Params params);

 private:
  BeastRequest message_;
  boost::asio::ip::tcp::endpoint peer_;
  std::string request_id_;
  std::shared_ptr<Interruption> interruption_;
  std::string encoded_path_;
  Params query_;
  Params params_;
  std::string route_name_;
};

}  // namespace kok::http
