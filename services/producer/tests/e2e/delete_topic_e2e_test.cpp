// DELETE /topics/{t}, and what the consumer does with a topic it was reading when the producer deleted it.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "producer_fixture.hpp"

namespace kok::producer::e2e {
namespace {

using namespace std::chrono_literals;

HttpResponse delete_topic(HttpClient& c, const std::string& topic, const test_support::Headers& headers = {}) {
  return c.request("DELETE", "/topics/" + topic, {}, headers);
}

TEST(DeleteTopic, DeletedThen404ThenGoneFromKafka) {
  const auto topic = test_support::unique_topic("delete");
  create_topic(topic);
  auto c = client();
  const auto deleted = delete_topic(c, topic);
  EXPECT_EQ(deleted.status, 204U) << deleted.body;
  EXPECT_EQ(deleted.body, "");
  // DELETE is idempotent in effect: the second finds nothing.
  const auto again = delete_topic(c, topic);
  EXPECT_EQ(again.status, 404U);
  EXPECT_EQ(again.body, "topic does not exist\n");
  kafka::Admin admin(kafka::admin_config(test_support::kafka_bootstrap_servers()));
  const auto exists = admin.topic_exists(topic);
  ASSERT_TRUE(exists) << exists.reason;
  EXPECT_FALSE(exists.value);
}

TEST(DeleteTopic, BadNamesAndInternalTopicsAreRefused) {
  auto c = client();
  const auto bad = delete_topic(c, "bad%20name");
  EXPECT_EQ(bad.status, 400U) << bad.body;
  const auto missing = delete_topic(c, test_support::unique_topic("delete-missing"), {{"Accept", "application/json"}});
  EXPECT_EQ(missing.status, 404U);
  EXPECT_EQ(missing.body, R"({"error":"topic does not exist","status":404})");
  // The producer's own key store and Kafka's offsets: never deleted, whether they exist or not.
  for (const auto* internal : {"__kok_idempotency_keys", "__consumer_offsets"}) {
    const auto refused = delete_topic(c, internal);
    EXPECT_EQ(refused.status, 403U) << internal;
    EXPECT_EQ(refused.body, "internal topic (name starts with \"__\"): not deleted\n") << internal;
  }
  kafka::Admin admin(kafka::admin_config(test_support::kafka_bootstrap_servers()));
  const auto offsets = admin.topic_exists("__consumer_offsets");
  ASSERT_TRUE(offsets) << offsets.reason;
  EXPECT_TRUE(offsets.value);
}

// The consumer holds an open consumer (and the group's position) for a topic it read. Deleting the topic through the
// producer must end that for readers: the consumer answers 404 for it, and a topic re-created under the same name is
// read from its own beginning (offset 0), not from the old topic's position.
TEST(DeleteTopic, TheConsumerLetsGoAndReadsTheRecreatedTopicFromZero) {
  test_support::ServiceOptions options;
  options.binary = KOK_CONSUMER_BINARY;
  options.env = {{"KAFKA_BOOTSTRAP_SERVERS", test_support::kafka_bootstrap_servers()},
                 {"CONSUMER_GROUP", test_support::unique_topic("group")},
                 {"LOG_LEVEL", "info"}};
  test_support::ServiceProcess consumer(std::move(options));
  auto reader = consumer.client(30s);
  auto c = client();

  const auto topic = test_support::unique_topic("delete-held");
  create_topic(topic);
  for (const auto* value : {"first", "second"}) ASSERT_EQ(c.post("/message/" + topic, value).status, 200U);
  const auto read = reader.get("/" + topic);
  ASSERT_EQ(read.status, 200U) << read.body;
  ASSERT_EQ(read.body.rfind("offset: 0 key: ", 0), 0U) << read.body;

  const auto deleted = c.request("DELETE", "/topics/" + topic);
  ASSERT_EQ(deleted.status, 204U) << deleted.body;

  // Gone for the consumer too (it learns of the deletion from Kafka, not from the producer): a read of the deleted topic
  // ends after its catch-up grace (CONSUMER_NEXT_WAIT + 10 s: the consumer cannot tell a deleted topic from one it has
  // not caught up with) and asks the Admin again in the background; the first read after that answer is a 404. So two
  // reads' time at most.
  const auto started = std::chrono::steady_clock::now();
  test_support::HttpResponse gone;
  while (std::chrono::steady_clock::now() - started < 30s) {
    gone = reader.get("/" + topic);
    if (gone.status == 404U && gone.body == "topic does not exist\n") break;
    std::this_thread::sleep_for(200ms);
  }
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  EXPECT_EQ(gone.status, 404U) << gone.body;
  EXPECT_EQ(gone.body, "topic does not exist\n");
  EXPECT_LT(took, 25s);
  std::printf("consumer answered 404 for the deleted topic after %lld ms\n", static_cast<long long>(took.count()));

  // Re-created under the same name: the new topic's first message, at offset 0.
  const auto start = std::chrono::steady_clock::now();
  unsigned created = 0;
  while (std::chrono::steady_clock::now() - start < 30s) {
    // Kafka finishes a deletion in the background; a creation before then is refused (or the old topic lingers).
    created = c.post("/topic/" + topic, "").status;
    if (created == 200U && c.post("/message/" + topic, "reborn").status == 200U) break;
    created = 0;
    std::this_thread::sleep_for(500ms);
  }
  ASSERT_EQ(created, 200U);
  test_support::HttpResponse next;
  const auto waited = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - waited < 20s) {
    next = reader.get("/" + topic);
    if (next.status == 200U) break;
    std::this_thread::sleep_for(200ms);
  }
  ASSERT_EQ(next.status, 200U) << next.body;
  EXPECT_EQ(next.body.rfind("offset: 0 key: ", 0), 0U) << next.body;
  EXPECT_EQ(next.body.substr(next.body.find(" value: ")), " value: reborn");
  EXPECT_EQ(consumer.stop(), 0) << consumer.log();
}

}  // namespace
}  // namespace kok::producer::e2e
