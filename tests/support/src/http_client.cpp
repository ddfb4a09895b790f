#include "kok/test_support/http_client.hpp"

#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <stdexcept>

namespace kok::test_support {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bh = boost::beast::http;
using boost::system::error_code;

std::string HttpResponse::header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (beast::iequals(k, name)) return v;
  }
  return {};
}

bool HttpResponse::has_header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (beast::iequals(k, name)) return true;
  }
  return false;
}

namespace {

template <typename Body>
HttpResponse convert(const bh::response<Body>& res, std::string body) {
  HttpResponse out;
  out.status = res.result_int();
  out.version = res.version();
  out.keep_alive = res.keep_alive();
  for (const auto& field : res) out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
  out.body = std::move(body);
  return out;
}

// Pulls complete events (terminated by a blank line) out of `buffer`.
void take_events(std::string& buffer, std::vector<SseEvent>& events, std::size_t limit) {
  for (;;) {
    if (events.size() >= limit) return;
    const auto end = buffer.find("\n\n");
    if (end == std::string::npos) return;
    const std::string block = buffer.substr(0, end);
    buffer.erase(0, end + 2);
    SseEvent event;
    bool has_data = false;
    std::size_t pos = 0;
    while (pos <= block.size()) {
      const auto nl = block.find('\n', pos);
      const std::string line = block.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
      pos = nl == std::string::npos ? block.size() + 1 : nl + 1;
      if (line.empty() || line.front() == ':') continue;  // comment / heartbeat
      const auto colon = line.find(':');
      const std::string name = line.substr(0, colon);
      std::string value = colon == std::string::npos ? std::string{} : line.substr(colon + 1);
      if (!value.empty() && value.front() == ' ') value.erase(0, 1);
      if (name == "id") event.id = value;
      else if (name == "event") event.event = value;
      else if (name == "data") {
        if (has_data) event.data += '\n';
        event.data += value;
        has_data = true;
      }
    }
    if (has_data || !event.id.empty() || !event.event.empty()) events.push_back(std::move(event));
  }
}

}  // namespace

class HttpClient::Impl {
 public:
  Impl(std::string host, std::uint16_t port, std::chrono::milliseconds timeout)
      : host_(std::move(host)), port_(port), timeout_(timeout), stream_(io_) {}

  void connect() {
    close();
    asio::ip::tcp::resolver resolver(io_);
    const auto endpoints = resolver.resolve(host_, std::to_string(port_));
    stream_.expires_after(timeout_);
    run([&](auto handler) { stream_.async_connect(endpoints, [handler](error_code ec, const auto&) { handler(ec, 0); }); },
        "connect");
    buffer_.clear();
    open_ = true;
    ++connections_;
  }

  void close() {
    if (!open_) return;
    error_code ignored;
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    stream_.close();
    open_ = false;
  }

  HttpResponse request(std::string_view method, std::string_view target, std::string_view body, const Headers& headers,
                       unsigned version) {
    bh::request<bh::string_body> req;
    req.method_string(method);
    req.target(target);
    req.version(version);
    req.set(bh::field::host, host_ + ":" + std::to_string(port_));
    for (const auto& [k, v] : headers) req.set(k, v);
    req.body() = std::string(body);
    if (!body.empty() || method == "POST" || method == "PUT") req.prepare_payload();
    // A kept-alive connection may have been closed by the server meanwhile (idle timeout): retry once on a new one.
    const bool reused = open_;
    try {
      if (!open_) connect();
      return exchange(req);
    } catch (const std::exception&) {
      if (!reused) throw;
      connect();
      return exchange(req);
    }
  }

  HttpResponse exchange(bh::request<bh::string_body>& req) {
    write(req);
    auto res = read_response();
    if (!res.keep_alive) close();
    return res;
  }

  void write(bh::request<bh::string_body>& req) {
    stream_.expires_after(timeout_);
    run([&](auto handler) { bh::async_write(stream_, req, handler); }, "write request");
  }

  HttpResponse read_response() {
    bh::response_parser<bh::string_body> parser;
    parser.body_limit(boost::none);
    stream_.expires_after(timeout_);
    run([&](auto handler) { bh::async_read(stream_, buffer_, parser, handler); }, "read response");
    auto res = parser.release();
    std::string body = std::move(res.body());
    return convert(res, std::move(body));
  }

  void send_raw(std::string_view bytes) {
    if (!open_) connect();
    stream_.expires_after(timeout_);
    run([&](auto handler) { asio::async_write(stream_, asio::buffer(bytes.data(), bytes.size()), handler); }, "send");
  }

