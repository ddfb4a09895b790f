#pragma once
// Hands heap pages that are free again back to the operating system.
//
// A topic's prefetch (up to 100,000 messages, docs/decisions.md "Consumer prefetch") is allocated by librdkafka's
// threads and freed as it is read; glibc keeps those pages in its arenas, so without this a process that once read
// three backlogs keeps the memory of all three (~40 MB each for 100,000 × 100 B) although nothing uses it.
// malloc_trim(0) releases every free page of every arena; the registry's sweeper calls it every second, off the I/O
// threads. A no-op where the C library is not glibc.

namespace kok::consumer {

void return_free_memory() noexcept;

}  // namespace kok::consumer
