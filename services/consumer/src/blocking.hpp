#pragma once
// Runs a blocking call (a librdkafka call that waits for a broker) on the service's small blocking pool and completes
// on the caller's executor, so io threads never wait.

#include <utility>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>

#include "kok/kafka/completion.hpp"

namespace kok::consumer {

// `fn` returns T; the completion signature is void(T).
template <typename T, typename Fn, typename CompletionToken>
auto async_run_blocking(boost::asio::any_io_executor pool, Fn fn, CompletionToken&& token) {
  return boost::asio::async_initiate<CompletionToken, void(T)>(
      [](auto handler, boost::asio::any_io_executor p, Fn work) {
        auto completion = kafka::detail::make_completion<T>(std::move(handler));
        boost::asio::post(p, [w = std::move(work), c = std::move(completion)]() mutable { c->complete(w()); });
      },
      token, std::move(pool), std::move(fn));
}

}  // namespace kok::consumer
