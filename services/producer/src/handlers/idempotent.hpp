#pragma once
// Idempotency-Key on the producer's routes: a request repeated with the same key and the same content is carried out
// once and answered as the first time (draft-ietf-httpapi-idempotency-key-header-07). Without the header, `work` just
// runs.
//
//   key completed, same request      the stored answer, with Idempotency-Replayed: true
//   key completed, other request     422
//   key held by a request in flight  409 + Retry-After (422 if it is another request)
//   key free                         `work` runs; a success is stored, a failure frees the key again — unless the
//                                    failure may have written all the same (a timed-out delivery): the key stays held
//                                    until its lease ends, and the next request with it finds what was written
//                                    (KeyedAttempt::recovered) instead of writing it again.

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <map>
#include <string>

#include "kok/http/request.hpp"
#include "kok/http/response.hpp"
#include "kok/kafka/message.hpp"
#include "producer_service.hpp"

namespace kok::producer {

// One attempt at a keyed request, shared with the code that writes.
struct KeyedAttempt {
  std::string key;
  // An earlier attempt with this key may have written: its records (by index) were looked for, and these were found.
  bool recovering = false;
  std::map<std::size_t, kafka::DeliveryReport> recovered;
  // Set by the writer: some record of this key is in Kafka (acknowledged or recovered)...
  bool written = false;
  // ...or may be, though its write failed (sent, then timed out).
  bool uncertain = false;
};

// What the key's records are: messages in `topic` (looked for when recovering), or a topic's creation (nothing to look for).
enum class KeyedWrite { records, topic };

using KeyedWork = std::function<boost::asio::awaitable<http::Response>(KeyedAttempt*)>;

boost::asio::awaitable<http::Response> idempotent(const ProducerService& service, http::Request& request,
                                                  const std::string& topic, KeyedWrite what, KeyedWork work);

}  // namespace kok::producer
