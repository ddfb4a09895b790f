// The connection watch on real loopback sockets: a client leaving fires its request's Interruption; a pipelined
// request, or the end of the watch, does not.
#include "connection_watch.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <chrono>
#include <memory>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>

namespace kok::http::detail {
namespace {

using namespace std::chrono_literals;
using boost::asio::ip::tcp;
using Reading = ConnectionWatch::Reading;

TEST(ConnectionWatchPeek, DataIsAClientStillThereEndOfStreamOrAResetIsAClientThatLeft) {
  EXPECT_EQ(ConnectionWatch::read_peek(1, 0), Reading::client_there);
  EXPECT_EQ(ConnectionWatch::read_peek(0, 0), Reading::client_left);
  EXPECT_EQ(ConnectionWatch::read_peek(-1, ECONNRESET), Reading::client_left);
  EXPECT_EQ(ConnectionWatch::read_peek(-1, EAGAIN), Reading::ask_again);
  EXPECT_EQ(ConnectionWatch::read_peek(-1, EINTR), Reading::ask_again);
}

class ConnectionWatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tcp::acceptor acceptor{io_, {boost::asio::ip::address_v4::loopback(), 0}};
    client_.connect(acceptor.local_endpoint());
    acceptor.accept(server_);
  }
  void run_for(std::chrono::milliseconds duration) {
    io_.restart();
    io_.run_for(duration);
  }

  boost::asio::io_context io_;
  tcp::socket client_{io_};
  tcp::socket server_{io_};
  std::shared_ptr<Interruption> interruption_ = std::make_shared<Interruption>();
};

TEST_F(ConnectionWatchTest, AClientThatClosesItsConnectionInterruptsItsRequest) {
  ConnectionWatch watch{server_};
  watch.start(interruption_, "[test]");
  run_for(20ms);
  EXPECT_FALSE(interruption_->client_gone());
  client_.close();
  run_for(200ms);
  EXPECT_TRUE(interruption_->client_gone());
}

TEST_F(ConnectionWatchTest, APipelinedRequestIsAClientStillThereAndStaysToBeRead) {
  ConnectionWatch watch{server_};
  watch.start(interruption_, "[test]");
  boost::asio::write(client_, boost::asio::buffer("GET / HTTP/1.1\r\n\r\n", 18));
  run_for(100ms);
  client_.close();  // after the watch ended: nobody is told
  run_for(100ms);
  EXPECT_FALSE(interruption_->client_gone());
  EXPECT_EQ(server_.available(), 18U);
}

TEST_F(ConnectionWatchTest, AStoppedWatchTellsNobody) {
  ConnectionWatch watch{server_};
  watch.start(interruption_, "[test]");
  watch.stop();
  client_.close();
  run_for(100ms);
  EXPECT_FALSE(interruption_->client_gone());
}

TEST_F(ConnectionWatchTest, AWatchThatIsGoneTellsNobody) {
  {
    ConnectionWatch watch{server_};
    watch.start(interruption_, "[test]");
  }
  client_.close();
  run_for(100ms);
  EXPECT_FALSE(interruption_->client_gone());
}

}  // namespace
}  // namespace kok::http::detail
