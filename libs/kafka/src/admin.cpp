#include "kok/kafka/admin.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>

#include <boost/asio/thread_pool.hpp>

#include "kok/kafka/creation_failure.hpp"
#include "kok/kafka/error.hpp"
#include "kok/kafka/topic_name.hpp"
#include "poll_until.hpp"
#include "rdkafka_handles.hpp"
#include "topic_existence_cache.hpp"

namespace kok::kafka {
namespace {

using Clock = std::chrono::steady_clock;

// How often a broker is asked again while it may not have applied a creation yet.
constexpr std::chrono::milliseconds kPollInterval{50};

// A topic-specific answer settles the question when it is "yes" or an error other than "unknown topic"; a "no" may be
// a lagging broker's, so it is asked again until Options::missing_confirm has passed.
bool settled(const Result<bool>& exists) { return !exists || exists.value; }

detail::AdminOptionsPtr make_admin_options(rd_kafka_t* rk, rd_kafka_admin_op_t op, std::chrono::milliseconds timeout,
                                           bool with_operation_timeout) {
  detail::AdminOptionsPtr options{rd_kafka_AdminOptions_new(rk, op)};
  std::array<char, 256> errstr{};
  (void)rd_kafka_AdminOptions_set_request_timeout(options.get(), detail::to_timeout_ms(timeout), errstr.data(),
                                                  errstr.size());
  if (with_operation_timeout) {
    // Wait until the controller has finished the operation, so the topic is usable when we answer.
    (void)rd_kafka_AdminOptions_set_operation_timeout(options.get(), detail::to_timeout_ms(timeout), errstr.data(),
                                                      errstr.size());
  }
  return options;
}

// Waits for the single result event of an admin request on its private queue. The margin lets librdkafka's own
// timeout fire first, so the error says what timed out.
detail::EventPtr wait_event(rd_kafka_queue_t* queue, std::chrono::milliseconds timeout) {
  return detail::EventPtr{rd_kafka_queue_poll(queue, detail::to_timeout_ms(timeout + std::chrono::seconds{2}))};
}

template <typename T>
Result<T> event_failure(rd_kafka_event_t* ev) {
  if (ev == nullptr) return Result<T>::failure(make_kafka_error(RD_KAFKA_RESP_ERR__TIMED_OUT));
  const auto err = rd_kafka_event_error(ev);
  const char* why = rd_kafka_event_error_string(ev);
  return Result<T>::failure(detail::to_error(err), why != nullptr ? why : "");
}

}  // namespace

struct Admin::Impl {
  Options options;
  detail::ClientPtr rk;
  detail::TopicExistenceCache cache;
  // The most brokers any metadata answer listed: how big this cluster has been, so a creation refused for lack of
  // brokers can be told apart from a replication factor it never had (creation_failure.hpp).
  std::atomic<int> brokers_seen{0};
  boost::asio::thread_pool pool;

  void saw_brokers(int count) {
    int seen = brokers_seen.load();
    while (count > seen && !brokers_seen.compare_exchange_weak(seen, count)) {
    }
  }

  Impl(const ConfigMap& config, Options opts)
      : options(opts), rk(detail::make_client(RD_KAFKA_PRODUCER, detail::make_conf(config))),
        cache({opts.exists_ttl, opts.missing_ttl, opts.visible_timeout}),
        pool(std::max<std::size_t>(1, opts.blocking_threads)) {}

