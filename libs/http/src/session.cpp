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

#include "dispatch.hpp"
#include "kok/http/text.hpp"
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
    : socket_(std::move(socket)), context_(std::move(context)),
      deadline_(socket_.get_executor(),
                {context_->config.idle_timeout, context_->config.read_timeout, context_->config.write_timeout, 2s},
                [this] { cut_short(); }),
      watch_(socket_) {
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
  // Waiting for a next request that must not come: close now instead of after the idle timeout.
  if (state_ == State::idle) cut_short();
  // A long poll or stream in hand answers now.
  if (state_ == State::handling) exchange_.interruption->shutdown();
}

void Session::force_close() {
  static constexpr const char* states[] = {"idle", "reading a request", "handling a request", "closing"};
  spdlog::warn("[{}] {}: closed by the drain timeout while {}", exchange_.request_id, peer_text_,
               states[static_cast<int>(state_)]);
  error_code ignored;
  socket_.close(ignored);
  deadline_.stop();
  exchange_.interruption->client_left();
}

void Session::cut_short() {
  error_code ignored;
  socket_.cancel(ignored);
}

asio::awaitable<bool> Session::wait_for_request() {
  state_ = State::idle;
  if (stopping()) co_return false;
  deadline_.enter(SessionDeadline::Phase::idle);
  error_code ec;
  const auto n = co_await socket_.async_read_some(buffer_.prepare(4096), asio::redirect_error(use_awaitable, ec));
  deadline_.stop();
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
    deadline_.enter(SessionDeadline::Phase::read);
    co_await bh::async_read_header(socket_, buffer_, parser, asio::redirect_error(use_awaitable, ec));
    BodyReservation body;
    if (!ec && !parser.is_done()) {
      // Reserved before the body is read (and before a 100-continue invites it): the announced length, or the limit
      // for a chunked body; a body over the limit is refused by the parser as 413 all the same.
      const auto announced = parser.content_length() ? *parser.content_length() : config.body_limit;
      const auto bytes = static_cast<std::size_t>(std::min<std::uint64_t>(announced, config.body_limit));
      if (!context_->bodies.try_reserve(bytes)) {
        deadline_.stop();
        co_await answer_unread(Error(ErrorStatus::service_unavailable,
                                     "too many request bodies in memory at once (" +
                                         std::to_string(context_->bodies.capacity()) + " bytes); retry later",
                                     std::chrono::seconds{1}),
                               parser.get().version(), "body memory full");
        co_await close(false);
        co_return;
      }
      body = BodyReservation{context_->bodies, bytes};
    }
    if (!ec && !parser.is_done() && expects_continue(parser)) {
      // The client waits for our go-ahead before sending the body (curl does for large bodies).
      bh::response<bh::empty_body> go_ahead{bh::status::continue_, 11};
      co_await bh::async_write(socket_, go_ahead, asio::redirect_error(use_awaitable, ec));
    }
    if (!ec && !parser.is_done()) {
      co_await bh::async_read(socket_, buffer_, parser, asio::redirect_error(use_awaitable, ec));
    }
    const bool timed_out = deadline_.expired();
    deadline_.stop();
    if (ec || timed_out) {
      const unsigned version = parser.is_header_done() ? parser.get().version() : 11;
      const bool linger = co_await answer_read_error(timed_out ? asio::error::timed_out : ec, version);
      co_await close(linger);
      co_return;
    }

    state_ = State::handling;
    deadline_.enter(SessionDeadline::Phase::handle);
    if (!co_await handle(parser.release(), std::move(body))) break;
  }
  co_await close(false);
}

asio::awaitable<bool> Session::answer_read_error(error_code ec, unsigned version) {
  auto error = read_failure_answer(ec, ec == asio::error::timed_out, context_->config);
  if (!error) co_return false;
  co_await answer_unread(std::move(*error), version, ec.message());
  co_return true;
}

asio::awaitable<void> Session::answer_unread(Error error, unsigned version, const std::string& why) {
  const auto started = std::chrono::steady_clock::now();
  exchange_ = Exchange{};
  exchange_.request_id = generate_request_id();
  exchange_.version = version;
  spdlog::info("[{}] {} unreadable request: {} -> {}", exchange_.request_id, peer_text_, why, error.code());
  auto response = render_error(error, false, version);
  bool keep_alive = false;
  const auto status = co_await write_response(response, keep_alive);
  record("invalid", status, started);
}

