#include "cluster_client.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <stdexcept>
#include <thread>

namespace kok::cluster_test {
namespace {

constexpr int kAdminTimeoutMs = 15000;

void set(rd_kafka_conf_t* conf, const std::string& key, const std::string& value) {
  char err[512];
  if (rd_kafka_conf_set(conf, key.c_str(), value.c_str(), err, sizeof err) != RD_KAFKA_CONF_OK) {
    throw std::runtime_error("config " + key + ": " + err);
  }
}

void on_log(const rd_kafka_t* rk, int /*level*/, const char* fac, const char* buf) {
  auto* sink = static_cast<LogSink*>(rd_kafka_opaque(rk));
  if (sink != nullptr && *sink) (*sink)(fac, buf);
}

void on_delivery(rd_kafka_t* /*rk*/, const rd_kafka_message_t* msg, void* /*opaque*/) {
  auto* out = static_cast<Delivery*>(msg->_private);
  if (out != nullptr) *out = Delivery{msg->err, msg->partition, msg->offset};
}

template <typename T, void (*Destroy)(T*)>
struct Destroyer {
  void operator()(T* p) const { Destroy(p); }
};
using Queue = std::unique_ptr<rd_kafka_queue_t, Destroyer<rd_kafka_queue_t, rd_kafka_queue_destroy>>;
using Event = std::unique_ptr<rd_kafka_event_t, Destroyer<rd_kafka_event_t, rd_kafka_event_destroy>>;

}  // namespace

rd_kafka_resp_err_t produce(rd_kafka_t* producer, const std::string& topic, const std::string& key,
                            const std::string& value, void* opaque, rd_kafka_headers_t* headers) {
  // rd_kafka_produceva instead of the rd_kafka_producev macros, which expand to C-style casts.
  std::vector<rd_kafka_vu_t> vus(4);
  vus[0].vtype = RD_KAFKA_VTYPE_TOPIC;
  vus[0].u.cstr = topic.c_str();
  vus[1].vtype = RD_KAFKA_VTYPE_KEY;
  vus[1].u.mem = {const_cast<char*>(key.data()), key.size()};
  vus[2].vtype = RD_KAFKA_VTYPE_VALUE;
  vus[2].u.mem = {const_cast<char*>(value.data()), value.size()};
  vus[3].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
  vus[3].u.i = RD_KAFKA_MSG_F_COPY;
  if (opaque != nullptr) {
    vus.push_back({});
    vus.back().vtype = RD_KAFKA_VTYPE_OPAQUE;
    vus.back().u.ptr = opaque;
  }
  if (headers != nullptr) {
    vus.push_back({});
    vus.back().vtype = RD_KAFKA_VTYPE_HEADERS;
    vus.back().u.headers = headers;
  }
  rd_kafka_error_t* error = rd_kafka_produceva(producer, vus.data(), vus.size());
  if (error == nullptr) return RD_KAFKA_RESP_ERR_NO_ERROR;
  const rd_kafka_resp_err_t code = rd_kafka_error_code(error);
  rd_kafka_error_destroy(error);
  return code;
}

void Handle::Deleter::operator()(rd_kafka_t* rk) const {
  auto* sink = static_cast<LogSink*>(rd_kafka_opaque(rk));
  if (rd_kafka_type(rk) == RD_KAFKA_PRODUCER) rd_kafka_flush(rk, 10000);
  rd_kafka_destroy(rk);
  delete sink;
}

int cluster_script(const std::string& args) {
  const std::string cmd = std::string(KOK_SOURCE_DIR) + "/deploy/local/kafka.sh " + args;
  const int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

Handle make_client(rd_kafka_type_t type, const Config& extra, LogSink sink) {
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  set(conf, "bootstrap.servers", bootstrap_servers());
  if (type == RD_KAFKA_PRODUCER) {
    set(conf, "enable.idempotence", "true");  // implies acks=all
    set(conf, "acks", "all");
    set(conf, "message.timeout.ms", "30000");  // bounds produce_sync's wait for the delivery report
    rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
  }
  for (const auto& [k, v] : extra) set(conf, k, v);
  auto owned_sink = sink ? std::make_unique<LogSink>(std::move(sink)) : nullptr;
  if (owned_sink) {
    rd_kafka_conf_set_opaque(conf, owned_sink.get());
    rd_kafka_conf_set_log_cb(conf, on_log);
  }
  char err[512];
  rd_kafka_t* rk = rd_kafka_new(type, conf, err, sizeof err);  // takes `conf` only on success
  if (rk == nullptr) {
    rd_kafka_conf_destroy(conf);
    throw std::runtime_error(std::string("rd_kafka_new: ") + err);
  }
  owned_sink.release();  // now owned by the handle (its deleter frees it)
  return Handle{std::unique_ptr<rd_kafka_t, Handle::Deleter>(rk)};
}

rd_kafka_resp_err_t create_topic(rd_kafka_t* rk, const std::string& topic, int partitions, int replication_factor) {
  char err[512];
  rd_kafka_NewTopic_t* nt = rd_kafka_NewTopic_new(topic.c_str(), partitions, replication_factor, err, sizeof err);
  if (nt == nullptr) throw std::runtime_error(err);
  Queue queue(rd_kafka_queue_new(rk));
  rd_kafka_CreateTopics(rk, &nt, 1, nullptr, queue.get());
  rd_kafka_NewTopic_destroy(nt);
  Event ev(rd_kafka_queue_poll(queue.get(), kAdminTimeoutMs));
  if (!ev) return RD_KAFKA_RESP_ERR__TIMED_OUT;
  if (rd_kafka_event_error(ev.get()) != RD_KAFKA_RESP_ERR_NO_ERROR) return rd_kafka_event_error(ev.get());
  size_t n = 0;
  const rd_kafka_topic_result_t** results =
      rd_kafka_CreateTopics_result_topics(rd_kafka_event_CreateTopics_result(ev.get()), &n);
  return n == 1 ? rd_kafka_topic_result_error(results[0]) : RD_KAFKA_RESP_ERR__FAIL;
}

TopicInfo describe(rd_kafka_t* rk, const std::string& topic) {
  rd_kafka_topic_t* rkt = rd_kafka_topic_new(rk, topic.c_str(), nullptr);
  const rd_kafka_metadata_t* md = nullptr;
  const rd_kafka_resp_err_t err = rd_kafka_metadata(rk, 0, rkt, &md, kAdminTimeoutMs);
  rd_kafka_topic_destroy(rkt);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return {err, {}};
  TopicInfo info{RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC, {}};
  for (int t = 0; t < md->topic_cnt; ++t) {
    const auto& mt = md->topics[t];
    if (topic != mt.topic) continue;
    info.err = mt.err;
    for (int p = 0; p < mt.partition_cnt; ++p) {
      const auto& mp = mt.partitions[p];
      info.partitions.push_back({mp.id, mp.leader, {mp.replicas, mp.replicas + mp.replica_cnt},
                                 {mp.isrs, mp.isrs + mp.isr_cnt}});
    }
  }
  rd_kafka_metadata_destroy(md);
  return info;
}

int broker_count(rd_kafka_t* rk) {
  const rd_kafka_metadata_t* md = nullptr;
  if (rd_kafka_metadata(rk, 0, nullptr, &md, kAdminTimeoutMs) != RD_KAFKA_RESP_ERR_NO_ERROR) return -1;
  const int n = md->broker_cnt;
  rd_kafka_metadata_destroy(md);
  return n;
}

Delivery produce_sync(rd_kafka_t* producer, const std::string& topic, const std::string& key, const std::string& value) {
  Delivery out{RD_KAFKA_RESP_ERR__IN_PROGRESS, -1, -1};
  const rd_kafka_resp_err_t err = produce(producer, topic, key, value, &out);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) return {err, -1, -1};
  // The delivery report writes into `out`, so wait for it; message.timeout.ms bounds the wait.
  while (out.err == RD_KAFKA_RESP_ERR__IN_PROGRESS) rd_kafka_poll(producer, 100);
  return out;
}

std::vector<Record> read_all(const std::string& topic, std::size_t count, std::chrono::milliseconds timeout) {
  Handle consumer = make_client(RD_KAFKA_CONSUMER, {{"group.id", unique_topic("reader")}, {"enable.auto.commit", "false"}});
  rd_kafka_topic_partition_list_t* parts = rd_kafka_topic_partition_list_new(1);
  rd_kafka_topic_partition_list_add(parts, topic.c_str(), 0)->offset = RD_KAFKA_OFFSET_BEGINNING;
  rd_kafka_assign(consumer.get(), parts);
  rd_kafka_topic_partition_list_destroy(parts);

  std::vector<Record> out;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (out.size() < count && std::chrono::steady_clock::now() < deadline) {
    rd_kafka_message_t* msg = rd_kafka_consumer_poll(consumer.get(), 200);
    if (msg == nullptr) continue;
    if (msg->err == RD_KAFKA_RESP_ERR_NO_ERROR) {
      Record r{msg->offset, {}, {}, {}};
      if (msg->key != nullptr) r.key.assign(static_cast<const char*>(msg->key), msg->key_len);
      if (msg->payload != nullptr) r.value.assign(static_cast<const char*>(msg->payload), msg->len);
      rd_kafka_headers_t* hdrs = nullptr;
      if (rd_kafka_message_headers(msg, &hdrs) == RD_KAFKA_RESP_ERR_NO_ERROR) {
        const char* name = nullptr;
        const void* val = nullptr;
        size_t size = 0;
        for (size_t i = 0; rd_kafka_header_get_all(hdrs, i, &name, &val, &size) == RD_KAFKA_RESP_ERR_NO_ERROR; ++i) {
          r.headers.emplace_back(name, std::string(static_cast<const char*>(val), size));
        }
      }
      out.push_back(std::move(r));
    }
    rd_kafka_message_destroy(msg);
  }
  rd_kafka_consumer_close(consumer.get());
  return out;
}

bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  return condition();
}

}  // namespace kok::cluster_test
