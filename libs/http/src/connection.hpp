#pragma once
// What a Request needs from the session that owns it: shutdown state, shutdown-aware sleeping, and taking over
// the connection for a stream. Implemented by Session; kept abstract so Request stays independent of it.

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <string>

namespace kok::http::detail {

class Connection {
 public:
  virtual ~Connection() = default;
  virtual bool stopping() const noexcept = 0;
  // true after the full duration, false when cut short by shutdown.
  virtual boost::asio::awaitable<bool> sleep_for(std::chrono::milliseconds duration) = 0;
  // Writes the SSE response head. Throws Error if the stream cannot be started.
  virtual boost::asio::awaitable<void> start_event_stream() = 0;
  // Writes raw stream data (one chunk). false = the client is gone.
  virtual boost::asio::awaitable<bool> write_stream(std::string data) = 0;

 protected:
  Connection() = default;
  Connection(const Connection&) = default;
  Connection& operator=(const Connection&) = default;
};

}  // namespace kok::http::detail
