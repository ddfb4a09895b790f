#pragma once
// What a topic creation may answer while brokers come and go: created (200 or 201), 503 with Retry-After (too few
// brokers right now, Kafka unreachable), or 504 saying the creation may still complete. Never 400: a request that
// would succeed a moment later is not a bad request. Shared by the tests that create topics under faults.

#include <map>
#include <string>

#include "kok/test_support/http_client.hpp"

namespace kok::cluster_test {

enum class CreationAnswer { created, unavailable, timed_out, wrong };

inline CreationAnswer judge_creation(const test_support::HttpResponse& r) {
  if (r.status == 200 || r.status == 201) return CreationAnswer::created;
  if (r.status == 503 && !r.header("Retry-After").empty()) return CreationAnswer::unavailable;
  if (r.status == 504 && r.body.find("the creation may still complete") != std::string::npos) {
    return CreationAnswer::timed_out;
  }
  return CreationAnswer::wrong;
}

// The answers of one test, counted; the wrong ones kept whole for the failure message.
struct CreationTally {
  std::map<CreationAnswer, long> counts;
  std::string wrong;

  CreationAnswer add(const std::string& path, const test_support::HttpResponse& r) {
    const auto answer = judge_creation(r);
    ++counts[answer];
    if (answer == CreationAnswer::wrong) wrong += path + " -> " + std::to_string(r.status) + " " + r.body;
    return answer;
  }
  long count(CreationAnswer a) const {
    const auto it = counts.find(a);
    return it == counts.end() ? 0 : it->second;
  }
};

}  // namespace kok::cluster_test
