#include "kok/kafka/consumer.hpp"

#include <spdlog/spdlog.h>

#include "kok/kafka/error.hpp"
#include "rdkafka_handles.hpp"

namespace kok::kafka {
namespace {

// No commit this class sends reports here: async commits report on their own queue (commit_results, read by
// poll_commit_result) and sync ones return their result from commit() (librdkafka waits for it on a queue of its own).
// What would still arrive here is a commit librdkafka makes by itself (enable.auto.commit, off in consumer_config()):
// not fatal (the next commit supersedes it; at worst messages are delivered again after a restart), so it is logged.
void on_commit(rd_kafka_t* rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t* offsets, void* /*opaque*/) {
  if (err == RD_KAFKA_RESP_ERR_NO_ERROR || err == RD_KAFKA_RESP_ERR__NO_OFFSET) return;
  spdlog::warn("kafka {}: offset commit failed: {} ({} partitions)", rd_kafka_name(rk), rd_kafka_err2str(err),
               offsets != nullptr ? offsets->cnt : 0);
}

detail::PartitionListPtr to_list(const std::vector<TopicPartitionOffset>& positions) {
  detail::PartitionListPtr list{rd_kafka_topic_partition_list_new(static_cast<int>(positions.size()))};
  for (const auto& p : positions) {
    rd_kafka_topic_partition_list_add(list.get(), p.topic.c_str(), p.partition)->offset = p.offset;
  }
  return list;
}

}  // namespace

struct Consumer::Impl {
  detail::ClientPtr rk;
  // Results of async commits, as events. A queue of its own: the consumer queue is only read while someone wants
  // messages, but commit results must be collected whenever they arrive. Declared after rk: destroyed before it.
  detail::QueuePtr commit_results;
  bool closed = false;
  bool wakeup_enabled = false;

  explicit Impl(const ConfigMap& config) {
    auto conf = detail::make_conf(config);
    rd_kafka_conf_set_offset_commit_cb(conf.get(), on_commit);
    rk = detail::make_client(RD_KAFKA_CONSUMER, std::move(conf));
    // Messages, errors and callbacks on one queue, so one wakeup fd covers them.
    rd_kafka_poll_set_consumer(rk.get());
    commit_results.reset(rd_kafka_queue_new(rk.get()));
  }

  void set_wakeup(int fd) {
    static constexpr char payload = 1;
    detail::QueuePtr queue{rd_kafka_queue_get_consumer(rk.get())};
    rd_kafka_queue_io_event_enable(queue.get(), fd, &payload, fd >= 0 ? 1 : 0);
    rd_kafka_queue_io_event_enable(commit_results.get(), fd, &payload, fd >= 0 ? 1 : 0);
    wakeup_enabled = fd >= 0;
  }

  void disable_wakeup() {
    if (wakeup_enabled) set_wakeup(-1);
  }
};

Consumer::Consumer(const ConfigMap& config) : impl_(std::make_unique<Impl>(config)) {}

Consumer::~Consumer() { close(); }

void Consumer::close() {
  if (impl_->closed) return;
  impl_->closed = true;
  // The wakeup fd may be closed right after us: stop librdkafka from writing to it first.
  impl_->disable_wakeup();
  if (const auto err = rd_kafka_consumer_close(impl_->rk.get()); err) {
    spdlog::warn("kafka {}: close: {}", rd_kafka_name(impl_->rk.get()), rd_kafka_err2str(err));
  }
}

Result<std::vector<std::int32_t>> Consumer::partitions(std::string_view topic, std::chrono::milliseconds timeout) {
  using R = Result<std::vector<std::int32_t>>;
  const std::string name{topic};
  auto md = detail::fetch_metadata(impl_->rk.get(), name.c_str(), timeout);
  if (!md) return R::failure(md.error, md.reason);
  std::vector<std::int32_t> ids;
  const auto& t = md.value->topics[0];
  for (int i = 0; i < t.partition_cnt; ++i) ids.push_back(t.partitions[i].id);
  std::sort(ids.begin(), ids.end());
  return R::success(std::move(ids));
}

std::error_code Consumer::assign(const std::vector<TopicPartitionOffset>& positions) {
  auto list = to_list(positions);
  return detail::to_error(rd_kafka_assign(impl_->rk.get(), list.get()));
}

std::error_code Consumer::assign(std::string_view topic, const std::vector<std::int32_t>& partitions) {
  std::vector<TopicPartitionOffset> positions;
  positions.reserve(partitions.size());
  for (const auto p : partitions) positions.push_back({std::string{topic}, p, offset_committed});
  return assign(positions);
}

Result<std::optional<Message>> Consumer::poll(std::chrono::milliseconds timeout) {
  using R = Result<std::optional<Message>>;
  detail::MessagePtr m{rd_kafka_consumer_poll(impl_->rk.get(), detail::to_timeout_ms(timeout))};
  if (!m) return R::success(std::nullopt);
  if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) return R::success(std::nullopt);
  if (m->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    detail::MessagePtr keep = std::move(m);
    const char* why = rd_kafka_message_errstr(keep.get());
    return R::failure(detail::to_error(keep->err), why != nullptr ? why : "");
  }
  return R::success(detail::copy_message(*m));
}

