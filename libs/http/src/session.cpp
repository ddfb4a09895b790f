#include "session.hpp"

#include <array>
#include <boost/asio/redirect_error.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/chunk_encode.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <spdlog/spdlog.h>

#include "error_rendering.hpp"
#include "kok/http/request.hpp"
#include "media_type.hpp"
#include "request_id.hpp"

namespace kok::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bh = boost::beast::http;
using asio::ip::tcp;
using boost::system::error_code;
using namespace std::chrono_literals;

namespace {

constexpr auto use_awaitable = asio::use_awaitable;

std::string endpoint_text(const tcp::endpoint& ep) {
  const auto address = ep.address();
  return address.is_v6() ? "[" + address.to_string() + "]:" + std::to_string(ep.port())
                         : address.to_string() + ":" + std::to_string(ep.port());
}

bool expects_continue(const bh::request_parser<bh::string_body>& parser) {
  const auto& header = parser.get();
  const auto it = header.find(bh::field::expect);
  return it != header.end() && beast::iequals(it->value(), "100-continue");
}

// The error a read failure is answered with, if it deserves an answer at all.
std::optional<Error> read_failure_answer(error_code ec, bool timed_out, const ServerConfig& config) {
  if (timed_out) {
    return Error(ErrorStatus::request_timeout,
                 "request not received within " + std::to_string(config.read_timeout.count()) + " ms");
  }
  if (ec == bh::error::body_limit) {
    return Error(ErrorStatus::payload_too_large,
                 "request body larger than the limit of " + std::to_string(config.body_limit) + " bytes");
  }
  if (ec == bh::error::header_limit) {
    return Error(ErrorStatus::header_fields_too_large,
                 "request headers larger than the limit of " + std::to_string(config.header_limit) + " bytes");
  }
  if (ec == bh::error::end_of_stream || ec == bh::error::partial_message) return std::nullopt;  // client went away
  if (ec.category() == bh::make_error_code(bh::error::bad_method).category()) {
    return bad_request("malformed HTTP request: " + ec.message());
  }
  return std::nullopt;  // socket errors: nobody to answer
}

}  // namespace

Session::Session(tcp::socket socket, std::shared_ptr<ServerContext> context)
    : socket_(std::move(socket)),
      context_(std::move(context)),
      deadline_(socket_.get_executor()),
      wake_timer_(socket_.get_executor()) {
  error_code ec;
  peer_ = socket_.remote_endpoint(ec);
  peer_text_ = endpoint_text(peer_);
  context_->metrics.open_connections.inc();
}

Session::~Session() {
  context_->metrics.open_connections.dec();
  context_->remove_session(this);
}

asio::awaitable<void> Session::run(std::shared_ptr<Session> self) {
  try {
    co_await self->serve();
  } catch (const std::exception& e) {
    spdlog::error("connection {}: {}", self->peer_text_, e.what());
  }
}

bool Session::stopping() const noexcept { return context_->stopping.load(); }

void Session::begin_shutdown() {
  wake_timer_.cancel();
  if (state_ == State::idle) {
    // Waiting for a next request that must not come: close now instead of after the idle timeout.
    error_code ignored;
    socket_.cancel(ignored);
  }
}

void Session::force_close() {
  error_code ignored;
  socket_.close(ignored);
  wake_timer_.cancel();
  deadline_.cancel();
}

void Session::arm_deadline(std::chrono::milliseconds timeout) {
  const auto generation = ++deadline_generation_;
  timed_out_ = false;
  deadline_.expires_after(timeout);
  deadline_.async_wait([weak = weak_from_this(), generation](error_code ec) {
    if (ec) return;
    const auto self = weak.lock();
    if (!self || self->deadline_generation_ != generation) return;
    self->timed_out_ = true;
    error_code ignored;
    self->socket_.cancel(ignored);
  });
}

void Session::disarm_deadline() {
  ++deadline_generation_;
  deadline_.cancel();
}

asio::awaitable<bool> Session::wait_for_request() {
  state_ = State::idle;
  if (stopping()) co_return false;
  arm_deadline(context_->config.idle_timeout);
  error_code ec;
  const auto n = co_await socket_.async_read_some(buffer_.prepare(4096), asio::redirect_error(use_awaitable, ec));
  disarm_deadline();
  state_ = State::reading;
  if (ec) co_return false;  // idle timeout, client closed, or shutdown
  buffer_.commit(n);
  co_return true;
}

