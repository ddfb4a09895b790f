#include "handlers/idempotent.hpp"

#include <boost/beast/http/field.hpp>

#include "idempotency/key_store.hpp"
#include "idempotency/request_key.hpp"

namespace kok::producer {

namespace asio = boost::asio;
using idempotency::Verdict;

namespace {

std::chrono::seconds at_least_a_second(std::chrono::milliseconds wait) {
  return std::max(std::chrono::seconds{1}, std::chrono::ceil<std::chrono::seconds>(wait));
}

http::Response replay(const idempotency::StoredResponse& stored) {
  http::Response response = http::Response::text(static_cast<http::status>(stored.status), stored.body);
  response.header("Content-Type", stored.content_type);
  response.header("Idempotency-Replayed", "true");
  return response;
}

idempotency::StoredResponse stored(const http::Response& response) {
  const auto& m = response.message();
  return {m.result_int(), std::string(m[boost::beast::http::field::content_type]), m.body()};
}

}  // namespace

asio::awaitable<http::Response> idempotent(const ProducerService& service, http::Request& request,
                                           const std::string& topic, KeyedWrite what, KeyedWork work) {
  auto key = idempotency::request_key(request);
  if (!key) co_return co_await work(nullptr);

  const auto claimed = co_await service.keys.claim(*key, idempotency::fingerprint(request), topic);
  const auto& verdict = claimed.verdict;
  switch (verdict.kind) {
    case Verdict::Kind::replay:
      co_return replay(verdict.response);
    case Verdict::Kind::mismatch:
      throw http::Error(http::ErrorStatus::unprocessable_content,
                        "this Idempotency-Key was used for a different request (method, path, query, Content-Type, "
                        "X-Kafka-Key or body differ)");
    case Verdict::Kind::in_flight:
      throw http::Error(http::ErrorStatus::conflict,
                        "a request with this Idempotency-Key is still in progress; retry later with the same key",
                        at_least_a_second(verdict.retry_after));
    case Verdict::Kind::lost:
      throw http::unavailable("idempotency key store: the claim was not found; retry with the same key");
    case Verdict::Kind::proceed:
      break;
  }

  KeyedAttempt attempt;
  attempt.key = *key;
  // Whether nothing of this key can be in Kafka once the write failed: true unless some record was written, or an
  // earlier attempt's creation may have happened (a topic has no records to look for).
  const auto nothing_written = [&attempt, what] {
    return !attempt.written && !(attempt.recovering && what == KeyedWrite::topic);
  };
  try {
    if (verdict.recover_since_ms) {
      attempt.recovering = true;
      if (what == KeyedWrite::records) {
        attempt.recovered = co_await service.keys.recover(*key, topic, *verdict.recover_since_ms);
        attempt.written = !attempt.recovered.empty();
        request.log(spdlog::level::info, "idempotency key recovered: {} record(s) of an earlier attempt found in {}",
                    attempt.recovered.size(), topic);
      }
    }
    auto response = co_await work(&attempt);
    const auto status = response.message().result_int();
    if (status >= 200 && status < 300) {
      service.keys.complete(*key, claimed.claim_id, stored(response));
    } else {
      service.keys.release(*key, claimed.claim_id, nothing_written());
    }
    co_return response;
  } catch (const http::Error& error) {
    // A creation that timed out may complete later, like a timed-out delivery.
    const bool uncertain = attempt.uncertain || (what == KeyedWrite::topic &&
                                                 error.status() == http::ErrorStatus::gateway_timeout);
    if (!uncertain) {
      service.keys.release(*key, claimed.claim_id, nothing_written());
      throw;
    }
    throw http::Error(error.status(),
                      error.reason() + "; it may still complete: retry with the same Idempotency-Key, which will "
                                       "not write it twice",
                      error.retry_after());
  }
}

}  // namespace kok::producer
