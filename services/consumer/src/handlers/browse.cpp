// GET /consumer/{t}/records — browse a topic without consuming it.
//
// A reader of its own per request, outside the service's group: it assigns the partitions at the asked position (no
// group membership) and never commits, so a browse takes nothing from the service's group (GET /{t}, batches,
// streams, named readers). Its blocking calls (metadata, watermarks, offsets for a time, close) run on the registry's
// blocking pool; reading polls without blocking and sleeps on a timer between polls, so an io thread never waits and
// a client that leaves ends the wait at once.
//
// JSON: up to ?max= records of each partition (CONSUMER_MAX_BATCH in all) from ?from=, ending at each partition's log
// end as it was when the request came (a snapshot: it never waits for new messages). Accept: text/event-stream: the
// same start, then follows the topic as messages arrive, as Server-Sent Events (event id "partition:offset", data the
// JSON record). A reconnect with Last-Event-ID (EventSource sends it by itself) continues that partition right after
// the id; the id names one partition, so the others start at ?from= again.

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "blocking.hpp"
#include "browse_start.hpp"
#include "consumer_registry.hpp"
#include "handlers/handlers.hpp"
#include "kok/http/error.hpp"
#include "kok/kafka/consumer.hpp"
#include "kok/kafka/error.hpp"
#include "kok/service/kafka_errors.hpp"
#include "kok/service/topic_param.hpp"
#include "handlers/request_params.hpp"
#include "record_format.hpp"
#include "start_positions.hpp"
#include "settings.hpp"

namespace kok::consumer {
namespace {

using namespace std::chrono_literals;

// A snapshot reads messages that are already in the log; past this it answers with what it has (a leader that stopped
// answering would otherwise hold the request for librdkafka's retries).
constexpr auto snapshot_deadline = 10s;
// Between polls that found nothing. A snapshot's first fetch is a few milliseconds away; a follower only needs to
// look as often as a person would notice.
constexpr auto snapshot_pause = 5ms;
constexpr auto follow_pause = 100ms;
// Events written at once while following: a backlog is sent in slices, each waiting for the client to take it.
constexpr std::size_t follow_batch = 256;

struct PartitionRange {
  std::int32_t partition = 0;
  std::int64_t start = 0;
  std::int64_t end = 0;  // the log end when the browse began (exclusive)
  std::int64_t next = 0;
  std::size_t count = 0;
};

struct Opened {
  std::shared_ptr<kafka::Consumer> reader;
  StartPositions found;  // its error is also that of opening the reader or assigning it
  std::vector<PartitionRange> ranges;
};

kafka::ConfigMap browse_config(const kafka::ConfigMap& group_config) {
  auto config = group_config;
  // librdkafka's assign() needs a group.id (without one: "Unknown group"), but only to have a place for commits: an
  // assigned consumer never joins its group, and one that never commits (auto-commit is off, this code commits
  // nothing) leaves no trace in it. A name of its own, so the service's group is never even named.
  const auto group = config.find("group.id");
  config.insert_or_assign("group.id", (group == config.end() ? std::string{"kok"} : group->second) + ".browse");
  // A browse reads a bounded slice, not a backlog at full speed: the group's prefetch (a second of reading) would hold
  // megabytes per open browse for nothing.
  config.insert_or_assign("queued.min.messages", "1000");
  config.insert_or_assign("queued.max.messages.kbytes", "1024");
  return config;
}

// Blocking: opens the reader and assigns each partition at its start. Function object: no coroutine lambdas.
struct OpenBrowse {
  kafka::ConfigMap config;
  std::string topic;
  std::optional<std::int32_t> partition;
  BrowseStart from;
  bool follow = false;
  std::optional<EventPosition> resume;  // Last-Event-ID: its partition continues right after it