std::error_code Consumer::commit(const std::vector<TopicPartitionOffset>& positions, CommitMode mode) {
  if (positions.empty()) return {};
  auto list = to_list(positions);
  // With a queue and no callback, librdkafka returns at once and posts an OFFSET_COMMIT event there.
  const auto err = mode == CommitMode::async
                       ? rd_kafka_commit_queue(impl_->rk.get(), list.get(), impl_->commit_results.get(), nullptr, nullptr)
                       : rd_kafka_commit(impl_->rk.get(), list.get(), 0);
  if (err == RD_KAFKA_RESP_ERR__NO_OFFSET) return {};
  return detail::to_error(err);
}

std::optional<std::error_code> Consumer::poll_commit_result() {
  for (;;) {
    detail::EventPtr ev{rd_kafka_queue_poll(impl_->commit_results.get(), 0)};
    if (!ev) return std::nullopt;
    if (rd_kafka_event_type(ev.get()) != RD_KAFKA_EVENT_OFFSET_COMMIT) continue;
    const auto err = rd_kafka_event_error(ev.get());
    return err == RD_KAFKA_RESP_ERR__NO_OFFSET ? std::error_code{} : detail::to_error(err);
  }
}

Result<std::vector<TopicPartitionOffset>> Consumer::committed(std::string_view topic,
                                                              const std::vector<std::int32_t>& partitions,
                                                              std::chrono::milliseconds timeout) {
  using R = Result<std::vector<TopicPartitionOffset>>;
  std::vector<TopicPartitionOffset> positions;
  for (const auto p : partitions) positions.push_back({std::string{topic}, p, offset_committed});
  auto list = to_list(positions);
  if (const auto err = rd_kafka_committed(impl_->rk.get(), list.get(), detail::to_timeout_ms(timeout)); err) {
    return R::failure(detail::to_error(err));
  }
  for (int i = 0; i < list->cnt; ++i) positions[static_cast<std::size_t>(i)].offset = list->elems[i].offset;
  return R::success(std::move(positions));
}

Result<std::vector<TopicPartitionOffset>> Consumer::offsets_for_times(std::string_view topic,
                                                                      const std::vector<std::int32_t>& partitions,
                                                                      std::int64_t timestamp_ms,
                                                                      std::chrono::milliseconds timeout) {
  using R = Result<std::vector<TopicPartitionOffset>>;
  std::vector<TopicPartitionOffset> positions;
  for (const auto p : partitions) positions.push_back({std::string{topic}, p, timestamp_ms});
  auto list = to_list(positions);  // the offset field carries the timestamp in, the offset out
  if (const auto err = rd_kafka_offsets_for_times(impl_->rk.get(), list.get(), detail::to_timeout_ms(timeout)); err) {
    return R::failure(detail::to_error(err));
  }
  for (int i = 0; i < list->cnt; ++i) {
    if (list->elems[i].err != RD_KAFKA_RESP_ERR_NO_ERROR) return R::failure(detail::to_error(list->elems[i].err));
    positions[static_cast<std::size_t>(i)].offset = list->elems[i].offset;
  }
  return R::success(std::move(positions));
}

