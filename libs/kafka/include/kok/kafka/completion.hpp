#pragma once
// Type-erased "complete this asynchronous operation later, on the right executor".
//
// librdkafka calls back on its own threads (the producer's poll thread, an admin worker). The completion handler of an
// Asio operation must instead run on its associated executor (for co_await: the coroutine's strand / io_context), and
// that executor must be kept busy (work guard) while the operation is pending. PendingCompletion does both; librdkafka
// gets only a raw pointer to the base class as its per-message opaque.

#include <memory>
#include <utility>

#include <boost/asio/append.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/system_executor.hpp>

namespace kok::kafka::detail {

template <typename... Args>
class Completion {
 public:
  virtual ~Completion() = default;
  // Posts the handler with `args` to its executor. Called exactly once, from any thread; never runs the handler inline.
  virtual void complete(Args... args) = 0;
};

template <typename Handler, typename... Args>
class PendingCompletion final : public Completion<Args...> {
 public:
  explicit PendingCompletion(Handler&& handler)
      : handler_(std::move(handler)),
        work_(boost::asio::get_associated_executor(handler_, boost::asio::system_executor{})) {}

  void complete(Args... args) override {
    auto executor = work_.get_executor();
    boost::asio::post(executor, boost::asio::append(std::move(handler_), std::move(args)...));
    work_.reset();
  }

 private:
  Handler handler_;
  boost::asio::executor_work_guard<boost::asio::associated_executor_t<Handler, boost::asio::system_executor>> work_;
};

template <typename... Args, typename Handler>
std::unique_ptr<Completion<Args...>> make_completion(Handler&& handler) {
  return std::make_unique<PendingCompletion<std::decay_t<Handler>, Args...>>(std::forward<Handler>(handler));
}

}  // namespace kok::kafka::detail
