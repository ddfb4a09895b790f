#pragma once
// Server-Sent Events. A handler answers with Response::event_stream(body); once the handler has returned, the session
// writes the response head (text/event-stream, no-cache; chunked for HTTP/1.1, close-delimited for HTTP/1.0) and runs
// `body` with an EventStream whose writes it owns. Errors found before the stream starts (404, 400) are ordinary
// answers, because the handler throws them before it returns the stream.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kok/http/interruption.hpp"

namespace kok::http {

namespace detail {
// Where a stream's bytes go: implemented by the session.
class StreamSink {
 public:
  // Writes one piece of the body. false = the client is gone or the write timed out.
  virtual boost::asio::awaitable<bool> write(std::string data) = 0;

 protected:
  ~StreamSink() = default;
};
}  // namespace detail

// One SSE event. Fields left empty are not sent; `data` may contain newlines (split into several data: lines).
struct Event {
  std::string id;
  std::string event;
  std::string data;
  std::optional<std::chrono::milliseconds> retry;
};

// Serialises an event in the text/event-stream format (ends with the blank line).
std::string format_event(const Event& event);

// What a stream body writes to; valid while the body runs, used from the session's strand, one write at a time.
class EventStream {
 public:
  EventStream(detail::StreamSink& sink, Interruption& interruption) noexcept
      : sink_(&sink), interruption_(&interruption) {}

  // Writes one event. false = the client is gone or the write timed out: stop streaming and return.
  boost::asio::awaitable<bool> send(const Event& event);
  // Writes several events at once (one write: cheaper than one each).
  boost::asio::awaitable<bool> send(const std::vector<Event>& events);
  // A comment line (": text"), used as a heartbeat so proxies and clients see the stream alive.
  boost::asio::awaitable<bool> comment(std::string_view text);
  // Shutdown began or the client left: finish and return. Waits bind interruption().slot() to end early.
  [[nodiscard]] bool stopping() const noexcept { return interruption_->interrupted(); }
  Interruption& interruption() const noexcept { return *interruption_; }

 private:
  detail::StreamSink* sink_;
  Interruption* interruption_;
};

// The body of a streamed answer. It must not capture references to the request: the handler has returned by the time
// it runs (keep what it needs by value, e.g. a shared_ptr).
using StreamBody = std::function<boost::asio::awaitable<void>(EventStream&)>;

}  // namespace kok::http