Result<std::vector<TopicPartitionOffset>> Consumer::group_offsets(std::string_view group,
                                                                  std::chrono::milliseconds timeout) {
  using R = Result<std::vector<TopicPartitionOffset>>;
  const std::string name{group};
  rd_kafka_ListConsumerGroupOffsets_t* request = rd_kafka_ListConsumerGroupOffsets_new(name.c_str(), nullptr);
  detail::AdminOptionsPtr options{
      rd_kafka_AdminOptions_new(impl_->rk.get(), RD_KAFKA_ADMIN_OP_LISTCONSUMERGROUPOFFSETS)};
  char errstr[256] = {};
  rd_kafka_AdminOptions_set_request_timeout(options.get(), detail::to_timeout_ms(timeout), errstr, sizeof errstr);
  detail::QueuePtr queue{rd_kafka_queue_new(impl_->rk.get())};
  rd_kafka_ListConsumerGroupOffsets(impl_->rk.get(), &request, 1, options.get(), queue.get());
  rd_kafka_ListConsumerGroupOffsets_destroy(request);
  // The request timeout bounds the answer; the margin only covers handing the result over.
  detail::EventPtr event{rd_kafka_queue_poll(queue.get(), detail::to_timeout_ms(timeout) + 1000)};
  if (!event) return R::failure(detail::to_error(RD_KAFKA_RESP_ERR__TIMED_OUT), "no answer from the group coordinator");
  if (const auto err = rd_kafka_event_error(event.get()); err) {
    return R::failure(detail::to_error(err), rd_kafka_event_error_string(event.get()));
  }
  const auto* result = rd_kafka_event_ListConsumerGroupOffsets_result(event.get());
  std::size_t count = 0;
  const auto** groups = rd_kafka_ListConsumerGroupOffsets_result_groups(result, &count);
  std::vector<TopicPartitionOffset> out;
  if (count == 0) return R::success(std::move(out));
  if (const auto* error = rd_kafka_group_result_error(groups[0]); error != nullptr) {
    return R::failure(detail::to_error(rd_kafka_error_code(error)), rd_kafka_error_string(error));
  }
  const auto* list = rd_kafka_group_result_partitions(groups[0]);
  for (int i = 0; list != nullptr && i < list->cnt; ++i) {
    const auto& e = list->elems[i];
    if (e.err == RD_KAFKA_RESP_ERR_NO_ERROR && e.offset >= 0) out.push_back({e.topic, e.partition, e.offset});
  }
  return R::success(std::move(out));
}

std::int64_t Consumer::position(std::string_view topic, std::int32_t partition) const {
  std::vector<TopicPartitionOffset> positions{{std::string{topic}, partition, -1}};
  auto list = to_list(positions);
  if (rd_kafka_position(impl_->rk.get(), list.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) return -1;
  return list->elems[0].offset < 0 ? -1 : list->elems[0].offset;
}

std::optional<Watermarks> Consumer::cached_watermarks(std::string_view topic, std::int32_t partition) const {
  const std::string name{topic};
  Watermarks w;
  if (rd_kafka_get_watermark_offsets(impl_->rk.get(), name.c_str(), partition, &w.low, &w.high) != 0) return {};
  if (w.high < 0) return std::nullopt;
  return w;
}

Result<Watermarks> Consumer::query_watermarks(std::string_view topic, std::int32_t partition,
                                              std::chrono::milliseconds timeout) {
  const std::string name{topic};
  Watermarks w;
  const auto err = rd_kafka_query_watermark_offsets(impl_->rk.get(), name.c_str(), partition, &w.low, &w.high,
                                                    detail::to_timeout_ms(timeout));
  if (err) return Result<Watermarks>::failure(detail::to_error(err));
  return Result<Watermarks>::success(w);
}

void Consumer::enable_queue_wakeup(int fd) { impl_->set_wakeup(fd); }

std::size_t Consumer::queued_messages() const {
  detail::QueuePtr queue{rd_kafka_queue_get_consumer(impl_->rk.get())};
  return queue ? rd_kafka_queue_length(queue.get()) : 0;
}

namespace {

detail::PartitionListPtr partition_list(std::string_view topic, const std::vector<std::int32_t>& partitions) {
  const std::string name{topic};
  detail::PartitionListPtr list{rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size()))};
  for (const auto p : partitions) rd_kafka_topic_partition_list_add(list.get(), name.c_str(), p);
  return list;
}

}  // namespace

std::error_code Consumer::pause(std::string_view topic, const std::vector<std::int32_t>& partitions) {
  auto list = partition_list(topic, partitions);
  return detail::to_error(rd_kafka_pause_partitions(impl_->rk.get(), list.get()));
}

std::error_code Consumer::resume(std::string_view topic, const std::vector<std::int32_t>& partitions) {
  auto list = partition_list(topic, partitions);
  return detail::to_error(rd_kafka_resume_partitions(impl_->rk.get(), list.get()));
}

void Consumer::wake_fetchers(std::string_view topic, const std::vector<std::int32_t>& partitions) {
  const std::string name{topic};
  for (const auto p : partitions) {
    // A watermark query goes to the leader's broker thread (leaders come from cached metadata); the 1 ms timeout
    // only bounds our wait, the request is already queued to that thread and wakes it.
    std::int64_t low = 0;
    std::int64_t high = 0;
    (void)rd_kafka_query_watermark_offsets(impl_->rk.get(), name.c_str(), p, &low, &high, 1);
  }
}

}  // namespace kok::kafka
