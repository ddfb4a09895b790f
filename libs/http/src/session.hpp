#pragma once
// One client connection: reads requests (with timeouts and size limits), hands each to the funnel (dispatch.hpp),
// writes the answer — a whole response or an event stream whose writes it owns — and keeps the connection alive
// when allowed. While a request is being handled it watches the connection, so a client that leaves interrupts its
// request (kok/http/interruption.hpp). Everything of a session runs on its own strand.

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/system/error_code.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "kok/http/event_stream.hpp"
#include "kok/http/interruption.hpp"
#include "connection_watch.hpp"
#include "kok/http/response.hpp"
#include "server_context.hpp"
#include "session_deadline.hpp"

namespace kok::http::detail {

class Session final : public StreamSink, public std::enable_shared_from_this<Session> {
 public:
  // `socket` must use a strand executor: the session relies on it for all of its state.
  Session(boost::asio::ip::tcp::socket socket, std::shared_ptr<ServerContext> context);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // The session's coroutine; the shared_ptr parameter keeps the session alive while it runs.
  static boost::asio::awaitable<void> run(std::shared_ptr<Session> self);

  boost::asio::any_io_executor executor() { return socket_.get_executor(); }
  // Both run on the strand. Shutdown: close if idle, interrupt the request in hand, end keep-alive. Force: close.
  void begin_shutdown();
  void force_close();

 private:
  enum class State { idle, reading, handling, closing };

  // What belongs to the request in hand, reset for each one.
  struct Exchange {
    std::string request_id;
    unsigned version = 11;
    bool keep_alive = false;  // as the client asked
    bool wants_json = false;  // errors rendered as JSON
    std::shared_ptr<Interruption> interruption = std::make_shared<Interruption>();
    bool chunked = false;       // event stream with chunked encoding (HTTP/1.1)
    bool stream_failed = false;  // an event stream write failed
    CorsPolicy::Headers cors_headers;  // added to the answer (CorsPolicy::response_headers)
  };

  boost::asio::awaitable<void> serve();
  // Waits for the first byte of the next request (idle timeout). false = close the connection.
  boost::asio::awaitable<bool> wait_for_request();
  // Handles one complete request. Returns whether to keep the connection open.
  boost::asio::awaitable<bool> handle(BeastRequest message, BodyReservation body);
  // handle()'s steps: the request's Exchange, the funnel's answer (`route`: the matched route's name), the written
  // callback, and the access log line.
  void begin_exchange(const BeastRequest& message);
  boost::asio::awaitable<Response> dispatch_request(BeastRequest message, std::string& route);
  void report_written(Response& response, bool delivered);
  void log_access(const std::string& method, const std::string& target, unsigned status, const Response& response,
                  bool delivered, std::chrono::steady_clock::time_point started);
  // Writes the answer; returns the status written, 0 if it was not (client gone, write failed).
  boost::asio::awaitable<unsigned> write_answer(Response& response, bool& keep_alive);
  boost::asio::awaitable<unsigned> write_response(BeastResponse& response, bool& keep_alive);
  boost::asio::awaitable<unsigned> run_event_stream(const StreamBody& body, bool& keep_alive);
  // StreamSink: one chunk of an event stream.
  boost::asio::awaitable<bool> write(std::string data) override;
  // Answers a request that could not be read (400/408/413/431) and reports whether to linger before closing.
  boost::asio::awaitable<bool> answer_read_error(boost::system::error_code ec, unsigned version);
  // Answers a request whose body was not read (the connection is closed after it).
  boost::asio::awaitable<void> answer_unread(Error error, unsigned version, const std::string& why);
  boost::asio::awaitable<void> close(bool linger);
  void record(const std::string& route, unsigned status, std::chrono::steady_clock::time_point started);
  bool stopping() const noexcept;

  // Ends the I/O in hand without closing the connection: a phase that ran out (408 can still be written), an idle
  // wait that a shutdown ends.
  void cut_short();

  boost::asio::ip::tcp::socket socket_;
  std::shared_ptr<ServerContext> context_;
  boost::asio::ip::tcp::endpoint peer_;
  std::string peer_text_;
  boost::beast::flat_buffer buffer_;
  // Declared after socket_: both end before the socket does.
  SessionDeadline deadline_;
  ConnectionWatch watch_;
  State state_ = State::idle;
  Exchange exchange_;
};

// Answers 503 and closes: used by the listener above max_connections, without creating a session.
boost::asio::awaitable<void> reject_connection(boost::asio::ip::tcp::socket socket);

}  // namespace kok::http::detail
