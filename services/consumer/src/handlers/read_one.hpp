#pragma once
#include <chrono>

#include <boost/asio/awaitable.hpp>

#include "handlers/handlers.hpp"

namespace kok::consumer {

// The text answer shared by GET /{t} and GET /consumer/{t}: one message of the topic in the path, waiting up to `wait`;
// 404 "Not Found" when none came.
boost::asio::awaitable<http::Response> read_one(ConsumerService& service, http::Request& req,
                                                std::chrono::milliseconds wait);

}  // namespace kok::consumer
