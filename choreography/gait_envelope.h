// The walking gait's envelope: what one step of walk_to and formation changes may do, as
// measured on the robot in physics. The figures belong to the gaits in controllers/ (one
// a kind of sole); this is where choreography reads them: the transition planner
// (choreography/transition.h) paces and checks every walk against the envelope of the
// show's robot, the validator's "needs N beats" messages quote DescribeGaitEnvelope, and
// FORMAT.md quotes the same sentences (tests/choreography/gait_envelope_test.cc fails when
// they differ).
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
  /// Beats before its window's end by which a walk's last step has landed, whatever comes
  /// next (the formation is measured on that downbeat): the CoM's sway over the last steps
  /// has to die down first. 0: the walk may land its last step on the downbeat.
  Beats arrival_beats;
  /// The gait turns while it travels (mixed commands measured): a turn-walk-turn takes its
  /// first turn while it starts walking and its last while it stops. Off: in place.
  bool turns_while_walking = false;
};

/// The envelope of the gait a robot walks, chosen by its soles (RobotInfo::line_soles):
/// line soles walk the line-foot gait (controllers/line_foot_gait.h: LineFootGait::Limits()
/// at one step a beat, turning while walking), flat soles the box-foot gait
/// (controllers/box_foot_gait.h). Each gait owns its figures; this only reads them.
GaitEnvelope MeasuredGaitEnvelope(bool line_soles = false);

/// The footstep planner's limits for walking steps within `envelope` (the footprint
/// and clearance are the planner's defaults).
FootstepLimits WalkStepLimits(const GaitEnvelope& envelope);

/// "a step every 0.4 beats; steps of at most 0.05 m forward, 0.03 m back, 0.01 m
/// sideways, 0.05 rad of turn": the envelope as messages and FORMAT.md quote it.
std::string DescribeGaitEnvelope(const GaitEnvelope& envelope);

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_GAIT_ENVELOPE_H_