asio::awaitable<bool> Session::handle(BeastRequest message, BodyReservation body) {
  const auto started = std::chrono::steady_clock::now();
  begin_exchange(message);
  const std::string method(message.method_string());
  const std::string target(message.target());
  context_->metrics.in_flight.inc();
  watch_.start(exchange_.interruption, "[" + exchange_.request_id + "] " + peer_text_);
  std::string route = "unmatched";
  auto response = co_await dispatch_request(std::move(message), route);
  // The request (and its body) is gone: its share of the budget is free before the answer is written, so a client
  // that has the answer can count on the share being back.
  body = BodyReservation{};
  bool keep_alive = exchange_.keep_alive && !stopping();
  // A plain answer ends the watch before it is written: a client that left makes the write fail, and one that reads
  // the answer and closes at once is not taken for gone. An event stream keeps it: between events nothing else would
  // notice its client leaving.
  if (!response.is_event_stream()) watch_.stop();
  const auto status = co_await write_answer(response, keep_alive);
  watch_.stop();
  // A stream that ended because its client left was not delivered whole, though its head (the 200) was.
  const bool delivered = status != 0 && !exchange_.stream_failed &&
                         !(response.is_event_stream() && exchange_.interruption->client_gone());
  report_written(response, delivered);
  context_->metrics.in_flight.dec();
  record(route, status, started);
  log_access(method, target, status, response, delivered, started);
  co_return keep_alive && !exchange_.interruption->client_gone();
}

void Session::begin_exchange(const BeastRequest& message) {
  exchange_ = Exchange{};
  const auto accept = message.find(bh::field::accept);
  exchange_.wants_json = accept != message.end() && accept_prefers_json(accept->value());
  const auto id_header = message.find("X-Request-Id");
  exchange_.request_id = request_id_from(
      id_header == message.end() ? std::nullopt : std::optional<std::string_view>(id_header->value()));
  exchange_.version = message.version();
  exchange_.keep_alive = message.keep_alive();
  const auto origin = message.find(bh::field::origin);
  exchange_.cors_headers = context_->cors.response_headers(
      origin == message.end() ? std::nullopt : std::optional<std::string_view>(origin->value()));
  if (stopping()) exchange_.interruption->shutdown();
}

asio::awaitable<Response> Session::dispatch_request(BeastRequest message, std::string& route) {
  try {
    Request request(std::move(message), peer_, exchange_.request_id, exchange_.interruption);
    co_return co_await dispatch(context_->router, context_->cors, request, route);
  } catch (const Error& e) {  // the target could not be parsed
    co_return Response::from_error(e);
  }
}

void Session::report_written(Response& response, bool delivered) {
  auto& written = response.written_callback();
  if (!written) return;
  try {
    written(delivered);
  } catch (const std::exception& e) {
    spdlog::error("[{}] written callback failed: {}", exchange_.request_id, e.what());
  }
}

void Session::log_access(const std::string& method, const std::string& target, unsigned status,
                         const Response& response, bool delivered, std::chrono::steady_clock::time_point started) {
  const auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  // Why an answer did not arrive whole, if it did not: a stream's client closing it is how streams end.
  const char* outcome = "";
  if (exchange_.interruption->client_gone()) {
    outcome = response.is_event_stream() ? " (client closed the stream)" : " (client gone, answer not delivered)";
  } else if (!delivered) {
    outcome = " (answer not delivered)";
  }
  spdlog::info("[{}] {} {} {} -> {}{} {:.1f} ms", exchange_.request_id, peer_text_, method, target, status, outcome,
               elapsed);
}

asio::awaitable<unsigned> Session::write_answer(Response& response, bool& keep_alive) {
  if (exchange_.interruption->client_gone()) {
    // Nobody reads it: writing could still succeed (the kernel takes the bytes) and make us believe it arrived.
    keep_alive = false;
    co_return 0U;
  }
  if (response.is_event_stream()) co_return co_await run_event_stream(response.stream_body(), keep_alive);
  if (response.error()) {
    auto rendered = render_error(*response.error(), exchange_.wants_json, exchange_.version);
    co_return co_await write_response(rendered, keep_alive);
  }
  co_return co_await write_response(response.message(), keep_alive);
}

