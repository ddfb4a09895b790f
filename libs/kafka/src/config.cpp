#include "kok/kafka/config.hpp"

#include <utility>

#include "rdkafka_handles.hpp"

namespace kok::kafka {
namespace {

// Settings every client gets.
void add_common(ConfigMap& m, std::string_view bootstrap_servers) {
  m.insert_or_assign("bootstrap.servers", std::string{bootstrap_servers});
  // The brokers run with auto.create.topics.enable=false; say the same on the client side so a metadata request for a
  // missing topic can never create it (librdkafka's producer default is true).
  m.insert_or_assign("allow.auto.create.topics", "false");
  m.insert_or_assign("socket.timeout.ms", "10000");
  // Brokers close idle connections (connections.max.idle.ms); that is normal, not worth a log line each time.
  m.insert_or_assign("log.connection.close", "false");
  // A broker that went away (restarted, laptop asleep) is tried again at most a second apart rather than librdkafka's
  // 10 s: after a restart the clients are back within a second of the brokers (bench/recovery.py measures it).
  m.insert_or_assign("reconnect.backoff.max.ms", "1000");
}

void apply_overrides(ConfigMap& m, const ConfigMap& overrides) {
  for (const auto& [key, value] : overrides) m.insert_or_assign(key, value);
}

void require(const ConfigMap& m, const std::string& key, std::initializer_list<std::string_view> allowed,
             std::string_view why) {
  const auto it = m.find(key);
  if (it == m.end()) return;
  for (const auto a : allowed) {
    if (it->second == a) return;
  }
  throw ConfigError(key, "must be " + std::string{*allowed.begin()} + " (" + std::string{why} + "), got '" +
                             it->second + "'");
}

}  // namespace

ConfigError::ConfigError(std::string key, const std::string& reason)
    : std::runtime_error("kafka config '" + key + "': " + reason), key_(std::move(key)) {}

ConfigMap producer_config(std::string_view bootstrap_servers, const ConfigMap& overrides) {
  ConfigMap m;
  add_common(m, bootstrap_servers);
  // No duplicates, no reordering on retries; implies acks=all (all in-sync replicas, min.insync.replicas=2 on brokers).
  m.insert_or_assign("enable.idempotence", "true");
  m.insert_or_assign("acks", "all");
  // An HTTP request waits for its delivery report, so the batching delay is latency every request pays. Measured
  // (docs/decisions.md, "Producer linger.ms is 1"): 1 ms against librdkafka's 5 gives 2.6x the requests/s at one
  // connection and 1.6x at 64; requests that arrive together still share a ProduceRequest, and 0 (a request per
  // message until the in-flight window fills) was no better at 1 or 64 connections and slower at 256.
  m.insert_or_assign("linger.ms", "1");
  // Upper bound for a delivery report (includes retries while a leader moves): a request never hangs longer.
  m.insert_or_assign("message.timeout.ms", "30000");
  // Kafka's own broker default (1048588), for a cluster nobody tuned. Our brokers use 1049600 (broker.properties,
  // broker.env), and the producer service passes that through KAFKA_MESSAGE_MAX_BYTES so size errors come from one rule.
  m.insert_or_assign("message.max.bytes", "1048588");
  m.insert_or_assign("queue.buffering.max.messages", "100000");
  // A produce to a missing topic fails as unknown topic after this long instead of only at message.timeout.ms. Long
  // enough for a topic just created elsewhere to appear in metadata.
  m.insert_or_assign("topic.metadata.propagation.max.ms", "5000");
  apply_overrides(m, overrides);
  require(m, "enable.idempotence", {"true"}, "the producer must not duplicate or reorder messages");
  require(m, "acks", {"all", "-1"}, "a message is acknowledged only once all in-sync replicas have it");
  return m;
}

ConfigMap consumer_config(std::string_view bootstrap_servers, std::string_view group_id, const ConfigMap& overrides) {
  ConfigMap m;
  add_common(m, bootstrap_servers);
  m.insert_or_assign("group.id", std::string{group_id});
  // Offsets are committed by hand, only after the HTTP response carrying the message was written.
  m.insert_or_assign("enable.auto.commit", "false");
  m.insert_or_assign("enable.auto.offset.store", "false");
  m.insert_or_assign("auto.offset.reset", "earliest");
  m.insert_or_assign("enable.partition.eof", "false");
  // Prefetch: a read of messages already fetched never waits for the network, so the next fetch must be answered before
  // the local queue runs dry. librdkafka 2.0 (Debian bookworm) stops fetching a partition once its queue holds
  // queued.min.messages or queued.max.messages.kbytes, and looks at it again only when its broker thread next wakes up:
  // up to a second later (fetch.queue.backoff.ms, which would shorten that, arrived in 2.1). So the queue must hold a
  // second of reading: 1,000 messages (the old setting) lasted ~100 ms at 10k msg/s, and reads stalled for the rest of
  // the second (p75 324 ms, p99 921 ms for one reader, docs/benchmarks.md). 100,000 messages is about a second at the
  // rates one process serves; the byte bound keeps a topic of large messages at 16 MiB (librdkafka's default is 64 MiB,
  // and one process may hold a consumer per topic, CONSUMER_MAX_TOPICS).
  m.insert_or_assign("queued.max.messages.kbytes", "16384");
  m.insert_or_assign("queued.min.messages", "100000");
  apply_overrides(m, overrides);
  require(m, "enable.auto.commit", {"false"}, "offsets are committed only after the reply was written");
  require(m, "enable.auto.offset.store", {"false"}, "offsets are committed only after the reply was written");
  return m;
}

ConfigMap admin_config(std::string_view bootstrap_servers, const ConfigMap& overrides) {
  ConfigMap m;
  add_common(m, bootstrap_servers);
  apply_overrides(m, overrides);
  return m;
}

void validate_config(const ConfigMap& config) { (void)detail::make_conf(config); }

}  // namespace kok::kafka
