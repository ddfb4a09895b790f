#include "rdkafka_handles.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <limits>
#include <string>

#include "kok/kafka/error.hpp"

namespace kok::kafka::detail {
namespace {

// librdkafka logs with syslog levels.
spdlog::level::level_enum to_spdlog_level(int syslog_level) noexcept {
  if (syslog_level <= 3) return spdlog::level::err;
  if (syslog_level == 4) return spdlog::level::warn;
  if (syslog_level <= 6) return spdlog::level::info;
  return spdlog::level::debug;
}

void log_callback(const rd_kafka_t* rk, int level, const char* facility, const char* message) {
  spdlog::log(to_spdlog_level(level), "kafka {} [{}] {}", rk != nullptr ? rd_kafka_name(rk) : "-", facility, message);
}

void error_callback(rd_kafka_t* rk, int err, const char* reason, void* /*opaque*/) {
  // Most client errors are transient (a broker restarting); librdkafka retries by itself.
  const auto code = static_cast<rd_kafka_resp_err_t>(err);
  const bool fatal = code == RD_KAFKA_RESP_ERR__FATAL;
  spdlog::log(fatal ? spdlog::level::err : spdlog::level::warn, "kafka {} error {}: {}", rd_kafka_name(rk),
              rd_kafka_err2name(code), reason);
}

}  // namespace

ConfPtr make_conf(const ConfigMap& config) {
  ConfPtr conf{rd_kafka_conf_new()};
  std::array<char, 512> errstr{};
  for (const auto& [key, value] : config) {
    if (rd_kafka_conf_set(conf.get(), key.c_str(), value.c_str(), errstr.data(), errstr.size()) != RD_KAFKA_CONF_OK) {
      throw ConfigError(key, errstr.data());
    }
  }
  rd_kafka_conf_set_log_cb(conf.get(), log_callback);
  rd_kafka_conf_set_error_cb(conf.get(), error_callback);
  return conf;
}

ClientPtr make_client(rd_kafka_type_t type, ConfPtr conf) {
  std::array<char, 512> errstr{};
  rd_kafka_t* rk = rd_kafka_new(type, conf.get(), errstr.data(), errstr.size());
  if (rk == nullptr) throw ConfigError("(client)", errstr.data());
  (void)conf.release();  // owned by rk now
  return ClientPtr{rk};
}

int to_timeout_ms(std::chrono::milliseconds timeout) noexcept {
  const auto ms = std::clamp<std::chrono::milliseconds::rep>(timeout.count(), 0, std::numeric_limits<int>::max());
  return static_cast<int>(ms);
}

Result<MetadataPtr> fetch_metadata(rd_kafka_t* rk, const char* topic, std::chrono::milliseconds timeout) {
  TopicPtr rkt;
  if (topic != nullptr) rkt.reset(rd_kafka_topic_new(rk, topic, nullptr));
  const rd_kafka_metadata_t* raw = nullptr;
  const auto err = rd_kafka_metadata(rk, topic == nullptr ? 1 : 0, rkt.get(), &raw, to_timeout_ms(timeout));
  MetadataPtr md{raw};
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return Result<MetadataPtr>::failure(to_error(err));
  if (topic != nullptr) {
    if (md->topic_cnt < 1) return Result<MetadataPtr>::failure(to_error(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART));
    const auto terr = md->topics[0].err;
    if (terr != RD_KAFKA_RESP_ERR_NO_ERROR) {
      // A topic whose leaders are moving still exists and has partitions: only "unknown" is an error here.
      if (terr == RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART || md->topics[0].partition_cnt == 0) {
        return Result<MetadataPtr>::failure(to_error(terr), "topic does not exist");
      }
    }
  }
  return Result<MetadataPtr>::success(std::move(md));
}

Message copy_message(const rd_kafka_message_t& m) {
  Message out;
  out.topic = m.rkt != nullptr ? rd_kafka_topic_name(m.rkt) : "";
  out.partition = m.partition;
  out.offset = m.offset;
  if (m.key != nullptr) out.key.emplace(static_cast<const char*>(m.key), m.key_len);
  if (m.payload != nullptr) out.value.assign(static_cast<const char*>(m.payload), m.len);
  rd_kafka_timestamp_type_t ts_type{};
  out.timestamp_ms = rd_kafka_message_timestamp(&m, &ts_type);
  rd_kafka_headers_t* headers = nullptr;
  // rd_kafka_message_headers takes a non-const message (it parses lazily), but does not change what we copied.
  if (rd_kafka_message_headers(const_cast<rd_kafka_message_t*>(&m), &headers) == RD_KAFKA_RESP_ERR_NO_ERROR &&
      headers != nullptr) {
    const char* name = nullptr;
    const void* value = nullptr;
    std::size_t size = 0;
    for (std::size_t i = 0; rd_kafka_header_get_all(headers, i, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR;
         ++i) {
      Header h{name, std::nullopt};
      if (value != nullptr) h.value.emplace(static_cast<const char*>(value), size);
      out.headers.push_back(std::move(h));
    }
  }
  return out;
}

}  // namespace kok::kafka::detail
