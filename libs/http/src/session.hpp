#pragma once
// One client connection: reads requests (with timeouts and size limits), routes them, writes the responses,
// keeps the connection alive when allowed. Everything of a session runs on its own strand.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "connection.hpp"
#include "kok/http/response.hpp"
#include "server_context.hpp"

namespace kok::http::detail {

class Session final : public Connection, public std::enable_shared_from_this<Session> {
 public:
  // `socket` must use a strand executor: the session relies on it for all of its state.
  Session(boost::asio::ip::tcp::socket socket, std::shared_ptr<ServerContext> context);
  ~Session() override;
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // The session's coroutine; the shared_ptr parameter keeps the session alive while it runs.
  static boost::asio::awaitable<void> run(std::shared_ptr<Session> self);

  boost::asio::any_io_executor executor() { return socket_.get_executor(); }
  // Both run on the strand. Shutdown: close if idle, wake sleepers, end keep-alive. Force: close the socket.
  void begin_shutdown();
  void force_close();

  // Connection
  bool stopping() const noexcept override;
  boost::asio::awaitable<bool> sleep_for(std::chrono::milliseconds duration) override;
  boost::asio::awaitable<void> start_event_stream() override;
  boost::asio::awaitable<bool> write_stream(std::string data) override;

 private:
  enum class State { idle, reading, handling, closing };

  boost::asio::awaitable<void> serve();
  // Waits for the first byte of the next request (idle timeout). false = close the connection.
  boost::asio::awaitable<bool> wait_for_request();
  // Handles one complete request. Returns whether to keep the connection open.
  boost::asio::awaitable<bool> handle(BeastRequest message);
  boost::asio::awaitable<bool> finish_stream(Response& response);
  boost::asio::awaitable<unsigned> write_response(BeastResponse& response, bool& keep_alive);
  // Answers a request that could not be read (400/408/413/431) and reports whether to linger before closing.
  boost::asio::awaitable<bool> answer_read_error(boost::system::error_code ec, unsigned version);
  boost::asio::awaitable<void> close(bool linger);
  void record(const std::string& route, unsigned status, std::chrono::steady_clock::time_point started);

  // Our own deadline instead of beast::tcp_stream's: on expiry it cancels (not closes) the socket, so a
  // 408 can still be written. The generation makes a late-firing timer harmless.
  void arm_deadline(std::chrono::milliseconds timeout);
  void disarm_deadline();

  boost::asio::ip::tcp::socket socket_;
  std::shared_ptr<ServerContext> context_;
  boost::asio::ip::tcp::endpoint peer_;
  std::string peer_text_;
  boost::beast::flat_buffer buffer_;
  boost::asio::steady_timer deadline_;
  boost::asio::steady_timer wake_timer_;
  std::uint64_t deadline_generation_ = 0;
  bool timed_out_ = false;
  State state_ = State::idle;

  // The request being handled (for streaming).
  unsigned version_ = 11;
  bool client_keep_alive_ = false;
  std::string request_id_;
  bool streaming_ = false;
  bool chunked_ = false;
  bool stream_failed_ = false;
};

// Answers 503 and closes: used by the listener above max_connections, without creating a session.
boost::asio::awaitable<void> reject_connection(boost::asio::ip::tcp::socket socket);

}  // namespace kok::http::detail