  // Runs `request` again while it says "unknown topic" about a topic this client created, until the topic's
  // visibility window closes: the broker that answered has not applied the creation yet.
  template <typename Request>
  auto until_visible(std::string_view name, Request request) {
    const auto deadline = cache.visibility_deadline(name).value_or(Clock::now());
    return detail::poll_until(deadline, kPollInterval, request,
                              [](const auto& result) { return result || !is_unknown_topic(result.error); });
  }
};

Admin::Admin(const ConfigMap& config) : Admin(config, Options{}) {}
Admin::Admin(const ConfigMap& config, Options options) : impl_(std::make_unique<Impl>(config, options)) {}

Admin::~Admin() {
  // Let queued async operations finish (each is bounded by request_timeout) before the client goes away.
  impl_->pool.join();
}

boost::asio::any_io_executor Admin::blocking_executor() const { return impl_->pool.get_executor(); }

Result<TopicCreation> Admin::create_topic(const NewTopic& topic) {
  using R = Result<TopicCreation>;
  if (auto why = topic_name_error(topic.name)) return R::failure(make_kafka_error(RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION), *why);
  std::array<char, 512> errstr{};
  detail::NewTopicPtr nt{rd_kafka_NewTopic_new(topic.name.c_str(), topic.partitions, topic.replication_factor,
                                               errstr.data(), errstr.size())};
  if (!nt) return R::failure(make_kafka_error(RD_KAFKA_RESP_ERR__INVALID_ARG), errstr.data());
  for (const auto& [key, value] : topic.configs) {
    if (const auto err = rd_kafka_NewTopic_set_config(nt.get(), key.c_str(), value.c_str()); err) {
      return R::failure(detail::to_error(err), "topic config '" + key + "' rejected");
    }
  }
  rd_kafka_t* rk = impl_->rk.get();
  detail::QueuePtr queue{rd_kafka_queue_new(rk)};
  auto options = make_admin_options(rk, RD_KAFKA_ADMIN_OP_CREATETOPICS, impl_->options.request_timeout, true);
  rd_kafka_NewTopic_t* topics[] = {nt.get()};
  rd_kafka_CreateTopics(rk, topics, 1, options.get(), queue.get());
  auto ev = wait_event(queue.get(), impl_->options.request_timeout);
  const rd_kafka_CreateTopics_result_t* res = ev ? rd_kafka_event_CreateTopics_result(ev.get()) : nullptr;
  if (res == nullptr || rd_kafka_event_error(ev.get())) {
    return creation_failure(topic, event_failure<TopicCreation>(ev.get()));
  }
  std::size_t count = 0;
  const rd_kafka_topic_result_t** results = rd_kafka_CreateTopics_result_topics(res, &count);
  if (count < 1) return R::failure(make_kafka_error(RD_KAFKA_RESP_ERR__FAIL), "empty CreateTopics result");
  const auto err = rd_kafka_topic_result_error(results[0]);
  if (err == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS) {
    // Another client created it: it exists, but it is not ours to wait for.
    impl_->cache.confirmed_present(topic.name);
    return R::success(TopicCreation::already_exists);
  }
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    const char* why = rd_kafka_topic_result_error_string(results[0]);
    return creation_failure(topic, R::failure(detail::to_error(err), why != nullptr ? why : ""));
  }
  impl_->cache.created(topic.name);
  if (!wait_until_visible(topic.name)) {
    spdlog::warn("topic '{}' created, but not every partition had a leader in metadata after {} ms", topic.name,
                 impl_->options.visible_timeout.count());
  }
  return R::success(TopicCreation::created);
}

Result<TopicCreation> Admin::creation_failure(const NewTopic& topic, Result<TopicCreation> failed) {
  // A process that has not asked for metadata yet (the first request after a start) learns the cluster's size now.
  if (failed.error == make_kafka_error(RD_KAFKA_RESP_ERR_INVALID_REPLICATION_FACTOR) &&
      impl_->brokers_seen.load() < topic.replication_factor) {
    (void)cluster_info();
  }
  auto explained =
      explain_creation_failure(failed.error, failed.reason, topic.replication_factor, impl_->brokers_seen.load());
  return Result<TopicCreation>::failure(explained.error, std::move(explained.reason));
}

bool Admin::wait_until_visible(std::string_view name) {
  const auto deadline = impl_->cache.visibility_deadline(name).value_or(Clock::now());
  const auto led = [](const Result<std::vector<PartitionInfo>>& parts) {
    return parts && !parts.value.empty() &&
           std::all_of(parts.value.begin(), parts.value.end(), [](const auto& p) { return p.leader >= 0; });
  };
  return led(detail::poll_until(deadline, kPollInterval, [this, name] { return partitions_once(name); }, led));
}

Result<bool> Admin::delete_topic(std::string_view name) {
  using R = Result<bool>;
  const std::string topic{name};
  rd_kafka_t* rk = impl_->rk.get();
  detail::DeleteTopicPtr dt{rd_kafka_DeleteTopic_new(topic.c_str())};
  detail::QueuePtr queue{rd_kafka_queue_new(rk)};
  auto options = make_admin_options(rk, RD_KAFKA_ADMIN_OP_DELETETOPICS, impl_->options.request_timeout, true);
  rd_kafka_DeleteTopic_t* topics[] = {dt.get()};
  rd_kafka_DeleteTopics(rk, topics, 1, options.get(), queue.get());
  auto ev = wait_event(queue.get(), impl_->options.request_timeout);
  const rd_kafka_DeleteTopics_result_t* res = ev ? rd_kafka_event_DeleteTopics_result(ev.get()) : nullptr;
  if (res == nullptr || rd_kafka_event_error(ev.get())) return event_failure<bool>(ev.get());
  std::size_t count = 0;
  const rd_kafka_topic_result_t** results = rd_kafka_DeleteTopics_result_topics(res, &count);
  if (count < 1) return R::failure(make_kafka_error(RD_KAFKA_RESP_ERR__FAIL), "empty DeleteTopics result");
  const auto err = rd_kafka_topic_result_error(results[0]);
  impl_->cache.deleted(name);
  if (err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) return R::success(false);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    const char* why = rd_kafka_topic_result_error_string(results[0]);
    return R::failure(detail::to_error(err), why != nullptr ? why : "");
  }
  return R::success(true);
}

