#include "ack_table.hpp"

#include <gtest/gtest.h>

namespace kok::consumer {
namespace {

using namespace std::chrono_literals;
using Clock = AckTable::Clock;

std::vector<kafka::Message> messages(std::initializer_list<std::int64_t> offsets) {
  std::vector<kafka::Message> out;
  for (const auto o : offsets) {
    kafka::Message m;
    m.partition = 0;
    m.offset = o;
    out.push_back(m);
  }
  return out;
}

std::vector<std::int64_t> offsets(const std::vector<kafka::Message>& ms) {
  std::vector<std::int64_t> out;
  for (const auto& m : ms) out.push_back(m.offset);
  return out;
}

TEST(AckTable, AcknowledgedOnceThenNothingLeft) {
  AckTable t;
  const auto now = Clock::now();
  t.hold("r", messages({1, 2}), now + 30s);
  EXPECT_EQ(t.messages(), 2U);
  EXPECT_EQ(offsets(t.acknowledge("r")), (std::vector<std::int64_t>{1, 2}));
  EXPECT_TRUE(t.acknowledge("r").empty());
  EXPECT_EQ(t.readers(), 0U);
}

TEST(AckTable, ReadersAreSeparate) {
  AckTable t;
  const auto now = Clock::now();
  t.hold("a", messages({1}), now + 30s);
  t.hold("b", messages({2}), now + 30s);
  EXPECT_EQ(offsets(t.acknowledge("b")), (std::vector<std::int64_t>{2}));
  EXPECT_EQ(t.messages(), 1U);
  EXPECT_TRUE(t.acknowledge("nobody").empty());
}

TEST(AckTable, TwoDeliveriesToOneReaderAreHeldTogetherUntilTheLaterDeadline) {
  AckTable t;
  const auto now = Clock::now();
  t.hold("r", messages({1}), now + 10s);
  t.hold("r", messages({2}), now + 20s);
  EXPECT_TRUE(t.expire(now + 15s).empty());
  EXPECT_EQ(offsets(t.expire(now + 20s)), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(t.readers(), 0U);
}

TEST(AckTable, ExpiresOnlyWhatIsLate) {
  AckTable t;
  const auto now = Clock::now();
  t.hold("early", messages({1}), now + 1s);
  t.hold("late", messages({2}), now + 60s);
  EXPECT_EQ(offsets(t.expire(now + 2s)), (std::vector<std::int64_t>{1}));
  EXPECT_EQ(offsets(t.release_all()), (std::vector<std::int64_t>{2}));
}

TEST(AckTable, HoldingNothingHoldsNoReader) {
  AckTable t;
  t.hold("r", {}, Clock::now() + 1s);
  EXPECT_EQ(t.readers(), 0U);
}

}  // namespace
}  // namespace kok::consumer
