// The cgroup memory limit: the file's text parsed, and the v2/v1 layouts read from fixture trees shaped like a
// container's /sys/fs/cgroup.

#include "kok/service/memory_limit.hpp"

#include <gtest/gtest.h>

namespace kok::service {
namespace {

const std::filesystem::path fixtures{KOK_CGROUP_FIXTURES};

TEST(CgroupMemoryLimit, ParsesBytesAndNoLimit) {
  EXPECT_EQ(parse_cgroup_memory_limit("268435456\n"), 268435456U);
  EXPECT_EQ(parse_cgroup_memory_limit("1073741824"), 1073741824U);
  EXPECT_EQ(parse_cgroup_memory_limit("max\n"), std::nullopt);
  EXPECT_EQ(parse_cgroup_memory_limit("9223372036854771712\n"), std::nullopt);
  EXPECT_EQ(parse_cgroup_memory_limit(""), std::nullopt);
  EXPECT_EQ(parse_cgroup_memory_limit("0\n"), std::nullopt);
  EXPECT_EQ(parse_cgroup_memory_limit("12ab"), std::nullopt);
  EXPECT_EQ(parse_cgroup_memory_limit("-1"), std::nullopt);
}

TEST(CgroupMemoryLimit, ReadsVersion2) { EXPECT_EQ(cgroup_memory_limit(fixtures / "v2"), 268435456U); }

TEST(CgroupMemoryLimit, ReadsVersion1) { EXPECT_EQ(cgroup_memory_limit(fixtures / "v1"), 536870912U); }

TEST(CgroupMemoryLimit, NoLimitSetOrNoCgroup) {
  EXPECT_EQ(cgroup_memory_limit(fixtures / "v2-unlimited"), std::nullopt);
  EXPECT_EQ(cgroup_memory_limit(fixtures / "v1-unlimited"), std::nullopt);
  EXPECT_EQ(cgroup_memory_limit(fixtures / "none"), std::nullopt);
  EXPECT_EQ(cgroup_memory_limit(fixtures / "does-not-exist"), std::nullopt);
}

}  // namespace
}  // namespace kok::service
