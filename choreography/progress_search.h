// Space-time search for one robot's timing along a fixed path, against robots already
// planned (their pelvis reserved at every tick of the transition's grid) and robots
// standing: the heart of the prioritised transition planner (transition.h).
//
// The path is sampled at `units + 1` progress points (a unit is a fraction of a step at
// the envelope's limits). At each tick the robot's step lands at the frame of the point
// it has reached, so its state at a tick is (k, a): the point reached and the units it
// advanced since the tick before. The pelvis then stands midway between the frames of the
// two feet, points k and k - a (PelvisOfStance of those feet, up to the lateral offsets
// that a turn between them leaves: ProgressProblem::turn_margin covers them). A robot
// may advance up to `max_advance` units a tick (one step at the limits), and changes its
// advance by at most `max_change` units from one tick to the next: it speeds up from a
// stand, slows down into a stop and never jumps from standing to a full step. It may
// mark time anywhere (advance 0, stepping in place).
//
// The search is a shortest path over ticks (every state of a tick reaches only states of
// the next, so one pass in order of time is exact): among the timings that keep every
// tick-to-tick segment clear of every reserved segment (ClosestApproach, so the distance
// is checked continuously, not only at the ticks), it picks the one closest to the
// uniform pace that arrives on the window's last tick, or on an earlier one when the
// problem asks for a hurried pace (summed distance in units, plus a
// small cost per change of advance), so an unobstructed robot walks evenly and an
// obstructed one waits, hurries or slows only as much as it must.
#ifndef YANGBOT_CHOREOGRAPHY_PROGRESS_SEARCH_H_
#define YANGBOT_CHOREOGRAPHY_PROGRESS_SEARCH_H_

#include <cstdint>
#include <vector>

#include "choreography/move.h"

namespace yangbot {

/// A robot whose pelvis is reserved on the transition's tick grid.
struct TimedObstacle {
  /// Pelvis at grid ticks 0, 1, ... (size >= 1; held after the last).
  const std::vector<Pose2>* track = nullptr;
  double clearance = 0;  ///< m, least distance to keep from it (pelvis to pelvis)
};

/// One robot's path and window on the transition's tick grid.
struct ProgressProblem {
  /// Pelvis frame at progress units 0..units (size units + 1 >= 2; [0] where it stands).
  std::vector<Pose2> points;
  int max_advance = 1;       ///< units a tick at most (>= 1)
  int max_change = 1;        ///< units by which the advance changes from tick to tick (>= 1)
  int64_t offset = 0;        ///< grid tick of the window's tick 0 (the robot stands until then)
  int ticks = 0;             ///< the closing step lands by window tick `ticks`
  int64_t horizon = 0;       ///< last grid tick (it stands at its goal after its window)
  /// Window tick by which the reference pace reaches the goal (0: ticks - 1, the even
  /// pace that arrives at the window's end; less: a hurried pace that arrives early).
  int pace_ticks = 0;
  double moving_margin = 0;  ///< m added to every clearance while the robot moves
  /// m added to the clearance per rad of turn between the frames of the two feet (the
  /// lateral offsets of feet turned apart do not cancel).
  double turn_margin = 0;
};

/// The units reached at window ticks 0..ticks (size ticks + 1, nondecreasing, from 0 to
/// points.size() - 1, the last two equal: the feet close square), keeping clear of
/// `obstacles` from grid tick 0 to the horizon; empty when no timing does.
/// `explored` (when given) counts the states visited, for budgets.
std::vector<int> SearchProgress(const ProgressProblem& problem,
                                const std::vector<TimedObstacle>& obstacles,
                                int64_t* explored = nullptr);

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_PROGRESS_SEARCH_H_