// Writes `response` with the request's version, id and keep-alive decision. Returns the status written, or 0 if
// the write failed (then keep_alive is false).
asio::awaitable<unsigned> Session::write_response(BeastResponse& response, bool& keep_alive) {
  response.version(exchange_.version >= 11 ? 11 : 10);
  if (!exchange_.request_id.empty() && response.find("X-Request-Id") == response.end()) {
    response.set("X-Request-Id", exchange_.request_id);
  }
  // A preflight's answer carries its own CORS headers.
  if (response.find(bh::field::access_control_allow_origin) == response.end()) {
    for (const auto& [name, value] : exchange_.cors_headers) response.set(name, value);
  }
  response.keep_alive(keep_alive);
  response.prepare_payload();
  const auto status = response.result_int();
  deadline_.enter(SessionDeadline::Phase::write);
  error_code ec;
  co_await bh::async_write(socket_, response, asio::redirect_error(use_awaitable, ec));
  deadline_.stop();
  if (ec) {
    keep_alive = false;
    spdlog::info("[{}] {} response not written: {}", exchange_.request_id, peer_text_, ec.message());
    co_return 0U;
  }
  co_return status;
}

asio::awaitable<unsigned> Session::run_event_stream(const StreamBody& body, bool& keep_alive) {
  bh::response<bh::empty_body> head{bh::status::ok, exchange_.version >= 11 ? 11U : 10U};
  head.set(bh::field::content_type, "text/event-stream");
  head.set(bh::field::cache_control, "no-cache");
  head.set("X-Accel-Buffering", "no");  // tells nginx not to buffer the stream
  head.set("X-Request-Id", exchange_.request_id);
  for (const auto& [name, value] : exchange_.cors_headers) head.set(name, value);
  exchange_.chunked = exchange_.version >= 11;
  if (exchange_.chunked) {
    head.chunked(true);
    head.keep_alive(keep_alive);
  } else {
    head.keep_alive(false);  // HTTP/1.0: the stream ends when the connection closes
  }
  bh::response_serializer<bh::empty_body> serializer{head};
  deadline_.enter(SessionDeadline::Phase::write);
  error_code ec;
  co_await bh::async_write_header(socket_, serializer, asio::redirect_error(use_awaitable, ec));
  deadline_.stop();
  if (ec) {
    keep_alive = false;
    co_return 0U;
  }
  EventStream stream{*this, *exchange_.interruption};
  try {
    co_await body(stream);
  } catch (const std::exception& e) {
    spdlog::error("[{}] event stream failed: {}", exchange_.request_id, e.what());
    exchange_.stream_failed = true;
  }
  if (exchange_.chunked && !exchange_.stream_failed && !exchange_.interruption->client_gone()) {
    deadline_.enter(SessionDeadline::Phase::write);
    const auto last = bh::make_chunk_last();
    co_await asio::async_write(socket_, last, asio::redirect_error(use_awaitable, ec));
    deadline_.stop();
    if (ec) exchange_.stream_failed = true;
  }
  // Without chunking the end of the stream is the end of the connection.
  keep_alive = keep_alive && exchange_.chunked && !exchange_.stream_failed && !exchange_.interruption->client_gone();
  co_return 200U;  // the status its head carried
}

asio::awaitable<bool> Session::write(std::string data) {
  if (exchange_.stream_failed || exchange_.interruption->client_gone()) co_return false;
  if (data.empty()) co_return true;  // an empty chunk would end the chunked body
  deadline_.enter(SessionDeadline::Phase::write);
  error_code ec;
  if (exchange_.chunked) {
    const auto chunk = bh::make_chunk(asio::buffer(data));
    co_await asio::async_write(socket_, chunk, asio::redirect_error(use_awaitable, ec));
  } else {
    co_await asio::async_write(socket_, asio::buffer(data), asio::redirect_error(use_awaitable, ec));
  }
  deadline_.stop();
  if (ec) {
    exchange_.stream_failed = true;
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
    deadline_.enter(SessionDeadline::Phase::linger);
    std::size_t discarded = 0;
    std::array<char, 16 * 1024> sink{};
    while (discarded < 8U * 1024U * 1024U) {
      error_code ec;
      discarded += co_await socket_.async_read_some(asio::buffer(sink), asio::redirect_error(use_awaitable, ec));
      if (ec) break;
    }
    deadline_.stop();
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
