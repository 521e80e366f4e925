// Counts heap allocations of the whole process by standing in for glibc's malloc (operator
// new and Eigen both allocate through it) and forwarding to glibc's own. Include this header
// in ONE source file of a binary: it defines `malloc`. Under AddressSanitizer, which owns
// malloc itself, there is no counter (kCountsAllocations is false).
#ifndef YANGBOT_TESTS_ALLOCATION_COUNTER_H_
#define YANGBOT_TESTS_ALLOCATION_COUNTER_H_

#include <atomic>
#include <cstddef>

namespace yangbot {

#if defined(__SANITIZE_ADDRESS__)
/// Whether AllocationCount() counts (false under AddressSanitizer).
constexpr bool kCountsAllocations = false;
/// Calls of malloc so far in this process (always 0 here: not counted).
inline long AllocationCount() { return 0; }
#else
/// Whether AllocationCount() counts (false under AddressSanitizer).
constexpr bool kCountsAllocations = true;
/// The calls of malloc so far (the counter behind AllocationCount).
inline std::atomic<long> allocation_count{0};
/// Calls of malloc so far in this process.
inline long AllocationCount() { return allocation_count.load(std::memory_order_relaxed); }
#endif

}  // namespace yangbot

#if !defined(__SANITIZE_ADDRESS__)
extern "C" void* __libc_malloc(std::size_t size);
/// glibc's malloc, counted.
extern "C" void* malloc(std::size_t size) noexcept {
  yangbot::allocation_count.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(size);
}
#endif

#endif  // YANGBOT_TESTS_ALLOCATION_COUNTER_H_
