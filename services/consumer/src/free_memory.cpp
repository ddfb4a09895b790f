#include "free_memory.hpp"

#include <cstdlib>  // defines __GLIBC__ when the C library is glibc
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace kok::consumer {

void return_free_memory() noexcept {
#if defined(__GLIBC__)
  (void)malloc_trim(0);
#endif
}

}  // namespace kok::consumer