  Opened operator()() const {
    Opened out;
    try {
      out.reader = std::make_shared<kafka::Consumer>(config);
    } catch (const std::exception& e) {
      return fail(std::move(out), kafka::make_kafka_error(-1), e.what());
    }
    out.found = find_start_positions(*out.reader, topic, partition, from);
    if (out.found.error || out.found.partitions_when_missing) return out;
    std::vector<kafka::TopicPartitionOffset> assignment;
    for (const auto& p : out.found.partitions) {
      PartitionRange r{p.partition, p.start, p.high, 0, 0};
      if (resume && resume->partition == r.partition) {
        r.start = std::clamp(resume->offset + 1, p.low, p.high);
      }
      r.next = r.start;
      if (follow || r.start < r.end) assignment.push_back({topic, r.partition, r.start});
      out.ranges.push_back(r);
    }
    if (const auto ec = out.reader->assign(assignment); ec) return fail(std::move(out), ec, ec.message());
    return out;
  }

  static Opened fail(Opened out, std::error_code ec, std::string reason) {
    out.found.error = ec;
    out.found.reason = std::move(reason);
    return out;
  }
};

// Closes the reader on the blocking pool (close waits for its broker threads), whichever way the request ends.
class CloseOnPool {
 public:
  CloseOnPool(boost::asio::any_io_executor pool, std::shared_ptr<kafka::Consumer> reader)
      : pool_(std::move(pool)), reader_(std::move(reader)) {}
  CloseOnPool(const CloseOnPool&) = delete;
  CloseOnPool& operator=(const CloseOnPool&) = delete;
  ~CloseOnPool() { release(); }
  void release() {
    if (reader_) boost::asio::post(pool_, [r = std::move(reader_)] { r->close(); });
    reader_.reset();
  }

