#pragma once
// The consumer's fixed time and size budgets, in one place with the reason for each. They are not settings: each
// follows from how Kafka or a client behaves, not from a deployment's needs. (The ones a deployment may want to
// change are settings: settings.cpp and the README's table, e.g. CONSUMER_NEXT_WAIT, CONSUMER_CATCH_UP_GRACE.)

#include <chrono>
#include <cstddef>

namespace kok::consumer::budgets {

using namespace std::chrono_literals;

// A read past its ?wait= that waits on for the consumer to catch up (CONSUMER_CATCH_UP_GRACE) looks again this
// often: a first fetch is tens of milliseconds away, so a slice of this size adds little to the answer.
inline constexpr std::chrono::milliseconds catch_up_slice = 50ms;

// Opening a topic's consumer: a fresh cluster creates __consumer_offsets on the first group request and answers
// "not coordinator" or "coordinator loading" meanwhile (seconds, measured up to ~10 s on a cold local cluster); these
// retriable errors are retried this long instead of failing the first reads.
inline constexpr std::chrono::milliseconds topic_open_retry = 15s;

// The registry's sweep (idle consumers, late acknowledgements, freed memory) runs at a quarter of the shorter of
// CONSUMER_IDLE_TIMEOUT and CONSUMER_ACK_TIMEOUT, within these bounds: not busier than 4 times a second, and at
// least once a second, since what a finished read freed must go back before the next topic's prefetch fills.
inline constexpr std::chrono::milliseconds sweep_period_min = 250ms;
inline constexpr std::chrono::milliseconds sweep_period_max = 1s;

// Event streams: messages taken per write (one write, one commit); a batch larger than this waits for the client's
// socket longer while the messages stay uncommitted.
inline constexpr std::size_t stream_batch = 32;
// A Last-Event-ID replay reads with a consumer of its own: per blocking-pool turn at most this many messages, or
// for this long (a partition leader that stopped answering must not hold a pool thread), polling in these steps.
inline constexpr std::size_t stream_replay_batch = 200;
inline constexpr std::chrono::milliseconds stream_replay_turn = 5s;
inline constexpr std::chrono::milliseconds stream_replay_poll = 100ms;

// Metadata, watermarks and offsets for a time (browse, offsets, position): one request each to a partition's leader.
inline constexpr std::chrono::milliseconds kafka_request = 5s;

}  // namespace kok::consumer::budgets
