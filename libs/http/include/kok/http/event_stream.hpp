#pragma once
// Server-Sent Events over a connection a handler has taken over (Request::start_event_stream()).

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace kok::http {

namespace detail {
class Connection;
}

// One SSE event. Fields left empty are not sent; `data` may contain newlines (split into several data: lines).
struct Event {
  std::string id;
  std::string event;
  std::string data;
  std::optional<std::chrono::milliseconds> retry;
};

// Serialises an event in the text/event-stream format (ends with the blank line).
std::string format_event(const Event& event);

// A non-owning handle to the session's connection; valid until the handler returns.
// Every call runs on the session's strand; one write at a time.
class EventStream {
 public:
  explicit EventStream(detail::Connection* connection) noexcept : connection_(connection) {}

  // Writes one event. false = the client is gone or the write timed out: stop streaming and return.
  boost::asio::awaitable<bool> send(const Event& event);
  // A comment line (": text"), used as a heartbeat so proxies and clients see the stream alive.
  boost::asio::awaitable<bool> comment(std::string_view text);
  // True once the server began shutting down: finish and return Response::streamed().
  bool stopping() const noexcept;

 private:
  detail::Connection* connection_;
};

}  // namespace kok::http
