#include "connection_watch.hpp"

#include <cerrno>
#include <cstring>
#include <sys/socket.h>
#include <utility>

#include <boost/system/error_code.hpp>
#include <spdlog/spdlog.h>

namespace kok::http::detail {

ConnectionWatch::Reading ConnectionWatch::read_peek(long peeked, int error) noexcept {
  if (peeked > 0) return Reading::client_there;
  // A readiness report can be stale (the bytes it announced were read already): EAGAIN then means "nothing yet".
  // EWOULDBLOCK is EAGAIN on Linux and macOS.
  if (peeked < 0 && (error == EAGAIN || error == EINTR)) return Reading::ask_again;
  return Reading::client_left;  // 0: end of stream; otherwise a reset or another socket error
}

ConnectionWatch::ConnectionWatch(boost::asio::ip::tcp::socket& socket)
    : socket_(socket), state_(std::make_shared<State>()) {}

ConnectionWatch::~ConnectionWatch() {
  // A completion already queued finds another generation and leaves the socket and the request alone.
  ++state_->generation;
  state_->watching = false;
}

void ConnectionWatch::start(std::shared_ptr<Interruption> interruption, std::string label) {
  state_->watching = true;
  state_->interruption = std::move(interruption);
  state_->label = std::move(label);
  wait(++state_->generation);
}

void ConnectionWatch::wait(std::uint64_t generation) {
  socket_.async_wait(boost::asio::ip::tcp::socket::wait_read,
                     [this, state = state_, generation](boost::system::error_code ec) {
                       if (ec || !state->watching || state->generation != generation) return;
                       // Never a blocking read on an I/O thread: peek without waiting.
                       char byte = 0;
                       const auto n = ::recv(socket_.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
                       const int error = errno;
                       const auto reading = read_peek(static_cast<long>(n), error);
                       if (reading == Reading::ask_again) {
                         wait(generation);
                         return;
                       }
                       state->watching = false;
                       if (reading == Reading::client_there) return;
                       spdlog::debug("{} client left before its answer ({})", state->label,
                                     n == 0 ? "end of stream" : std::strerror(error));
                       state->interruption->client_left();
                     });
}

void ConnectionWatch::stop() {
  if (!state_->watching) return;
  state_->watching = false;
  ++state_->generation;
  // Nothing else is pending on the socket while a request is handled: this cancels only the watch's wait.
  boost::system::error_code ignored;
  socket_.cancel(ignored);
}

}  // namespace kok::http::detail
