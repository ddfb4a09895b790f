#pragma once
// Notices a client leaving while its request is handled, and fires that request's Interruption
// (kok/http/interruption.hpp), so a long poll or a stream stops waiting for nobody.
//
// Between the read of a request and the write of its answer nothing else waits on the socket, so the watch waits for
// it to become readable: EOF or a reset means the client left; data means a pipelined request, the client is there
// and the watch ends (the data stays for the next read).

#include <cstdint>
#include <memory>
#include <string>

#include <boost/asio/ip/tcp.hpp>

#include "kok/http/interruption.hpp"

namespace kok::http::detail {

class ConnectionWatch {
 public:
  // What the peeked socket said. Pure: errno values in, verdict out.
  enum class Reading { client_there, client_left, ask_again };
  // `peeked`: recv(MSG_PEEK | MSG_DONTWAIT)'s result; `error`: errno when it is negative.
  [[nodiscard]] static Reading read_peek(long peeked, int error) noexcept;

  // `socket` outlives the watch (both belong to one session).
  explicit ConnectionWatch(boost::asio::ip::tcp::socket& socket);
  ~ConnectionWatch();
  ConnectionWatch(const ConnectionWatch&) = delete;
  ConnectionWatch& operator=(const ConnectionWatch&) = delete;

  // Watches for `interruption`'s request; `label` ("[id] peer") prefixes the log line when the client leaves.
  void start(std::shared_ptr<Interruption> interruption, std::string label);
  // Ends the watch before the answer is written (its wait on the socket is cancelled). No-op when not watching.
  void stop();

 private:
  // Shared with the pending wait, whose handler may run after this object is gone.
  struct State {
    std::uint64_t generation = 0;
    bool watching = false;
    std::shared_ptr<Interruption> interruption;
    std::string label;
  };
  void wait(std::uint64_t generation);

  boost::asio::ip::tcp::socket& socket_;
  std::shared_ptr<State> state_;
};

}  // namespace kok::http::detail
