// `hanky: throw` cues (the move hanky_throw, choreography/moves/hanky_spin.cc): the
// handkerchief leaves the pin on the cue's first beat and is back on its last. Each robot
// dances the cue as scheduled (canon: from its own start; mirror: the other hand), so the
// throws are read off the schedule, checked against what the hand-end motors can do
// (sim/handkerchief_throw.h), and handed to the physics (RunState::throws on a stage with
// SceneOptions::throwing_hankies).
#ifndef YANGBOT_CHOREOGRAPHY_HANKY_THROW_CUE_H_
#define YANGBOT_CHOREOGRAPHY_HANKY_THROW_CUE_H_

#include <vector>

#include "choreography/diagnostics.h"
#include "choreography/schedule.h"
#include "choreography/show.h"
#include "sim/handkerchief_throw.h"

namespace yangbot {

/// Shortest throw (s from release to catch): the ejector's launch and a flight to clear
/// the hand.
inline constexpr double kShortestHankyThrow = 0.3;
/// A neighbour's pelvis closer than this (m, in the plane) to the thrower's at release is
/// within reach of the flight (a 0.4 m handkerchief over a hand up to 0.5 m from the
/// pelvis, and the neighbour's own reach): a warning.
inline constexpr double kHankyThrowClearance = 0.9;

/// Every throw of the schedule, by robot then time: hand from the cue's `hand` (`both`:
/// two throws), swapped when the robot dances the cue mirrored; release and catch at the
/// robot's cue start and end; apex from `height`.
std::vector<HankyThrow> ScheduledHankyThrows(const Schedule& schedule);

/// Checks the throws of `schedule` (cues of `show`): the flight the cue's length and height
/// ask for must be one the ejector and the winch can give, and within the tether (errors
/// at the cue or its `height`); a neighbour within kHankyThrowClearance at release is a
/// warning. One diagnostic per cue and problem.
void CheckHankyThrows(const Show& show, const Schedule& schedule, Diagnostics* diagnostics);

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_HANKY_THROW_CUE_H_
