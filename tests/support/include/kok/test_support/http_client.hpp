#pragma once
// A synchronous HTTP/1.1 client for tests: keep-alive requests, raw bytes for protocol tests, and SSE reading.
// Every operation is bounded by the client's timeout and throws std::runtime_error on failure, so a broken
// server fails a test instead of hanging it.

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kok::test_support {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpResponse {
  unsigned status = 0;
  unsigned version = 11;  // 10 or 11
  Headers headers;
  std::string body;
  bool keep_alive = false;

  // Value of a header (case-insensitive name), empty if absent.
  std::string header(std::string_view name) const;
  bool has_header(std::string_view name) const;
};

struct SseEvent {
  std::string id;
  std::string event;
  std::string data;  // data lines joined with '\n'
};

class HttpClient {
 public:
  HttpClient(std::string host, std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::seconds{10});
  ~HttpClient();
  HttpClient(HttpClient&&) noexcept;
  HttpClient& operator=(HttpClient&&) noexcept;

  // One request on the kept-alive connection (opened on demand; reopened once if the server had closed it).
  // `version` 10 sends HTTP/1.0. Sets Host and, for a body, Content-Length.
  HttpResponse request(std::string_view method, std::string_view target, std::string_view body = {},
                       const Headers& headers = {}, unsigned version = 11);
  HttpResponse get(std::string_view target, const Headers& headers = {}) { return request("GET", target, {}, headers); }
  HttpResponse post(std::string_view target, std::string_view body, const Headers& headers = {}) {
    return request("POST", target, body, headers);
  }

  // Opens a fresh connection to the stream `target`, reads `count` events (or fewer if the server ends the
  // stream), then closes. The response head is stored in `head` if given.
  std::vector<SseEvent> read_events(std::string_view target, std::size_t count, const Headers& headers = {},
                                    HttpResponse* head = nullptr);

  // Raw protocol access.
  void connect();
  void close();
  bool is_open() const;
  // How many TCP connections this client has opened (to check keep-alive reuse).
  std::size_t connections_opened() const;
  void send_raw(std::string_view bytes);
  // Reads one response from the current connection.
  HttpResponse read_response();
  // Reads until the server closes the connection; nullopt if it did not within `timeout`.
  std::optional<std::string> read_until_closed(std::chrono::milliseconds timeout);

  const std::string& host() const noexcept;
  std::uint16_t port() const noexcept;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kok::test_support
