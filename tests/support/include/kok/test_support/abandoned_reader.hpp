#pragma once
// The "reader that gave up" scenario, shared by the tests that talk to the consumer directly and through a gateway:
// a reader starts a read and leaves after 300 ms (a closed tab, `curl -m`, a proxy timeout); 100 ms later a message is
// produced; a second reader must get it. A message handed to the reader that left would be lost for everyone.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace kok::test_support {

enum class AbandonedRead {
  long_poll,     // GET /consumer/{t}?wait=5s, Accept: application/json
  next_message,  // GET /{t} (the seed's read, its 1 s wait)
  stream,        // GET /consumer/{t}/stream (Server-Sent Events)
};

struct AbandonOutcome {
  int tries = 0;
  int lost = 0;
  std::vector<std::string> failures;  // what went wrong, per lost message
};

// Runs `tries` rounds against the consumer (or a gateway in front of it) at host:port, on `topic`, which must exist
// and be drained. `produce(value)` must write one message and return once it is acknowledged.
AbandonOutcome run_abandoned_reads(const std::string& host, std::uint16_t port, const std::string& topic,
                                   AbandonedRead kind, int tries, const std::function<void(const std::string&)>& produce);

// Rounds per scenario: KOK_ABANDON_TRIES when set (e.g. 100 for a long run), else 10.
int abandoned_tries();

}  // namespace kok::test_support
