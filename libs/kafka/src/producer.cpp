#include "kok/kafka/producer.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <future>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "kok/kafka/error.hpp"
#include "rdkafka_handles.hpp"

namespace kok::kafka {
namespace {

using DeliveryCompletion = detail::Completion<std::error_code, DeliveryReport>;

// Runs on the poll thread (or in flush() during destruction): hands the report to the waiting handler's executor.
void on_delivery(rd_kafka_t* /*rk*/, const rd_kafka_message_t* m, void* /*opaque*/) {
  std::unique_ptr<DeliveryCompletion> completion{static_cast<DeliveryCompletion*>(m->_private)};
  if (!completion) return;  // produced without a completion (not done by this class)
  DeliveryReport report;
  if (m->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
    report.partition = m->partition;
    report.offset = m->offset;
    report.timestamp_ms = rd_kafka_message_timestamp(m, nullptr);
  } else {
    report.possibly_persisted = rd_kafka_message_status(m) != RD_KAFKA_MSG_STATUS_NOT_PERSISTED;
  }
  completion->complete(detail::to_error(m->err), report);
}

// One librdkafka topic handle per topic this client produced to. librdkafka 2.0.2 learns a topic a message names by
// its name only at its next one-second topic scan, and the first messages wait for it (measured: 0.8-1.0 s for the
// first POST /message/{t} after POST /topic/{t}); a handle made with rd_kafka_topic_new() asks for the topic's
// metadata at once. Handles live as long as their client: dropped before it is destroyed or replaced.
class TopicHandles {
 public:
  TopicHandles() = default;
  TopicHandles(const TopicHandles&) = delete;
  TopicHandles& operator=(const TopicHandles&) = delete;
  ~TopicHandles() { clear(); }

  // The handle of `topic` in `rk`, made on first use; nullptr if librdkafka refuses the name.
  rd_kafka_topic_t* get(rd_kafka_t* rk, const std::string& topic) {
    {
      std::shared_lock lock{mutex_};
      if (const auto found = handles_.find(topic); found != handles_.end()) return found->second;
    }
    std::unique_lock lock{mutex_};
    auto& handle = handles_[topic];
    if (handle == nullptr) handle = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
    return handle;
  }

  void clear() {
    std::unique_lock lock{mutex_};
    for (auto& [name, handle] : handles_) {
      if (handle != nullptr) rd_kafka_topic_destroy(handle);
    }
    handles_.clear();
  }

 private:
  std::shared_mutex mutex_;
  std::unordered_map<std::string, rd_kafka_topic_t*> handles_;
};

}  // namespace

struct Producer::Impl {
  Options options;
  ConfigMap config;  // kept to create the client again after a fatal error
  std::atomic<bool> stopping{false};
  // The client; replaced (under an exclusive lock) after a fatal error. enqueue() holds a shared lock while it hands a
  // message over, so no message goes to a client being destroyed.
  std::shared_mutex client_mutex;
  detail::ClientPtr rk;
  TopicHandles topics;  // of rk; declared after it, so destroyed before it
  std::thread poll_thread;

  Impl(const ConfigMap& c, Options opts) : options(opts), config(c), rk(new_client()) {
    // The single thread serving delivery reports for every message of this producer. 100 ms bounds how long
    // shutdown waits for it; delivery reports themselves wake it immediately.
    poll_thread = std::thread([this] {
      while (!stopping.load(std::memory_order_acquire)) {
        rd_kafka_poll(rk.get(), 100);  // only this thread replaces rk: no lock needed to read it here
        if (rd_kafka_fatal_error(rk.get(), nullptr, 0) != RD_KAFKA_RESP_ERR_NO_ERROR) replace_client();
      }
    });
  }

  detail::ClientPtr new_client() const {
    auto conf = detail::make_conf(config);
    rd_kafka_conf_set_dr_msg_cb(conf.get(), on_delivery);
    return detail::make_client(RD_KAFKA_PRODUCER, std::move(conf));
  }

