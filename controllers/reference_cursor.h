// Warm lookups in a reference's time-sorted tables. A controller samples its reference
// once a tick, a tick after the last sample, so each table lookup lands where the last
// one did or one entry on. A ReferenceCursor remembers those places (one cursor per
// robot, so robots sampling in parallel share nothing) and PartitionPointFrom starts
// there, checking the remembered place's neighbours before it falls back to a binary
// search. The answer is the table's unique partition point, so it is the same entry a
// fresh std::upper_bound / lower_bound finds, whatever the cursor holds.
#ifndef YANGBOT_CONTROLLERS_REFERENCE_CURSOR_H_
#define YANGBOT_CONTROLLERS_REFERENCE_CURSOR_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <iterator>

namespace yangbot {

/// Where one robot's last sample landed in the tables of its reference (indices; any
/// value is safe, a wrong one only costs a binary search). Filled by the references
/// that have tables: ShowReference and the WalkingPattern of its current walk.
struct ReferenceCursor {
  std::size_t walk = 0;               ///< ShowReference: stretches of walking, by start
  std::size_t cue_first = 0;          ///< ShowReference: first cue that may be active
  std::size_t cue_last = 0;           ///< ShowReference: first cue not yet started
  std::array<std::size_t, 2> held{};  ///< ShowReference: held hanky phases, per side
  std::size_t liftoff = 0;            ///< WalkingPattern: steps, by lift-off time
  std::size_t zmp_knot = 0;           ///< WalkingPattern: ZMP knots, by time
};

/// std::partition_point(first, last, pred) (pred true on a prefix of the range, false
/// after it), found by trying *hint and *hint + 1 first; stores the answer's index in
/// *hint.
template <class RandomIt, class Pred>
RandomIt PartitionPointFrom(RandomIt first, RandomIt last, Pred pred, std::size_t* hint) {
  const std::size_t n = static_cast<std::size_t>(std::distance(first, last));
  std::size_t i = std::min(*hint, n);
  if (i > 0 && !pred(first[i - 1])) {
    // Time went back: the answer is at or before i - 1.
    i = static_cast<std::size_t>(std::partition_point(first, first + (i - 1), pred) - first);
  } else if (i < n && pred(first[i])) {
    // At or after i + 1: one entry on is the usual case.
    ++i;
    if (i < n && pred(first[i])) {
      i = static_cast<std::size_t>(std::partition_point(first + (i + 1), last, pred) - first);
    }
  }
  *hint = i;
  return first + i;
}

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_REFERENCE_CURSOR_H_
