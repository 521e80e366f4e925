// The walking gait of robots whose soles are lines (H1's narrow rolling feet,
// assets/robots/h1/h1_narrow.xml): planner limits, pattern and posture settings in one
// place. The whole-body controller balances such a robot by its landings
// (controllers/foot_placement.h) and the DCM stabiliser (controllers/dcm_stabilizer.h),
// so the walking pattern passes the full ZMP-preview CoM swing (lateral_com_scale 1), no
// rocking model and no pelvis roll; the stance width is free (the sole rolls).
//
// Measured envelope (one robot, 120 bpm, one step a beat unless said, seeds 1-5,
// tests/controllers/line_foot_walking_test.cc and controllers/README.md): forward 0.5 m
// steps (1.0 m/s planned), backward 0.3 m (0.6 m/s), sideways 0.25 m beyond the 0.3 m
// stance (0.37 m/s), turn in place 0.8 rad a step; touch-downs within 10 ms of the beat.
// Steps of 0.67 s (one a beat at 90 bpm) fall: below about 120 bpm, step twice a beat.
// The CoM walks crouch = 8 cm below its standing height: standing tall, 0.4 m steps (and
// 0.25 m at two steps a beat) fell, the rear leg reaching its full length.
#ifndef YANGBOT_CONTROLLERS_LINE_FOOT_GAIT_H_
#define YANGBOT_CONTROLLERS_LINE_FOOT_GAIT_H_

#include <Eigen/Core>

#include "controllers/footstep_planner.h"
#include "controllers/walking_pattern.h"
#include "controllers/walking_reference.h"

namespace yangbot {

/// Settings of the line-foot gait.
struct LineFootGait {
  double nominal_width = 0.3;          ///< m between the sole centres while walking
  double crouch = 0.08;                ///< m the CoM walks below its standing height
  double double_support_ratio = 0.2;   ///< share of each step with both feet down
  double swing_height = 0.06;          ///< m, swing apex
  double step_beats = 1;               ///< beats from one landing to the next (120 bpm)
  /// rad a step, most turn of a walk at the standing width (0.4 m, the feet under the hips,
  /// where shows start and end their walks): in place, 170 deg in 7 steps (0.49 rad a step)
  /// fell at the last step, 150 deg (0.44) walked; limits.max_turn is measured at
  /// nominal_width.
  double max_turn_standing_width = 0.44;
  FootstepLimits limits = Limits();    ///< per step, at one step a beat at 120 bpm

  /// The measured limits (see the file comment).
  static FootstepLimits Limits() {
    FootstepLimits l;
    l.max_forward = 0.5;
    l.max_backward = 0.3;
    l.max_lateral = 0.25;
    l.min_separation = 0.16;
    l.max_turn = 0.8;
    l.max_turn_in = 0.8;
    l.foot_length = 0.24;  // heel-to-toe capsule
    l.foot_width = 0.03;
    l.clearance = 0.02;
    return l;
  }
};

/// Footstep planner settings of `gait`.
FootstepPlannerParams LineFootPlannerParams(const LineFootGait& gait);

/// Walking pattern settings of `gait` for a robot whose soles stand at `ground_height` (m)
/// with its CoM at `com` (m, world) when the walk starts.
WalkingPatternParams LineFootPatternParams(const LineFootGait& gait, double ground_height,
                                           const Eigen::Vector3d& com);

/// Posture of the line-foot gait (full lateral CoM swing, no rocking, no pelvis roll), CoM
/// height from `pattern`; arms, waist and handkerchiefs at their defaults (set them after).
WalkingPosture LineFootPosture(const WalkingPatternParams& pattern);

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_LINE_FOOT_GAIT_H_
