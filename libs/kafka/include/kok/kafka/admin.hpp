#pragma once
// Topic administration and metadata: create, describe, list, exists (cached), cluster reachability.
//
// Every operation exists twice: a blocking one (returns Result<T>) and an async_ one taking a completion token whose
// handler signature is void(Result<T>) — a single argument, so `co_await admin.async_x(..., use_awaitable)` returns the
// Result (with the broker's reason) instead of throwing.
//
// Why a small dedicated thread pool rather than librdkafka event queues: librdkafka 2.0.2 has no asynchronous metadata
// request (DescribeTopics / DescribeCluster arrived in 2.3), and describe/list/exists all need metadata. So the blocking
// wait (bounded by Options::request_timeout) runs on Options::blocking_threads threads owned by the Admin, never on an io
// thread; the result is posted to the handler's executor. Two threads keep one slow call (brokers down) from
// serializing every other request; the exists cache keeps hot paths off the pool entirely, and the confirmation of a
// "no" waits between its requests on a timer, not on a pool thread.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>

#include "kok/kafka/completion.hpp"
#include "kok/kafka/config.hpp"
#include "kok/kafka/result.hpp"

namespace kok::kafka {

struct NewTopic {
  std::string name;
  int partitions = 1;
  int replication_factor = 3;
  ConfigMap configs;  // topic-level configs, e.g. {"retention.ms", "86400000"}
};

enum class TopicCreation { created, already_exists };

struct PartitionInfo {
  std::int32_t id = -1;
  std::int32_t leader = -1;  // -1: no leader right now
  std::vector<std::int32_t> replicas;
  std::vector<std::int32_t> isr;
};

struct TopicConfigEntry {
  std::string name;
  std::optional<std::string> value;  // nullopt for sensitive or unset values
  bool is_default = false;
  bool read_only = false;
  bool sensitive = false;
};

struct TopicDescription {
  std::string name;
  std::vector<PartitionInfo> partitions;  // sorted by id
  std::vector<TopicConfigEntry> configs;  // sorted by name
};

struct BrokerInfo {
  std::int32_t id = -1;
  std::string host;
  int port = 0;
};

struct ClusterInfo {
  std::vector<BrokerInfo> brokers;  // sorted by id
};

class Admin {
 public:
  struct Options {
    std::chrono::milliseconds request_timeout{5'000};
    // How long topic_exists() trusts a metadata snapshot: positive answers for exists_ttl, negative ones for the shorter
    // missing_ttl (a topic created by another process becomes visible quickly).
    std::chrono::milliseconds exists_ttl{5'000};
    std::chrono::milliseconds missing_ttl{500};
    // The one budget for "a topic this client created is visible": the controller has committed a new topic when
    // CreateTopics answers, but each broker applies it a moment later. For visible_timeout after the creation,
    // create_topic waits until every partition has a leader, and describe/partitions answer a lagging broker's
    // "unknown topic" by asking again. Callers never wait for visibility themselves.
    std::chrono::milliseconds visible_timeout{5'000};
    // How long topic_exists() keeps asking before it says "no" about a topic it knows nothing of. A topic created
    // through another client is committed when that client hears so, but the broker we ask (librdkafka keeps asking the
    // same one) may apply it a moment later; a "no" must hold for this long. Only the first "no" for a name pays it:
    // the answer is then cached for missing_ttl.
    std::chrono::milliseconds missing_confirm{300};
    std::size_t blocking_threads = 2;
  };

  // `config`: normally admin_config(). Throws ConfigError.
  explicit Admin(const ConfigMap& config);
  Admin(const ConfigMap& config, Options options);
  ~Admin();  // waits for pending operations (each bounded by request_timeout)
  Admin(const Admin&) = delete;
  Admin& operator=(const Admin&) = delete;

  // Blocking API (never from an io thread).
  // Returns once the topic is visible (Options::visible_timeout) — or, past that budget, created but not yet visible.
  // Too few brokers right now for a replication factor this cluster has had brokers for is ErrorKind::unavailable,
  // not invalid_request; a timeout's reason says the creation may still complete (creation_failure.hpp).
  Result<TopicCreation> create_topic(const NewTopic& topic);
  Result<TopicDescription> describe_topic(std::string_view name);   // unknown topic → ErrorKind::unknown_topic
  Result<std::vector<PartitionInfo>> partitions(std::string_view name);  // metadata only, no configs
  Result<std::vector<std::string>> list_topics();                   // sorted, internal topics (__*) skipped
  // Served from the cache when fresh. A "no" is always confirmed by a topic-specific metadata request, since the
  // broker that answered the topic list may not have applied a creation of a moment ago.
  Result<bool> topic_exists(std::string_view name);
  Result<bool> delete_topic(std::string_view name);                 // false: did not exist
  Result<ClusterInfo> cluster_info();                               // brokers; an error means Kafka is unreachable

  // Non-blocking: the cached answer if fresh enough, otherwise nullopt (then use async_topic_exists).
  [[nodiscard]] std::optional<bool> cached_topic_exists(std::string_view name) const;
  // Forget what the cache knows (after create/delete through another client).
  void invalidate_cache();

  // Asynchronous API: handler signature void(Result<T>).
  // GCC 12: build the NewTopic in a named variable before `co_await admin.async_create_topic(std::move(spec), ...)`;
  // a brace-initialised temporary inside a co_await expression is destroyed twice by that compiler.
  template <typename CompletionToken>
  auto async_create_topic(NewTopic topic, CompletionToken&& token) {
    return run_blocking<TopicCreation>([this, t = std::move(topic)] { return create_topic(t); },
                                       std::forward<CompletionToken>(token));
  }
  template <typename CompletionToken>
  auto async_describe_topic(std::string name, CompletionToken&& token) {
    return run_blocking<TopicDescription>([this, n = std::move(name)] { return describe_topic(n); },
                                          std::forward<CompletionToken>(token));
  }
  template <typename CompletionToken>
  auto async_list_topics(CompletionToken&& token) {
    return run_blocking<std::vector<std::string>>([this] { return list_topics(); },
                                                  std::forward<CompletionToken>(token));
  }
  template <typename CompletionToken>
  auto async_delete_topic(std::string name, CompletionToken&& token) {
    return run_blocking<bool>([this, n = std::move(name)] { return delete_topic(n); },
                              std::forward<CompletionToken>(token));
  }
  template <typename CompletionToken>
  auto async_cluster_info(CompletionToken&& token) {
    return run_blocking<ClusterInfo>([this] { return cluster_info(); }, std::forward<CompletionToken>(token));
  }
  // Completes without leaving the caller's executor's thread pool when the cache is fresh (no blocking-pool hop).
  template <typename CompletionToken>
  auto async_topic_exists(std::string name, CompletionToken&& token) {
    if (auto cached = cached_topic_exists(name)) {
      return boost::asio::async_initiate<CompletionToken, void(Result<bool>)>(
          [](auto handler, bool exists) {
            detail::make_completion<Result<bool>>(std::move(handler))->complete(Result<bool>::success(exists));
          },
          token, *cached);
    }
    return boost::asio::async_initiate<CompletionToken, void(Result<bool>)>(
        [this](auto handler, std::string n) {
          start_topic_exists(std::move(n), detail::make_completion<Result<bool>>(std::move(handler)));
        },
        token, std::move(name));
  }

 private:
  [[nodiscard]] boost::asio::any_io_executor blocking_executor() const;
  Result<std::vector<PartitionInfo>> partitions_once(std::string_view name);
  Result<TopicDescription> describe_once(std::string_view name);
  bool wait_until_visible(std::string_view name);
  // topic_exists() in steps: the cache or the topic list (nullopt: the list lacks the name), one topic-specific request
  // (false may be a lagging broker's), and the cache told of a "no" that held for missing_confirm.
  std::optional<Result<bool>> first_look(std::string_view name);
  Result<bool> look_up(std::string_view name);
  Result<bool> confirmed(std::string_view name, Result<bool> answer);
  // async_topic_exists() past the cache: the same steps, with no admin thread held between the requests.
  void start_topic_exists(std::string name, std::shared_ptr<detail::Completion<Result<bool>>> done);
  Result<TopicCreation> creation_failure(const NewTopic& topic, Result<TopicCreation> failed);

  template <typename T, typename Fn, typename CompletionToken>
  auto run_blocking(Fn fn, CompletionToken&& token) {
    return boost::asio::async_initiate<CompletionToken, void(Result<T>)>(
        [](auto handler, boost::asio::any_io_executor pool, Fn work) {
          auto completion = detail::make_completion<Result<T>>(std::move(handler));
          boost::asio::post(pool, [w = std::move(work), c = std::move(completion)]() mutable { c->complete(w()); });
        },
        token, blocking_executor(), std::move(fn));
  }

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace kok::kafka