  std::optional<std::string> read_until_closed(std::chrono::milliseconds timeout) {
    std::string data(static_cast<const char*>(buffer_.data().data()), buffer_.size());
    buffer_.clear();
    stream_.expires_after(timeout);
    std::array<char, 8192> chunk{};
    for (;;) {
      error_code result;
      std::size_t n = 0;
      bool done = false;
      stream_.async_read_some(asio::buffer(chunk), [&](error_code ec, std::size_t bytes) {
        result = ec;
        n = bytes;
        done = true;
      });
      io_.restart();
      io_.run();
      data.append(chunk.data(), n);
      if (!result) continue;
      open_ = false;
      stream_.close();
      if (result == beast::error::timeout) return std::nullopt;
      return data;  // EOF or reset: the server closed
    }
  }

  std::vector<SseEvent> read_events(std::string_view target, std::size_t count, const Headers& headers,
                                    HttpResponse* head) {
    connect();
    bh::request<bh::string_body> req{bh::verb::get, target, 11};
    req.set(bh::field::host, host_ + ":" + std::to_string(port_));
    req.set(bh::field::accept, "text/event-stream");
    for (const auto& [k, v] : headers) req.set(k, v);
    write(req);
    bh::response_parser<bh::string_body> parser;
    parser.body_limit(boost::none);
    stream_.expires_after(timeout_);
    run([&](auto handler) { bh::async_read_header(stream_, buffer_, parser, handler); }, "read stream head");
    if (head != nullptr) *head = convert(parser.get(), {});
    std::vector<SseEvent> events;
    std::string pending;
    // The string body grows as chunks are decoded; move what arrived into `pending` and parse events from it.
    while (events.size() < count && !parser.is_done()) {
      stream_.expires_after(timeout_);
      run([&](auto handler) { bh::async_read_some(stream_, buffer_, parser, handler); }, "read stream");
      pending += parser.get().body();
      parser.get().body().clear();
      take_events(pending, events, count);
    }
    close();
    return events;
  }

  const std::string& host() const noexcept { return host_; }
  std::uint16_t port() const noexcept { return port_; }
  bool is_open() const noexcept { return open_; }
  std::size_t connections() const noexcept { return connections_; }

 private:
  // Runs one async operation to completion on our private io_context; errors become exceptions.
  template <typename Start>
  void run(Start&& start, std::string_view what) {
    error_code result;
    start([&result](error_code ec, std::size_t) { result = ec; });
    io_.restart();
    io_.run();
    if (result) {
      open_ = false;
      error_code ignored;
      stream_.socket().close(ignored);
      throw std::runtime_error(std::string(what) + " " + host_ + ":" + std::to_string(port_) + ": " + result.message());
    }
  }

  std::string host_;
  std::uint16_t port_;
  std::chrono::milliseconds timeout_;
  asio::io_context io_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  bool open_ = false;
  std::size_t connections_ = 0;
};

HttpClient::HttpClient(std::string host, std::uint16_t port, std::chrono::milliseconds timeout)
    : impl_(std::make_unique<Impl>(std::move(host), port, timeout)) {}
HttpClient::~HttpClient() = default;
HttpClient::HttpClient(HttpClient&&) noexcept = default;
HttpClient& HttpClient::operator=(HttpClient&&) noexcept = default;

HttpResponse HttpClient::request(std::string_view method, std::string_view target, std::string_view body,
                                 const Headers& headers, unsigned version) {
  return impl_->request(method, target, body, headers, version);
}
std::vector<SseEvent> HttpClient::read_events(std::string_view target, std::size_t count, const Headers& headers,
                                              HttpResponse* head) {
  return impl_->read_events(target, count, headers, head);
}
void HttpClient::connect() { impl_->connect(); }
void HttpClient::close() { impl_->close(); }
bool HttpClient::is_open() const { return impl_->is_open(); }
std::size_t HttpClient::connections_opened() const { return impl_->connections(); }
void HttpClient::send_raw(std::string_view bytes) { impl_->send_raw(bytes); }
HttpResponse HttpClient::read_response() { return impl_->read_response(); }
std::optional<std::string> HttpClient::read_until_closed(std::chrono::milliseconds timeout) {
  return impl_->read_until_closed(timeout);
}
const std::string& HttpClient::host() const noexcept { return impl_->host(); }
std::uint16_t HttpClient::port() const noexcept { return impl_->port(); }

}  // namespace kok::test_support
