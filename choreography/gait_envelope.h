// The walking gait's envelope: what one step of walk_to and formation changes may do, as
// measured on the robot in physics. It is the one place these figures live: the transition
// planner (choreography/transition.h) paces and checks every walk against it, the
// validator's "needs N beats" messages quote DescribeGaitEnvelope, and FORMAT.md quotes the
// same sentence (tests/choreography/gait_envelope_test.cc fails when the two differ).
//
// Per-step figures are pelvis travel from one landing to the next, split in the robot's
// own frame (the facing blends along a walk, so the split changes on the way): the swing
// foot lands up to max_forward ahead of / max_backward behind the standing foot, up to
// max_sideways beyond the standing width, and turned up to max_turn (toe-out or toe-in)
// from it. A walk's speed is these over step_beats: forward max_forward / step_beats
// m/beat, and so on.
#ifndef YANGBOT_CHOREOGRAPHY_GAIT_ENVELOPE_H_
#define YANGBOT_CHOREOGRAPHY_GAIT_ENVELOPE_H_

#include <string>

#include "choreography/beats.h"
#include "controllers/footstep_planner.h"

namespace yangbot {

/// Step limits and timing of the walking gait (see the file comment for the frame).
struct GaitEnvelope {
  double max_forward = 0;     ///< m per step, along the facing
  double max_backward = 0;    ///< m per step, against the facing
  double max_sideways = 0;    ///< m per step, across the facing
  double max_turn = 0;        ///< rad per step, change of facing (either way)
  double min_step_width = 0;  ///< m, least lateral distance between the two feet's centres
  Beats step_beats;           ///< beats from one landing to the next (> 0)
  /// Beats the feet stand square between dance steps (cross step, 进三退一) and a walk,
  /// before and after it: the sway of the steps before has to die down, or the walk's
  /// first single support starts with the CoM swinging away from the stance foot.
  Beats settle_beats;
  /// The gait turns while it travels (mixed commands measured): a turn-walk-turn takes its
  /// first turn while it starts walking and its last while it stops. Off: in place.
  bool turns_while_walking = false;
};

/// The gait the controller walks today (measured, NOTES.md "Walking";
/// tests/controllers/walking_test.cc): quick short steps, 285 a minute at 120 bpm, on
/// flat box soles that cannot open sideways (no ankle roll):
///   0.05 m forward, 0.03 m back, 0.01 m sideways, 0.05 rad of turn a step, a step every
///   2/5 beat (at 120 bpm: 0.25 m/s forward, 0.15 m/s back, 0.05 m/s sideways, 14 deg/s),
///   0.16 m least step width, 1 beat of settling (the 60 s demo loop fell at the hand-overs
///   between dance steps and walks, 4 of 4 seeds, without it); turns in place (turning
///   while walking was measured only on arcs, not mixed with sideways steps).
/// When a new gait is measured, its figures go here, in FORMAT.md (the test says where)
/// and nowhere else.
GaitEnvelope MeasuredGaitEnvelope();

/// The footstep planner's limits for walking steps within `envelope` (the footprint
/// and clearance are the planner's defaults).
FootstepLimits WalkStepLimits(const GaitEnvelope& envelope);

/// "a step every 0.4 beats; steps of at most 0.05 m forward, 0.03 m back, 0.01 m
/// sideways, 0.05 rad of turn": the envelope as messages and FORMAT.md quote it.
std::string DescribeGaitEnvelope(const GaitEnvelope& envelope);

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_GAIT_ENVELOPE_H_
