#include "kok/test_support/abandoned_reader.hpp"

#include <chrono>
#include <algorithm>
#include <cstdlib>
#include <random>
#include <thread>

#include "kok/test_support/http_client.hpp"

namespace kok::test_support {
namespace {

using namespace std::chrono_literals;

std::string request_for(AbandonedRead kind, const std::string& topic) {
  switch (kind) {
    case AbandonedRead::long_poll:
      return "GET /consumer/" + topic + "?wait=5s HTTP/1.1\r\nHost: x\r\nAccept: application/json\r\n\r\n";
    case AbandonedRead::next_message:
      return "GET /" + topic + " HTTP/1.1\r\nHost: x\r\n\r\n";
    case AbandonedRead::stream:
      return "GET /consumer/" + topic + "/stream HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n";
  }
  return {};
}

}  // namespace

AbandonOutcome run_abandoned_reads(const std::string& host, std::uint16_t port, const std::string& topic,
                                   AbandonedRead kind, int tries,
                                   const std::function<void(const std::string&)>& produce) {
  AbandonOutcome outcome;
  std::mt19937_64 random{std::random_device{}()};
  HttpClient second(host, port, 15s);
  for (int i = 0; i < tries; ++i) {
    const std::string value = "abandoned-" + std::to_string(i) + "-" + std::to_string(random());
    {
      HttpClient first(host, port, 10s);
      first.connect();
      first.send_raw(request_for(kind, topic));
      std::this_thread::sleep_for(300ms);
      first.close();  // gives up
    }
    std::this_thread::sleep_for(100ms);
    produce(value);
    ++outcome.tries;
    const auto read = second.get("/consumer/" + topic + "?wait=5s&max=10", {{"Accept", "application/json"}});
    if (read.status != 200 || read.body.find("\"" + value + "\"") == std::string::npos) {
      ++outcome.lost;
      outcome.failures.push_back(value + ": second reader got " + std::to_string(read.status) + " " + read.body);
    }
  }
  return outcome;
}

int abandoned_tries() {
  const char* env = std::getenv("KOK_ABANDON_TRIES");
  if (env == nullptr || *env == '\0') return 10;
  return std::max(1, std::atoi(env));
}

}  // namespace kok::test_support