asio::awaitable<void> Session::serve() {
  const auto& config = context_->config;
  for (;;) {
    // A pipelined request may already be buffered; otherwise wait for one.
    if (buffer_.size() == 0 && !co_await wait_for_request()) break;
    state_ = State::reading;

    bh::request_parser<bh::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(config.header_limit));
    parser.body_limit(config.body_limit);
    error_code ec;
    arm_deadline(config.read_timeout);
    co_await bh::async_read_header(socket_, buffer_, parser, asio::redirect_error(use_awaitable, ec));
    if (!ec && !parser.is_done() && expects_continue(parser)) {
      // The client waits for our go-ahead before sending the body (curl does for large bodies).
      bh::response<bh::empty_body> go_ahead{bh::status::continue_, 11};
      co_await bh::async_write(socket_, go_ahead, asio::redirect_error(use_awaitable, ec));
    }
    if (!ec && !parser.is_done()) {
      co_await bh::async_read(socket_, buffer_, parser, asio::redirect_error(use_awaitable, ec));
    }
    const bool timed_out = timed_out_;
    disarm_deadline();
    if (ec || timed_out) {
      const unsigned version = parser.is_header_done() ? parser.get().version() : 11;
      const bool linger = co_await answer_read_error(timed_out ? asio::error::timed_out : ec, version);
      co_await close(linger);
      co_return;
    }

    state_ = State::handling;
    if (!co_await handle(parser.release())) break;
  }
  co_await close(false);
}

asio::awaitable<bool> Session::answer_read_error(error_code ec, unsigned version) {
  const auto started = std::chrono::steady_clock::now();
  auto error = read_failure_answer(ec, ec == asio::error::timed_out, context_->config);
  if (!error) co_return false;
  request_id_ = generate_request_id();
  version_ = version;
  spdlog::info("[{}] {} unreadable request: {} -> {}", request_id_, peer_text_, ec.message(), error->code());
  auto response = render_error(*error, false, version);
  bool keep_alive = false;
  const auto status = co_await write_response(response, keep_alive);
  record("invalid", status, started);
  co_return true;
}

asio::awaitable<bool> Session::handle(BeastRequest message) {
  const auto started = std::chrono::steady_clock::now();
  const auto accept = message.find(bh::field::accept);
  const bool wants_json = accept != message.end() && accept_prefers_json(accept->value());
  const auto id_header = message.find("X-Request-Id");
  request_id_ = request_id_from(id_header == message.end() ? std::nullopt
                                                            : std::optional<std::string_view>(id_header->value()));
  version_ = message.version();
  client_keep_alive_ = message.keep_alive();
  streaming_ = false;
  chunked_ = false;
  stream_failed_ = false;
  const std::string method(message.method_string());
  const std::string target(message.target());

  context_->metrics.in_flight.inc();
  Response response;
  std::string route = "unmatched";
  try {
    Request request(std::move(message), peer_, request_id_, this);
    auto match = context_->router.match(request.method(), request.encoded_path());
    route = match.route->name;
    request.bind_route(route, std::move(match.params));
    response = co_await match.route->handler(request);
  } catch (const Error& e) {
    response = Response(e);
  } catch (const std::exception& e) {
    spdlog::error("[{}] {} {}: unhandled exception: {}", request_id_, method, target, e.what());
    response = Response(Error(ErrorStatus::internal_server_error, "internal server error"));
  }

  bool keep_alive = client_keep_alive_ && !stopping();
  unsigned status = 200;
  if (streaming_) {
    keep_alive = co_await finish_stream(response) && keep_alive;
  } else {
    if (response.is_streamed()) {
      response = Response(Error(ErrorStatus::internal_server_error, "stream was not started"));
    }
    BeastResponse out = response.error() ? render_error(*response.error(), wants_json, version_)
                                         : std::move(response.message());
    status = co_await write_response(out, keep_alive);
    if (auto& written = response.written_callback()) {
      try {
        written(status != 0);
      } catch (const std::exception& e) {
        spdlog::error("[{}] written callback failed: {}", request_id_, e.what());
      }
    }
  }
  context_->metrics.in_flight.dec();
  record(route, status, started);
  const auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  spdlog::info("[{}] {} {} {} -> {} {:.1f} ms", request_id_, peer_text_, method, target, status, elapsed);
  co_return keep_alive;
}

// Writes `response` with the request's version, id and keep-alive decision. Returns the status written, or 0 if
// the write failed (then keep_alive is false).
asio::awaitable<unsigned> Session::write_response(BeastResponse& response, bool& keep_alive) {
  response.version(version_ >= 11 ? 11 : 10);
  if (!request_id_.empty() && response.find("X-Request-Id") == response.end()) response.set("X-Request-Id", request_id_);
  response.keep_alive(keep_alive);
  response.prepare_payload();
  const auto status = response.result_int();
  arm_deadline(context_->config.write_timeout);
  error_code ec;
  co_await bh::async_write(socket_, response, asio::redirect_error(use_awaitable, ec));
  disarm_deadline();
  if (ec) {
    keep_alive = false;
    spdlog::info("[{}] {} response not written: {}", request_id_, peer_text_, ec.message());
    co_return 0U;
  }
  co_return status;
}

