#pragma once
// What a failed topic creation means for the caller. Kafka answers INVALID_REPLICATION_FACTOR both for a replication
// factor the cluster can never give (a bad request) and for one it cannot give right now: a broker in controlled
// shutdown (a pod being deleted, a rolling restart) does not count for replica placement while it leaves. Kafka's
// answer alone cannot tell the two apart; how many brokers this client has seen in the cluster can. And a creation
// whose answer timed out may still be carried out by the controller: the reason says so.

#include <string>
#include <string_view>
#include <system_error>

namespace kok::kafka {

struct CreationFailure {
  std::error_code error;
  std::string reason;
};

// `error`/`reason`: Kafka's (or librdkafka's) answer to CreateTopics. `replication_factor`: what was asked.
// `brokers_seen`: the most brokers this client has seen in the cluster's metadata. Returns the error to report: an
// unavailable one (retry later) for a replication factor the cluster has had brokers for, a timeout whose reason says
// the creation may still complete, anything else unchanged.
[[nodiscard]] CreationFailure explain_creation_failure(std::error_code error, std::string_view reason,
                                                       int replication_factor, int brokers_seen);

}  // namespace kok::kafka
