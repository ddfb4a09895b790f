// Idempotency-Key on the producer's write routes: the real kok-producer binaries (two of them share the keys, as the
// Deployment's replicas do), real HTTP, the real cluster; what is in Kafka is counted straight from the brokers.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "idempotency/key_store.hpp"
#include "idempotency/request_key.hpp"
#include "idempotency/store_record.hpp"
#include "kok/kafka/consumer.hpp"
#include "kok/kafka/producer.hpp"
#include "producer_fixture.hpp"

namespace kok::producer::e2e {
namespace {

using namespace std::chrono_literals;
using test_support::Headers;

// Records in partition 0 of `topic`, from the brokers.
std::int64_t records_in(const std::string& topic) {
  kafka::Consumer consumer(kafka::consumer_config(test_support::kafka_bootstrap_servers(), "idempotency-count"));
  const auto marks = consumer.query_watermarks(topic, 0, 10s);
  EXPECT_TRUE(marks.ok()) << marks.reason;
  return marks.value.high - marks.value.low;
}

Headers keyed(const std::string& key) { return {{"Idempotency-Key", "\"" + key + "\""}, {"Content-Type", "text/plain"}}; }

test_support::ServiceProcess start_producer(std::vector<std::pair<std::string, std::string>> env = {}) {
  test_support::ServiceOptions options;
  options.binary = KOK_PRODUCER_BINARY;
  options.env = {{"KAFKA_BOOTSTRAP_SERVERS", test_support::kafka_bootstrap_servers()}, {"LOG_LEVEL", "info"}};
  for (auto& e : env) options.env.push_back(std::move(e));
  return test_support::ServiceProcess(options);
}

TEST(Idempotency, ARepeatedMessageIsWrittenOnceAndAnsweredAsTheFirstTime) {
  const auto topic = test_support::unique_topic("idem-repeat");
  create_topic(topic);
  auto c = client();
  const auto key = test_support::unique_topic("key");
  const auto first = c.post("/message/" + topic, "once", keyed(key));
  ASSERT_EQ(first.status, 200U) << first.body;
  EXPECT_EQ(first.body, "Message sent to " + topic + ": partition 0 offset 0");
  EXPECT_FALSE(first.has_header("Idempotency-Replayed"));
  for (int i = 0; i < 2; ++i) {
    const auto again = c.post("/message/" + topic, "once", keyed(key));
    EXPECT_EQ(again.status, 200U);
    EXPECT_EQ(again.body, first.body);
    EXPECT_EQ(again.header("Content-Type"), first.header("Content-Type"));
    EXPECT_EQ(again.header("Idempotency-Replayed"), "true");
  }
  // The other seed route and the JSON route are other requests (another path): the key cannot be reused there.
  EXPECT_EQ(c.post("/producer/" + topic, "once", keyed(key)).status, 422U);
  EXPECT_EQ(records_in(topic), 1);
  const auto messages = read_back(topic, 1);
  ASSERT_EQ(messages.size(), 1U);
  EXPECT_EQ(messages[0].value, "once");
  EXPECT_EQ(messages[0].headers, (kafka::Headers{{"Idempotency-Key", key}}));
  // Without a key nothing changes: each POST is a message.
  EXPECT_EQ(c.post("/message/" + topic, "once").status, 200U);
  EXPECT_EQ(c.post("/message/" + topic, "once").status, 200U);
  EXPECT_EQ(records_in(topic), 3);
}

TEST(Idempotency, TheSameKeyForAnotherRequestIs422AndWritesNothing) {
  const auto topic = test_support::unique_topic("idem-mismatch");
  create_topic(topic);
  auto c = client();
  const auto key = test_support::unique_topic("key");
  ASSERT_EQ(c.post("/message/" + topic, "first", keyed(key)).status, 200U);
  const auto other = c.post("/message/" + topic, "second", keyed(key));
  EXPECT_EQ(other.status, 422U);
  EXPECT_EQ(other.body,
            "this Idempotency-Key was used for a different request (method, path, query, Content-Type, X-Kafka-Key or "
            "body differ)\n");
  auto headers = keyed(key);
  headers.emplace_back("X-Kafka-Key", "another");
  EXPECT_EQ(c.post("/message/" + topic, "first", headers).status, 422U);
  EXPECT_EQ(records_in(topic), 1);
}

TEST(Idempotency, AMalformedKeyIs400AndWritesNothing) {
  const auto topic = test_support::unique_topic("idem-bad");
  create_topic(topic);
  auto c = client();
  const auto res = c.post("/message/" + topic, "x", {{"Idempotency-Key", "\"unterminated"}});
  EXPECT_EQ(res.status, 400U);
  EXPECT_EQ(res.body,
            "Idempotency-Key must be a quoted string (\"...\") or a bare value of 1-255 visible ASCII characters (no "
            "quotes, backslashes, commas or semicolons)\n");
  EXPECT_EQ(records_in(topic), 0);
}

TEST(Idempotency, ABatchIsReplayedWithItsOffsetsAndEachRecordCarriesItsIndex) {
  const auto topic = test_support::unique_topic("idem-batch");
  create_topic(topic);
  auto c = client();
  const auto key = test_support::unique_topic("key");
  Headers headers{{"Idempotency-Key", key}, {"Content-Type", "application/json"}};  // the bare form
  const std::string body = R"({"records":[{"key":"a","value":"1"},{"key":"b","value":"2"}]})";
  const auto first = c.post("/topics/" + topic + "/messages", body, headers);
  ASSERT_EQ(first.status, 200U) << first.body;
  EXPECT_EQ(first.body, R"({"offsets":[{"offset":0,"partition":0},{"offset":1,"partition":0}]})");
  const auto again = c.post("/topics/" + topic + "/messages", body, headers);
  EXPECT_EQ(again.status, 200U);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(records_in(topic), 2);
  const auto messages = read_back(topic, 2);
  ASSERT_EQ(messages.size(), 2U);
  EXPECT_EQ(messages[1].headers, (kafka::Headers{{"Idempotency-Key", key}, {"Idempotency-Record", "1"}}));
}

TEST(Idempotency, ATopicCreationRepeatedWithItsKeyIs201Again) {
  const auto topic = test_support::unique_topic("idem-create");
  auto c = client();
  const auto key = test_support::unique_topic("key");
  const Headers headers{{"Idempotency-Key", key}};
  const auto first = c.post("/topics/" + topic, "", headers);
  ASSERT_EQ(first.status, 201U) << first.body;
  const auto again = c.post("/topics/" + topic, "", headers);
  EXPECT_EQ(again.status, 201U);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(c.post("/topics/" + topic, "").status, 409U);  // without the key it is another creation
}

// Two processes, one store: a retry that lands on the other replica is answered from the first one's write, and the
// same key sent to both at once is written once.
TEST(Idempotency, TwoReplicasShareTheKeys) {
  auto other = start_producer();
  const auto topic = test_support::unique_topic("idem-replicas");
  create_topic(topic);
  auto a = client();
  auto b = other.client(40s);
  const auto key = test_support::unique_topic("key");
  const auto first = a.post("/message/" + topic, "moved", keyed(key));
  ASSERT_EQ(first.status, 200U) << first.body;
  const auto on_b = b.post("/message/" + topic, "moved", keyed(key));
  EXPECT_EQ(on_b.status, 200U);
  EXPECT_EQ(on_b.body, first.body);
  EXPECT_EQ(on_b.header("Idempotency-Replayed"), "true");

  constexpr int rounds = 20;
  int conflicts = 0;
  for (int round = 0; round < rounds; ++round) {
    const auto k = key + "-" + std::to_string(round);
    const auto value = "race-" + std::to_string(round);
    test_support::HttpResponse from_a;
    test_support::HttpResponse from_b;
    std::thread racer([&] { from_a = service().client(40s).post("/message/" + topic, value, keyed(k)); });
    from_b = other.client(40s).post("/message/" + topic, value, keyed(k));
    racer.join();
    for (const auto* r : {&from_a, &from_b}) {
      EXPECT_TRUE(r->status == 200U || r->status == 409U) << r->status << " " << r->body;
      if (r->status == 409U) {
        ++conflicts;
        EXPECT_FALSE(r->header("Retry-After").empty());
      }
    }
    EXPECT_TRUE(from_a.status == 200U || from_b.status == 200U);
    if (from_a.status == 200U && from_b.status == 200U) {
      EXPECT_EQ(from_a.body, from_b.body);
    }
  }
  std::cout << "[ idempotency ] " << rounds << " races between two replicas: " << conflicts << " answered 409\n";
  EXPECT_EQ(records_in(topic), 1 + rounds);
  EXPECT_EQ(other.stop(), 0);
}

// A replica that claimed a key and then went silent (its write landed, its completion never came): once the claim's
// lease is over, the next request with the key finds that record and answers with it instead of writing again.
TEST(Idempotency, AClaimThatRanOutIsRecoveredNotWrittenAgain) {
  const auto store = test_support::unique_topic("idem-store");
  auto replica = start_producer({{"IDEMPOTENCY_TOPIC", store}});
  const auto topic = test_support::unique_topic("idem-recover");
  create_topic(topic);
  const std::string written_key = test_support::unique_topic("landed");
  const std::string lost_key = test_support::unique_topic("lost");
  const auto fingerprint_of = [&topic](const std::string& key, const std::string& body) {
    http::BeastRequest m{http::verb::post, "/message/" + topic, 11};
    m.set("Idempotency-Key", "\"" + key + "\"");
    m.set("Content-Type", "text/plain");
    m.body() = body;
    return idempotency::fingerprint(http::Request(std::move(m), {}, "test"));
  };

  // The replica's store is created and read before the clock starts: its first keyed answer says so.
  auto c = replica.client(40s);
  const auto warm = test_support::unique_topic("idem-warm");
  create_topic(warm);
  unsigned warmed = 0;
  for (int i = 0; i < 60 && warmed != 200U; ++i) {
    warmed = c.post("/message/" + warm, "w", keyed(test_support::unique_topic("warm"))).status;
    if (warmed != 200U) std::this_thread::sleep_for(500ms);
  }
  ASSERT_EQ(warmed, 200U);

  // The silent replica: a claim for each key (4 s lease), and for one of them the record it wrote.
  kafka::Producer raw{kafka::producer_config(test_support::kafka_bootstrap_servers())};
  for (const auto& key : {written_key, lost_key}) {
    const idempotency::Claim claim{"silent-1-" + key, fingerprint_of(key, "v"), topic, 4000};
    ASSERT_TRUE(raw.produce_sync(store, key, idempotency::encode(claim), {}, 0).ok());
  }
  ASSERT_TRUE(raw.produce_sync(topic, std::string{"k"}, "v", {{"Idempotency-Key", written_key}}).ok());
  ASSERT_EQ(records_in(topic), 1);

  // Within the lease: in flight.
  const auto early = c.post("/message/" + topic, "v", keyed(written_key));
  EXPECT_EQ(early.status, 409U) << early.body;
  EXPECT_EQ(early.body, "a request with this Idempotency-Key is still in progress; retry later with the same key\n");
  std::this_thread::sleep_for(4500ms);
  test_support::HttpResponse recovered;
  try {
    recovered = c.post("/message/" + topic, "v", keyed(written_key));
  } catch (const std::exception& e) {
    FAIL() << e.what() << "\n" << replica.log();
  }
  EXPECT_EQ(recovered.status, 200U) << recovered.body;
  EXPECT_EQ(recovered.body, "Message sent to " + topic + ": partition 0 offset 0");  // the silent replica's record
  const auto rewritten = c.post("/message/" + topic, "v", keyed(lost_key));
  EXPECT_EQ(rewritten.status, 200U) << rewritten.body;
  EXPECT_EQ(rewritten.body, "Message sent to " + topic + ": partition 0 offset 1");  // nothing found: written now
  EXPECT_EQ(c.post("/message/" + topic, "v", keyed(written_key)).body, recovered.body);
  EXPECT_EQ(records_in(topic), 2);
  EXPECT_EQ(replica.stop(), 0);
}

}  // namespace
}  // namespace kok::producer::e2e
