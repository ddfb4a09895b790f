// ?from= of GET /consumer/{t}/records.

#include "browse_start.hpp"

#include <gtest/gtest.h>

namespace kok::consumer {
namespace {

using Kind = BrowseStart::Kind;

TEST(BrowseStart, NamesOffsetsAndTimes) {
  EXPECT_EQ(parse_browse_start("beginning"), (BrowseStart{Kind::beginning, 0}));
  EXPECT_EQ(parse_browse_start("end"), (BrowseStart{Kind::end, 0}));
  EXPECT_EQ(parse_browse_start("0"), (BrowseStart{Kind::offset, 0}));
  EXPECT_EQ(parse_browse_start("42"), (BrowseStart{Kind::offset, 42}));
  EXPECT_EQ(parse_browse_start("1733253600000ms"), (BrowseStart{Kind::time, 1733253600000}));
  EXPECT_EQ(parse_browse_start("2024-12-03T19:20:00Z"), (BrowseStart{Kind::time, 1733253600000}));
  EXPECT_EQ(parse_browse_start("2024-12-03T19:20:00.25Z"), (BrowseStart{Kind::time, 1733253600250}));
  EXPECT_EQ(parse_browse_start("2024-12-03T20:20:00+01:00"), (BrowseStart{Kind::time, 1733253600000}));
  EXPECT_EQ(parse_browse_start("2024-12-03T18:50:00-00:30"), (BrowseStart{Kind::time, 1733253600000}));
  EXPECT_EQ(parse_browse_start("2024-02-29T00:00:00Z"), (BrowseStart{Kind::time, 1709164800000}));
}

TEST(BrowseStart, RefusesWhatIsNoneOfThem) {
  for (const char* bad : {"", "Beginning", "-1", "1.5", "12x", "ms", "-5ms", "2024-12-03T19:20:00",
                          "2024-12-03", "2023-02-29T00:00:00Z", "2024-12-03T24:00:00Z", "2024-12-03T19:20:00Zx",
                          "2024-12-03T19:20:00+0100", "99999999999999999999"}) {
    EXPECT_EQ(parse_browse_start(bad), std::nullopt) << bad;
  }
}

}  // namespace
}  // namespace kok::consumer
