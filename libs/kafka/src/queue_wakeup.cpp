#include "kok/kafka/queue_wakeup.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <array>
#include <system_error>

namespace kok::kafka {
namespace {

std::array<int, 2> make_pipe() {
  std::array<int, 2> fds{-1, -1};
  // Non-blocking on both ends: librdkafka requires it for the write end, and a full pipe already means "wake up".
  if (::pipe2(fds.data(), O_NONBLOCK | O_CLOEXEC) != 0) {
    throw std::system_error(errno, std::generic_category(), "pipe2");
  }
  return fds;
}

}  // namespace

QueueWakeup::QueueWakeup(boost::asio::any_io_executor executor) : read_end_(std::move(executor)) {
  const auto fds = make_pipe();
  read_end_.assign(fds[0]);
  write_fd_ = fds[1];
}

QueueWakeup::~QueueWakeup() {
  if (write_fd_ >= 0) ::close(write_fd_);
}

void QueueWakeup::drain() noexcept {
  std::array<char, 256> buffer{};
  while (::read(read_end_.native_handle(), buffer.data(), buffer.size()) > 0) {
  }
}

void QueueWakeup::cancel() { read_end_.cancel(); }

}  // namespace kok::kafka