  // An idempotent producer that hit a fatal error (librdkafka 2.0.2 after a broker hung: "out of order sequence
  // number") fails every later message; librdkafka's answer is a new producer instance. What the old one still held
  // fails now (its handlers complete with the error: those requests answer 5xx, their clients retry), then the new
  // client takes every later message.
  void replace_client() {
    char reason[512] = {};
    const auto code = rd_kafka_fatal_error(rk.get(), reason, sizeof reason);
    spdlog::error("kafka producer: fatal error {} ({}): starting a new producer instance", rd_kafka_err2name(code), reason);
    std::unique_lock lock{client_mutex};
    rd_kafka_purge(rk.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
    (void)rd_kafka_flush(rk.get(), 1000);  // serves the purged messages' delivery reports
    topics.clear();
    rk = new_client();
  }

  ~Impl() {
    stopping.store(true, std::memory_order_release);
    poll_thread.join();
    // Deliver what can be delivered in time, then fail the rest so that every handler completes exactly once.
    if (rd_kafka_flush(rk.get(), detail::to_timeout_ms(options.flush_timeout)) != RD_KAFKA_RESP_ERR_NO_ERROR) {
      spdlog::warn("kafka producer: {} message(s) not delivered within {} ms at shutdown, failing them",
                   rd_kafka_outq_len(rk.get()), options.flush_timeout.count());
      rd_kafka_purge(rk.get(), RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
      (void)rd_kafka_flush(rk.get(), 1000);  // serves the purge delivery reports
    }
  }
};

Producer::Producer(const ConfigMap& config) : Producer(config, Options{}) {}
Producer::Producer(const ConfigMap& config, Options options) : impl_(std::make_unique<Impl>(config, options)) {}
Producer::~Producer() = default;

void Producer::enqueue(std::string_view topic, std::int32_t partition, std::optional<std::string_view> key,
                       std::string_view value, const Headers& headers,
                       std::unique_ptr<DeliveryCompletion> completion) {
  const std::string topic_name{topic};  // librdkafka wants a NUL-terminated name
  std::vector<rd_kafka_vu_t> args;
  args.reserve(6 + headers.size());
  auto add = [&args](rd_kafka_vtype_t type) -> rd_kafka_vu_t& {
    rd_kafka_vu_t& vu = args.emplace_back();
    vu.vtype = type;
    return vu;
  };
  const auto topic_index = args.size();  // filled in under the client lock: the handle belongs to the client
  add(RD_KAFKA_VTYPE_RKT);
  add(RD_KAFKA_VTYPE_PARTITION).u.i32 = partition;
  // F_COPY: librdkafka copies the bytes now, so the caller's views may die right after this call.
  add(RD_KAFKA_VTYPE_MSGFLAGS).u.i = RD_KAFKA_MSG_F_COPY;
  {
    auto& vu = add(RD_KAFKA_VTYPE_VALUE);
    vu.u.mem.ptr = const_cast<char*>(value.data());  // not written to: F_COPY
    vu.u.mem.size = value.size();
  }
  if (key) {
    auto& vu = add(RD_KAFKA_VTYPE_KEY);
    vu.u.mem.ptr = const_cast<char*>(key->data());
    vu.u.mem.size = key->size();
  }
  for (const auto& h : headers) {
    auto& vu = add(RD_KAFKA_VTYPE_HEADER);
    vu.u.header.name = h.key.c_str();
    vu.u.header.val = h.value ? h.value->data() : nullptr;
    vu.u.header.size = h.value ? static_cast<ssize_t>(h.value->size()) : 0;
  }
  add(RD_KAFKA_VTYPE_OPAQUE).u.ptr = completion.get();

  rd_kafka_error_t* error = nullptr;
  {
    std::shared_lock lock{impl_->client_mutex};
    auto& topic_arg = args[topic_index];
    topic_arg.u.rkt = impl_->topics.get(impl_->rk.get(), topic_name);
    if (topic_arg.u.rkt == nullptr) {
      topic_arg.vtype = RD_KAFKA_VTYPE_TOPIC;  // librdkafka says why the name is refused
      topic_arg.u.cstr = topic_name.c_str();
    }
    error = rd_kafka_produceva(impl_->rk.get(), args.data(), args.size());
  }
  if (error == nullptr) {
    (void)completion.release();  // now owned by the message; on_delivery takes it back
    return;
  }
  const auto code = rd_kafka_error_code(error);
  rd_kafka_error_destroy(error);
  completion->complete(detail::to_error(code), DeliveryReport{});
}

Result<DeliveryReport> Producer::produce_sync(std::string_view topic, std::optional<std::string_view> key,
                                              std::string_view value, const Headers& headers,
                                              std::int32_t partition) {
  std::promise<Result<DeliveryReport>> promise;
  auto future = promise.get_future();
  async_produce_to(topic, partition, key, value, headers, [&promise](std::error_code ec, DeliveryReport report) {
    promise.set_value(ec ? Result<DeliveryReport>::failure(ec) : Result<DeliveryReport>::success(report));
  });
  return future.get();
}

std::error_code Producer::flush(std::chrono::milliseconds timeout) {
  std::shared_lock lock{impl_->client_mutex};
  return detail::to_error(rd_kafka_flush(impl_->rk.get(), detail::to_timeout_ms(timeout)));
}

void Producer::inject_fatal_error_for_test() {
  std::shared_lock lock{impl_->client_mutex};
  (void)rd_kafka_test_fatal_error(impl_->rk.get(), RD_KAFKA_RESP_ERR_OUT_OF_ORDER_SEQUENCE_NUMBER, "injected by a test");
}

}  // namespace kok::kafka
