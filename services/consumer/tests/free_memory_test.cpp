#include "free_memory.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace kok::consumer {
namespace {

// glibc only; not under ASan, whose allocator is not glibc's heap.
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
long resident_kib() {
  std::ifstream status{"/proc/self/status"};
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

TEST(FreeMemory, FreedHeapGoesBackToTheSystem) {
  // 64 MiB in small blocks (a prefetch is many small allocations), then one block above them that stays: free()
  // alone cannot shrink the heap below it, so the pages stay resident until they are returned explicitly.
  std::vector<std::unique_ptr<char[]>> blocks;
  for (int i = 0; i < 256 * 1024; ++i) {
    blocks.emplace_back(new char[256]);
    blocks.back()[0] = static_cast<char>(i);  // touch it
  }
  const auto pin = std::make_unique<char[]>(256);
  blocks.clear();
  const auto before = resident_kib();
  return_free_memory();
  const auto after = resident_kib();
  ASSERT_GT(before, 0);
  EXPECT_LT(after, before - 32 * 1024) << "VmRSS " << before << " kB before, " << after << " kB after";
}
#endif

}  // namespace
}  // namespace kok::consumer