Result<std::vector<PartitionInfo>> Admin::partitions(std::string_view name) {
  return impl_->until_visible(name, [this, name] { return partitions_once(name); });
}

Result<std::vector<PartitionInfo>> Admin::partitions_once(std::string_view name) {
  using R = Result<std::vector<PartitionInfo>>;
  if (auto why = topic_name_error(name)) return R::failure(make_kafka_error(RD_KAFKA_RESP_ERR_TOPIC_EXCEPTION), *why);
  const std::string topic{name};
  auto md = detail::fetch_metadata(impl_->rk.get(), topic.c_str(), impl_->options.request_timeout);
  if (!md) return R::failure(md.error, md.reason);
  impl_->saw_brokers(md.value->broker_cnt);
  const rd_kafka_metadata_topic_t& t = md.value->topics[0];
  std::vector<PartitionInfo> out;
  out.reserve(static_cast<std::size_t>(t.partition_cnt));
  for (int i = 0; i < t.partition_cnt; ++i) {
    const auto& p = t.partitions[i];
    PartitionInfo info;
    info.id = p.id;
    info.leader = p.leader;
    info.replicas.assign(p.replicas, p.replicas + p.replica_cnt);
    info.isr.assign(p.isrs, p.isrs + p.isr_cnt);
    out.push_back(std::move(info));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return R::success(std::move(out));
}

Result<TopicDescription> Admin::describe_topic(std::string_view name) {
  return impl_->until_visible(name, [this, name] { return describe_once(name); });
}

Result<TopicDescription> Admin::describe_once(std::string_view name) {
  using R = Result<TopicDescription>;
  auto parts = partitions_once(name);
  if (!parts) return R::failure(parts.error, parts.reason);
  TopicDescription desc;
  desc.name = std::string{name};
  desc.partitions = std::move(parts.value);

  rd_kafka_t* rk = impl_->rk.get();
  detail::ConfigResourcePtr resource{rd_kafka_ConfigResource_new(RD_KAFKA_RESOURCE_TOPIC, desc.name.c_str())};
  detail::QueuePtr queue{rd_kafka_queue_new(rk)};
  auto options = make_admin_options(rk, RD_KAFKA_ADMIN_OP_DESCRIBECONFIGS, impl_->options.request_timeout, false);
  rd_kafka_ConfigResource_t* resources[] = {resource.get()};
  rd_kafka_DescribeConfigs(rk, resources, 1, options.get(), queue.get());
  auto ev = wait_event(queue.get(), impl_->options.request_timeout);
  const rd_kafka_DescribeConfigs_result_t* res = ev ? rd_kafka_event_DescribeConfigs_result(ev.get()) : nullptr;
  if (res == nullptr || rd_kafka_event_error(ev.get())) return event_failure<TopicDescription>(ev.get());
  std::size_t count = 0;
  const rd_kafka_ConfigResource_t** described = rd_kafka_DescribeConfigs_result_resources(res, &count);
  if (count < 1) return R::failure(make_kafka_error(RD_KAFKA_RESP_ERR__FAIL), "empty DescribeConfigs result");
  if (const auto err = rd_kafka_ConfigResource_error(described[0]); err) {
    const char* why = rd_kafka_ConfigResource_error_string(described[0]);
    return R::failure(detail::to_error(err), why != nullptr ? why : "");
  }
  std::size_t entry_count = 0;
  const rd_kafka_ConfigEntry_t** entries = rd_kafka_ConfigResource_configs(described[0], &entry_count);
  for (std::size_t i = 0; i < entry_count; ++i) {
    TopicConfigEntry e;
    e.name = rd_kafka_ConfigEntry_name(entries[i]);
    if (const char* v = rd_kafka_ConfigEntry_value(entries[i]); v != nullptr) e.value = v;
    e.is_default = rd_kafka_ConfigEntry_is_default(entries[i]) != 0;
    e.read_only = rd_kafka_ConfigEntry_is_read_only(entries[i]) != 0;
    e.sensitive = rd_kafka_ConfigEntry_is_sensitive(entries[i]) != 0;
    desc.configs.push_back(std::move(e));
  }
  std::sort(desc.configs.begin(), desc.configs.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return R::success(std::move(desc));
}

Result<std::vector<std::string>> Admin::list_topics() {
  using R = Result<std::vector<std::string>>;
  auto md = detail::fetch_metadata(impl_->rk.get(), nullptr, impl_->options.request_timeout);
  if (!md) return R::failure(md.error, md.reason);
  impl_->saw_brokers(md.value->broker_cnt);
  std::vector<std::string> names;
  for (int i = 0; i < md.value->topic_cnt; ++i) {
    const auto& t = md.value->topics[i];
    if (t.err == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART) continue;  // being deleted
    if (is_internal_topic(t.topic)) continue;
    names.emplace_back(t.topic);
  }
  std::sort(names.begin(), names.end());
  impl_->cache.listed(names);
  return R::success(std::move(names));
}

std::optional<bool> Admin::cached_topic_exists(std::string_view name) const { return impl_->cache.lookup(name); }

void Admin::invalidate_cache() { impl_->cache.forget_what_others_said(); }

std::optional<Result<bool>> Admin::first_look(std::string_view name) {
  using R = Result<bool>;
  if (auto cached = cached_topic_exists(name)) return R::success(*cached);
  if (!is_valid_topic_name(name)) return R::success(false);
  auto names = list_topics();
  if (!names) return R::failure(names.error, names.reason);
  if (std::binary_search(names.value.begin(), names.value.end(), name)) return R::success(true);
  // The list came from one broker, which may lag behind the controller: the caller asks about this topic.
  return std::nullopt;
}

Result<bool> Admin::look_up(std::string_view name) {
  using R = Result<bool>;
  const auto parts = partitions_once(name);
  if (parts && !parts.value.empty()) {
    impl_->cache.confirmed_present(name);
    return R::success(true);
  }
  if (!parts && !is_unknown_topic(parts.error)) return R::failure(parts.error, parts.reason);
  return R::success(false);
}

Result<bool> Admin::confirmed(std::string_view name, Result<bool> answer) {
  if (answer && !answer.value) impl_->cache.confirmed_missing(name);
  return answer;
}

Result<bool> Admin::topic_exists(std::string_view name) {
  if (auto answer = first_look(name)) return std::move(*answer);
  const auto deadline = Clock::now() + impl_->options.missing_confirm;
  return confirmed(name, detail::poll_until(deadline, kPollInterval, [this, name] { return look_up(name); }, settled));
}

void Admin::start_topic_exists(std::string name, std::shared_ptr<detail::Completion<Result<bool>>> done) {
  boost::asio::post(impl_->pool, [this, name = std::move(name), done = std::move(done)]() mutable {
    if (auto answer = first_look(name)) {
      done->complete(std::move(*answer));
      return;
    }
    // The confirmation of a "no" waits on a timer between its requests: an unknown name holds no admin thread while
    // it waits, so a burst of them cannot queue a creation behind their pauses.
    const auto deadline = Clock::now() + impl_->options.missing_confirm;
    detail::async_poll_until<Result<bool>>(
        impl_->pool.get_executor(), deadline, kPollInterval, [this, name] { return look_up(name); }, settled,
        [this, name, done](Result<bool> answer) { done->complete(confirmed(name, std::move(answer))); });
  });
}

Result<ClusterInfo> Admin::cluster_info() {
  using R = Result<ClusterInfo>;
  const rd_kafka_metadata_t* raw = nullptr;
  const auto err =
      rd_kafka_metadata(impl_->rk.get(), 0, nullptr, &raw, detail::to_timeout_ms(impl_->options.request_timeout));
  detail::MetadataPtr md{raw};
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return R::failure(detail::to_error(err));
  impl_->saw_brokers(md->broker_cnt);
  ClusterInfo info;
  for (int i = 0; i < md->broker_cnt; ++i) {
    info.brokers.push_back(BrokerInfo{md->brokers[i].id, md->brokers[i].host, md->brokers[i].port});
  }
  std::sort(info.brokers.begin(), info.brokers.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  return R::success(std::move(info));
}

}  // namespace kok::kafka