asio::awaitable<bool> Session::finish_stream(Response& response) {
  if (chunked_ && !stream_failed_) {
    arm_deadline(context_->config.write_timeout);
    error_code ec;
    const auto last = bh::make_chunk_last();
    co_await asio::async_write(socket_, last, asio::redirect_error(use_awaitable, ec));
    disarm_deadline();
    if (ec) stream_failed_ = true;
  }
  if (auto& written = response.written_callback()) written(!stream_failed_);
  // Without chunking the end of the stream is the end of the connection.
  co_return chunked_ && !stream_failed_;
}

asio::awaitable<bool> Session::sleep_for(std::chrono::milliseconds duration) {
  if (stopping()) co_return false;
  wake_timer_.expires_after(duration);
  error_code ec;
  co_await wake_timer_.async_wait(asio::redirect_error(use_awaitable, ec));
  co_return !ec && !stopping();
}

asio::awaitable<void> Session::start_event_stream() {
  if (streaming_) throw Error(ErrorStatus::internal_server_error, "stream already started");
  bh::response<bh::empty_body> head{bh::status::ok, version_ >= 11 ? 11U : 10U};
  head.set(bh::field::content_type, "text/event-stream");
  head.set(bh::field::cache_control, "no-cache");
  head.set("X-Accel-Buffering", "no");  // tells nginx not to buffer the stream
  head.set("X-Request-Id", request_id_);
  chunked_ = version_ >= 11;
  if (chunked_) {
    head.chunked(true);
    head.keep_alive(client_keep_alive_ && !stopping());
  } else {
    head.keep_alive(false);  // HTTP/1.0: the stream ends when the connection closes
  }
  streaming_ = true;
  bh::response_serializer<bh::empty_body> serializer{head};
  arm_deadline(context_->config.write_timeout);
  error_code ec;
  co_await bh::async_write_header(socket_, serializer, asio::redirect_error(use_awaitable, ec));
  disarm_deadline();
  if (ec) stream_failed_ = true;  // the handler learns it from the first send()
}

asio::awaitable<bool> Session::write_stream(std::string data) {
  if (!streaming_ || stream_failed_) co_return false;
  if (data.empty()) co_return true;  // an empty chunk would end the chunked body
  arm_deadline(context_->config.write_timeout);
  error_code ec;
  if (chunked_) {
    const auto chunk = bh::make_chunk(asio::buffer(data));
    co_await asio::async_write(socket_, chunk, asio::redirect_error(use_awaitable, ec));
  } else {
    co_await asio::async_write(socket_, asio::buffer(data), asio::redirect_error(use_awaitable, ec));
  }
  disarm_deadline();
  if (ec) {
    stream_failed_ = true;
    co_return false;
  }
  co_return true;
}

asio::awaitable<void> Session::close(bool linger) {
  state_ = State::closing;
  error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_send, ignored);
  if (linger) {
    // The client may still be sending (e.g. the rest of a too-large body). Closing with unread data would
    // reset the connection and could destroy our error answer before the client reads it, so read and
    // discard for a short while first.
    arm_deadline(2s);
    std::size_t discarded = 0;
    std::array<char, 16 * 1024> sink{};
    while (discarded < 8U * 1024U * 1024U) {
      error_code ec;
      discarded += co_await socket_.async_read_some(asio::buffer(sink), asio::redirect_error(use_awaitable, ec));
      if (ec) break;
    }
    disarm_deadline();
  }
  socket_.close(ignored);
}

void Session::record(const std::string& route, unsigned status, std::chrono::steady_clock::time_point started) {
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  // Status 0 = the response could not be written (client gone).
  context_->metrics.requests_total.labels({route, std::to_string(status)}).inc();
  context_->metrics.request_duration.labels({route}).observe(seconds);
}

asio::awaitable<void> reject_connection(tcp::socket socket) {
  static constexpr std::string_view answer =
      "HTTP/1.1 503 Service Unavailable\r\n"
      "Content-Type: text/plain; charset=utf-8\r\n"
      "Retry-After: 1\r\n"
      "Connection: close\r\n"
      "Content-Length: 21\r\n"
      "\r\n"
      "too many connections\n";
  // beast::tcp_stream closes the socket when the deadline passes, which is all a rejected client deserves.
  beast::tcp_stream stream(std::move(socket));
  stream.expires_after(2s);
  error_code ec;
  co_await asio::async_write(stream, asio::buffer(answer), asio::redirect_error(use_awaitable, ec));
  stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  std::array<char, 4096> sink{};
  while (!ec) {
    co_await stream.async_read_some(asio::buffer(sink), asio::redirect_error(use_awaitable, ec));
  }
  stream.close();
}

}  // namespace kok::http::detail
