// GET /consumer/{t}/stream — Server-Sent Events, one event per message, committed as each event is written.
//
// Resuming: an event id is "partition:offset". Events that were written to the socket but never reached the client
// (the connection broke) are already committed, so a reconnect with Last-Event-ID first replays that partition from
// right after the id up to where this service's hand-out stands, with a separate reader that never commits; after
// that the stream continues from the shared queue and skips anything of that partition the client already has.
// Other partitions of a multi-partition topic continue from their committed positions (the id names one partition).

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <map>

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "blocking.hpp"
#include "fixed_budgets.hpp"
#include "consumer_registry.hpp"
#include "handlers/delivery.hpp"
#include "handlers/request_params.hpp"
#include "kok/service/topic_param.hpp"
#include "handlers/handlers.hpp"
#include "kok/http/error.hpp"
#include "kok/http/event_stream.hpp"
#include "kok/kafka/consumer.hpp"
#include "record_format.hpp"
#include "settings.hpp"

namespace kok::consumer {
namespace {

using namespace std::chrono_literals;
using ReplayBatch = kafka::Result<std::vector<kafka::Message>>;

using budgets::stream_batch;

// Blocking pieces of the replay, run on the registry's blocking pool (function objects: no coroutine lambdas).
struct OpenReplay {
  std::shared_ptr<kafka::Consumer> reader;
  kafka::TopicPartitionOffset start;
  std::error_code operator()() const { return reader->assign({start}); }
};

struct ReadReplay {
  std::shared_ptr<kafka::Consumer> reader;
  std::int64_t end;  // exclusive
  ReplayBatch operator()() const {
    std::vector<kafka::Message> out;
    const auto deadline = std::chrono::steady_clock::now() + budgets::stream_replay_turn;
    while (out.size() < budgets::stream_replay_batch && std::chrono::steady_clock::now() < deadline) {
      auto m = reader->poll(budgets::stream_replay_poll);
      if (!m) return ReplayBatch::failure(m.error, m.reason);
      if (!m.value) {
        if (!out.empty()) break;
        continue;
      }
      if (m.value->offset >= end) break;
      const bool last = m.value->offset + 1 >= end;
      out.push_back(std::move(*m.value));
      if (last) break;
    }
    return ReplayBatch::success(std::move(out));
  }
};

struct CloseReplay {
  std::shared_ptr<kafka::Consumer> reader;
  bool operator()() const {
    reader->close();
    return true;
  }
};

http::Event to_event(const kafka::Message& m) { return http::Event{event_id(m), {}, record_json(m), {}}; }

// Sends partition `from.partition` from from.offset + 1 up to `end` (exclusive: where this service's hand-out stood
// when the client reconnected). false: client gone.
boost::asio::awaitable<bool> replay(ConsumerRegistry& registry, TopicConsumer& consumer, http::EventStream& stream,
                                    EventPosition from, std::int64_t end) {
  if (end <= from.offset + 1) co_return true;  // nothing the client could have missed

  auto pool = registry.blocking_executor();
  auto reader = std::make_shared<kafka::Consumer>(registry.consumer_config());
  OpenReplay open{reader, kafka::TopicPartitionOffset{consumer.topic(), from.partition, from.offset + 1}};
  const auto open_error = co_await async_run_blocking<std::error_code>(pool, open, boost::asio::use_awaitable);
  bool client_there = !open_error;
  std::int64_t next = from.offset + 1;
  while (client_there && next < end && !stream.stopping()) {
    ReadReplay read{reader, end};
    auto batch = co_await async_run_blocking<ReplayBatch>(pool, read, boost::asio::use_awaitable);
    if (!batch || batch.value.empty()) {
      spdlog::warn("topic '{}': replay of partition {} stopped at {}: {}", consumer.topic(), from.partition, next,
                   batch ? "no more messages" : batch.reason);
      break;
    }
    for (const auto& m : batch.value) {
      if (!co_await stream.send(to_event(m))) {
        client_there = false;
        break;
      }
      next = m.offset + 1;
    }
  }
  CloseReplay close{reader};
  (void)co_await async_run_blocking<bool>(pool, close, boost::asio::use_awaitable);
  co_return client_there;
}

// Sends `messages` as events in one write and commits them once it is done. false: client gone (then none is
// committed; what the client did receive it can resume after with Last-Event-ID).
boost::asio::awaitable<bool> send_all(TopicConsumer& consumer, http::EventStream& stream,
                                      std::vector<kafka::Message> messages, const std::optional<EventPosition>& floor) {
  std::vector<kafka::Message> already_had;
  std::vector<kafka::Message> to_send;
  std::vector<http::Event> events;
  for (auto& m : messages) {
    if (floor && m.partition == floor->partition && m.offset <= floor->offset) {
      already_had.push_back(std::move(m));  // the client said it already has this one
    } else {
      events.push_back(to_event(m));
      to_send.push_back(std::move(m));
    }
  }
  consumer.written(already_had);
  const bool sent = co_await stream.send(events);
  if (sent) {
    consumer.written(to_send);
  } else {
    consumer.not_written(to_send);
  }
  co_return sent;
}

// What the stream body needs once the handler has returned: kept by value (the request is gone by then).
struct StreamState {
  ConsumerService& service;
  Lease lease;
  std::optional<EventPosition> resume;
};

boost::asio::awaitable<void> run_stream(std::shared_ptr<StreamState> state, http::EventStream& stream) {
  auto& consumer = *state->lease;
  bool open = true;
  std::optional<EventPosition> floor;
  if (const auto& resume = state->resume) {
    // Everything of that partition below where the hand-out stands was replayed (or was already the client's).
    const auto positions = consumer.next_untaken();
    const auto it = positions.find(resume->partition);
    const std::int64_t handed_out = it == positions.end() ? -1 : it->second;
    floor = EventPosition{resume->partition, std::max(resume->offset, handed_out - 1)};
    open = co_await replay(state->service.registry, consumer, stream, *resume, handed_out);
  }

  auto last_write = std::chrono::steady_clock::now();
  while (open && !stream.stopping()) {
    // The wait ends early when the client leaves: then nothing is taken for it.
    kafka::Result<std::vector<kafka::Message>> batch;
    {
      const http::Interruption::Wait wait{stream.interruption()};
      batch = co_await consumer.async_take(stream_batch, state->service.settings.heartbeat,
                                           boost::asio::bind_cancellation_slot(wait.slot(), boost::asio::use_awaitable));
    }
    if (!batch) {
      (void)co_await stream.comment("error: " + batch.reason);
      break;
    }
    const auto now = std::chrono::steady_clock::now();
    if (batch.value.empty()) {
      if (now - last_write >= state->service.settings.heartbeat) {
        open = co_await stream.comment("keep-alive");
        last_write = now;
      }
      continue;
    }
    open = co_await send_all(consumer, stream, std::move(batch.value), floor);
    last_write = now;
  }
}

}  // namespace

boost::asio::awaitable<http::Response> stream_messages(ConsumerService& service, http::Request& req) {
  const auto topic = service::topic_param(req);
  const auto resume = last_event_id(req);
  // 404 here, before the stream starts, is an ordinary answer. Named before it goes into the state: GCC 12 destroys a
  // brace-initialised temporary holding a co_await result twice (here: the lease, and with it the topic consumer).
  Lease lease = co_await service.registry.acquire(topic);
  auto state = std::make_shared<StreamState>(StreamState{service, std::move(lease), resume});
  co_return http::Response::event_stream([state](http::EventStream& stream) { return run_stream(state, stream); });
}

}  // namespace kok::consumer