 private:
  boost::asio::any_io_executor pool_;
  std::shared_ptr<kafka::Consumer> reader_;
};

struct BrowseParams {
  BrowseStart from;
  std::size_t max = 0;
  std::optional<std::int32_t> partition;
};

BrowseParams browse_params(const http::Request& req, const ConsumerSettings& settings) {
  BrowseParams p;
  p.from = start_param(req, "from").value_or(BrowseStart{});
  p.max = std::min(max_param(req).value_or(settings.default_batch), settings.max_batch);
  p.partition = partition_param(req);
  return p;
}

// Sleeps `delay` unless the request is interrupted first. false: interrupted (client gone or shutting down).
boost::asio::awaitable<bool> pause(http::Interruption& interruption, std::chrono::milliseconds delay) {
  if (interruption.interrupted()) co_return false;
  boost::asio::steady_timer timer{co_await boost::asio::this_coro::executor, delay};
  {
    const http::Interruption::Wait wait{interruption};
    boost::system::error_code ec;
    co_await timer.async_wait(
        boost::asio::bind_cancellation_slot(wait.slot(), boost::asio::redirect_error(boost::asio::use_awaitable, ec)));
  }
  co_return !interruption.interrupted();
}

PartitionRange* range_of(std::vector<PartitionRange>& ranges, std::int32_t partition) {
  for (auto& r : ranges) {
    if (r.partition == partition) return &r;
  }
  return nullptr;
}

// Takes what the reader has fetched, without waiting. `limit` per partition (snapshot) or none (follow).
void drain(kafka::Consumer& reader, std::vector<PartitionRange>& ranges, std::optional<std::size_t> limit,
           std::size_t most, std::vector<kafka::Message>& out) {
  while (out.size() < most) {
    auto m = reader.poll();
    if (!m) {
      // librdkafka reports transient broker errors here and retries by itself.
      spdlog::debug("browse: {}", m.reason);
      return;
    }
    if (!m.value) return;
    auto* r = range_of(ranges, m.value->partition);
    if (r == nullptr || m.value->offset < r->next) continue;
    r->next = m.value->offset + 1;
    if (limit && (r->count >= *limit || m.value->offset >= r->end)) continue;
    ++r->count;
    out.push_back(std::move(*m.value));
  }
}

bool snapshot_done(const kafka::Consumer& reader, const std::string& topic, const PartitionRange& r, std::size_t max) {
  // position(): past the end also when the last offsets are transaction markers or compacted away.
  return r.count >= max || r.next >= r.end || reader.position(topic, r.partition) >= r.end;
}

// Kept by the stream body; closes the reader also when the body never runs (the head could not be written).
struct FollowState {
  FollowState(ConsumerService& s, std::shared_ptr<kafka::Consumer> r, std::vector<PartitionRange> p)
      : service(s), reader(std::move(r)), ranges(std::move(p)), closer(s.registry.blocking_executor(), reader) {}
  ConsumerService& service;
  std::shared_ptr<kafka::Consumer> reader;
  std::vector<PartitionRange> ranges;
  CloseOnPool closer;
};

boost::asio::awaitable<void> follow(std::shared_ptr<FollowState> state, http::EventStream& stream) {
  auto last_write = std::chrono::steady_clock::now();
  while (!stream.stopping()) {
    std::vector<kafka::Message> batch;
    drain(*state->reader, state->ranges, std::nullopt, follow_batch, batch);
    const auto now = std::chrono::steady_clock::now();
    if (!batch.empty()) {
      std::vector<http::Event> events;
      events.reserve(batch.size());
      for (const auto& m : batch) events.push_back(http::Event{event_id(m), {}, record_json(m), {}});
      if (!co_await stream.send(events)) break;
      last_write = now;
      continue;
    }
    if (now - last_write >= state->service.settings.heartbeat) {
      if (!co_await stream.comment("keep-alive")) break;
      last_write = now;
    }
    if (!co_await pause(stream.interruption(), follow_pause)) break;
  }
  state->closer.release();  // now, not when the session lets go of the body
}

}  // namespace

boost::asio::awaitable<http::Response> browse_records(ConsumerService& service, http::Request& req) {
  const auto topic = service::topic_param(req);
  const auto params = browse_params(req, service.settings);
  const bool following = req.accepts("text/event-stream");
  const auto resume = following ? last_event_id(req) : std::nullopt;

  auto pool = service.registry.blocking_executor();
  OpenBrowse open{browse_config(service.registry.consumer_config()), topic, params.partition, params.from, following,
                  resume};
  auto opened = co_await async_run_blocking<Opened>(pool, std::move(open), boost::asio::use_awaitable);
  if (opened.found.error || opened.found.partitions_when_missing) {
    const CloseOnPool closer{pool, std::move(opened.reader)};
    throw_if_not_found(opened.found, topic, params.partition);
  }

  if (following) {
    auto state = std::make_shared<FollowState>(service, opened.reader, std::move(opened.ranges));
    co_return http::Response::event_stream([state](http::EventStream& stream) { return follow(state, stream); });
  }

  const CloseOnPool closer{pool, opened.reader};
  auto& reader = *opened.reader;
  auto& ranges = opened.ranges;
  // ?max= is per partition, and an answer holds at most CONSUMER_MAX_BATCH records in all, as a batch read does: a
  // topic of many partitions gives each an even share.
  const auto share = service.settings.max_batch / std::max<std::size_t>(1, ranges.size());
  const auto max = std::max<std::size_t>(1, std::min(params.max, share));
  std::vector<kafka::Message> records;
  const auto deadline = std::chrono::steady_clock::now() + snapshot_deadline;
  const auto all_done = [&] {
    return std::all_of(ranges.begin(), ranges.end(),
                       [&](const PartitionRange& r) { return snapshot_done(reader, topic, r, max); });
  };
  while (!all_done() && std::chrono::steady_clock::now() < deadline) {
    drain(reader, ranges, max, SIZE_MAX, records);
    if (all_done()) break;
    if (!co_await pause(req.interruption(), snapshot_pause)) break;
  }
  // Each partition's records arrive in order; partitions interleave. Sorted: partition by partition.
  std::stable_sort(records.begin(), records.end(),
                   [](const kafka::Message& a, const kafka::Message& b) { return a.partition < b.partition; });
  std::string body;
  body.reserve(records.size() * 256 + 2);
  body.push_back('[');
  for (const auto& m : records) {
    if (body.size() > 1) body.push_back(',');
    append_json(body, m);
  }
  body.push_back(']');
  auto response = http::Response::text(http::status::ok, std::move(body));
  response.header("Content-Type", "application/json");
  co_return response;
}

}  // namespace kok::consumer
