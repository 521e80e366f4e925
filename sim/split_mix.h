// SplitMix64 (Steele, Lea and Flood, 2014): a small, well-mixed 64-bit generator, used as a
// keyed hash so that every noise sample (clocks, links, lidar rays, odometry errors) is a
// function of the run's seed and its own key: reproducible, and independent of the order
// or the thread it is drawn in.
#ifndef YANGBOT_SIM_SPLIT_MIX_H_
#define YANGBOT_SIM_SPLIT_MIX_H_

#include <cstdint>

namespace yangbot {

/// The SplitMix64 output for the state `x`: 64 well-mixed bits.
inline uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace yangbot

#endif  // YANGBOT_SIM_SPLIT_MIX_H_
