// The walking gait of robots whose soles are flat boxes (the 8 cm feet of the test robot
// assets/robots/h1_box/h1_box.xml; the walking pattern and posture are
// controllers/walking_reference.h's defaults): quick short steps, 285 a minute at 120 bpm. With flat soles and no ankle roll the
// stance width is locked, so the feet open and close sideways by only 1 cm a step.
//
// Measured envelope (NOTES.md "Walking"; tests/controllers/walking_test.cc): 0.05 m
// forward, 0.03 m back, 0.01 m sideways, 0.05 rad of turn a step, a step every 2/5 beat
// (at 120 bpm: 0.25 m/s forward, 0.15 m/s back, 0.05 m/s sideways, 14 deg/s); 0.16 m
// least step width. It turns in place (turning while walking was measured only on arcs,
// not mixed with sideways steps). Between dance steps and a walk the feet stand square a
// beat: the 60 s demo loop fell at those hand-overs, 4 of 4 seeds, without it.
#ifndef YANGBOT_CONTROLLERS_BOX_FOOT_GAIT_H_
#define YANGBOT_CONTROLLERS_BOX_FOOT_GAIT_H_

#include "controllers/footstep_planner.h"

namespace yangbot {

/// Figures of the box-foot gait (see the file comment).
struct BoxFootGait {
  double step_beats = 0.4;         ///< beats from one landing to the next (2/5)
  double settle_beats = 1;         ///< beats the feet stand square between dance steps and a walk
  bool turns_while_walking = false;  ///< turns only in place
  FootstepLimits limits = Limits();  ///< per step

  /// The measured limits (see the file comment).
  static FootstepLimits Limits() {
    FootstepLimits l;
    l.max_forward = 0.05;
    l.max_backward = 0.03;
    l.max_lateral = 0.01;
    l.max_turn = 0.05;
    l.max_turn_in = 0.05;
    l.min_separation = 0.16;
    return l;
  }
};

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_BOX_FOOT_GAIT_H_
