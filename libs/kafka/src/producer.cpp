#include "kok/kafka/producer.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <future>
#include <string>
#include <thread>
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

}  // namespace

struct Producer::Impl {
  Options options;
  detail::ClientPtr rk;
  std::atomic<bool> stopping{false};
  std::thread poll_thread;

  Impl(const ConfigMap& config, Options opts) : options(opts) {
    auto conf = detail::make_conf(config);
    rd_kafka_conf_set_dr_msg_cb(conf.get(), on_delivery);
    rk = detail::make_client(RD_KAFKA_PRODUCER, std::move(conf));
    // The single thread serving delivery reports for every message of this producer. 100 ms bounds how long
    // shutdown waits for it; delivery reports themselves wake it immediately.
    poll_thread = std::thread([this] {
      while (!stopping.load(std::memory_order_acquire)) rd_kafka_poll(rk.get(), 100);
    });
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
  args.reserve(5 + headers.size());
  auto add = [&args](rd_kafka_vtype_t type) -> rd_kafka_vu_t& {
    rd_kafka_vu_t& vu = args.emplace_back();
    vu.vtype = type;
    return vu;
  };
  add(RD_KAFKA_VTYPE_TOPIC).u.cstr = topic_name.c_str();
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

  rd_kafka_error_t* error = rd_kafka_produceva(impl_->rk.get(), args.data(), args.size());
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
  return detail::to_error(rd_kafka_flush(impl_->rk.get(), detail::to_timeout_ms(timeout)));
}

}  // namespace kok::kafka
