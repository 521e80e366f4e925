// The walking gait of robots whose soles are lines (H1's narrow rolling feet, as the
// project's robot assets/robots/h1/h1.xml has): planner limits, pattern and posture settings in one
// place. The whole-body controller balances such a robot by its landings
// (controllers/foot_placement.h) and the DCM stabiliser (controllers/dcm_stabilizer.h),
// so the walking pattern passes the full ZMP-preview CoM swing (lateral_com_scale 1), no
// rocking model and no pelvis roll; the stance width is free (the sole rolls).
//
// Measured envelope (`yangbot gait`, controllers/gait_trial.h: one robot, seeds 1-10,
// table in README.md): at one step a beat, 120 bpm, 0 falls on LineFootRobotPath() and on
// the stock-layout H1 (StockH1RobotPath()) in every row: forward 0.5 m steps (1.00 m/s
// sustained), backward 0.3 m (0.6 m/s), sideways 0.25 m beyond the 0.3 m stance (0.38
// m/s), turning while walking 0.505 rad a step on a 1 m arc (1.005 rad/s sustained, the
// 0.5 m reach binding), turning in place 0.52 rad a step with the feet 0.2 m apart (90 deg
// in 4 steps); one step a beat from 90 bpm (0.3 m forward,
// 0.2 m sideways) to 150 bpm (0.4 m forward); touch-downs within 10 ms of the beat (the
// stock H1 within 14 ms).
// With the reach in the support foot's frame, 0.55 rad a step on a full-turn arc fell 2
// of 3. The stock H1 needs its toe bar's tipped
// contact modelled (support_outward_share here, the contact line and the line sole's yaw
// grip in the whole-body controller).
// The CoM walks crouch = 8 cm below its standing height: standing tall, 0.4 m steps (and
// 0.25 m at two steps a beat) fell, the rear leg reaching its full length.
#ifndef YANGBOT_CONTROLLERS_LINE_FOOT_GAIT_H_
#define YANGBOT_CONTROLLERS_LINE_FOOT_GAIT_H_

#include <Eigen/Core>
#include <string>

#include "controllers/footstep_planner.h"
#include "controllers/walking_pattern.h"
#include "controllers/walking_reference.h"
#include "sim/scene.h"

namespace yangbot {

/// Settings of the line-foot gait.
struct LineFootGait {
  double nominal_width = 0.3;          ///< m between the sole centres while walking
  double crouch = 0.08;                ///< m the CoM walks below its standing height
  double double_support_ratio = 0.2;   ///< share of each step with both feet down
  double swing_height = 0.06;          ///< m, swing apex
  double step_beats = 1;               ///< beats from one landing to the next (120 bpm)
  /// s, the ZMP's transfer onto the stance centre after a walk's last touch-down
  /// (WalkingPatternParams::stop_shift_time), quicker than the start's 0.5 s so that the
  /// walk stops within a step: the CoM moves 0.09 m/s a step after the stop on
  /// LineFootRobotPath(), 0.14 on the stock H1; at 0.3 s and shorter the stock H1's last
  /// landings fall 9 cm short of its goal.
  double stop_shift_time = 0.4;
  /// m, single-support ZMP outward of the sole centre (WalkingPatternParams::support_outward);
  /// < 0: support_outward_share of the robot's own (LineSoleOutwardCop).
  double support_outward = -1;
  /// Share of LineSoleOutwardCop the pattern plans. On the stock H1 (1.5 cm): the whole of
  /// it ended its 1 m arcs in recovery steps 0.4-0.5 m off the goal (10/10 seeds); 2/3 (1 cm)
  /// arrives within 7 cm and steps sideways at 90 bpm 0/10 falls; 1/2 fell at 90 bpm, as
  /// did none (the DCM error grew 7 cm over each 0.53 s single support).
  double support_outward_share = 2.0 / 3;
  /// rad a step, most turn of a walk at the standing width (0.4 m, the feet under the hips,
  /// where shows start and end their walks): in place, 170 deg in 7 steps (0.49 rad a step)
  /// fell at the last step, 150 deg (0.44) walked; limits.max_turn is measured at
  /// nominal_width.
  double max_turn_standing_width = 0.44;
  /// m between the sole centres of a turn in place (no travel), and the most turn a step it
  /// takes (rad): 90 deg in 3 steps of 0.52 rad and a squaring step (4 beats) arrives within
  /// 2 cm on LineFootRobotPath(), 4 cm on the stock H1 (seeds 1-10). At nominal_width and
  /// 0.8 rad (2 turning steps and the squaring one) the stance foot pivoted 0.07 rad under
  /// the toe-in swing, which landed 4 cm short, and the landing law sent the squaring step
  /// 14 cm out: 10 cm off. Narrower is better at 4 steps: 0.3 m 3 / 5.5 cm (the stock H1),
  /// 0.25 m 2 / 5 cm.
  double turn_in_place_width = 0.2;
  double max_turn_in_place = 0.55;  ///< rad a step, see turn_in_place_width
  FootstepLimits limits = Limits();    ///< per step, at one step a beat at 120 bpm

  static constexpr double kStepsPerBeat = 1;    ///< the measured step rate
  static constexpr double kMinBpm = 90;         ///< slowest measured tempo at kStepsPerBeat
  static constexpr double kMaxBpm = 150;        ///< fastest measured tempo at kStepsPerBeat
  /// rad a step while also stepping forward or sideways. On a 1 m arc the 0.5 m reach
  /// (between the feet's headings) binds first: 0.505 rad steps, 1.005 rad/s sustained.
  static constexpr double kMaxTurnWalking = 0.52;

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
  /// The limits of turning while walking (the bar's arc): kMaxTurnWalking a step, the reach
  /// measured between the feet's headings (the legs reach from the pelvis, turned between
  /// them). Arcs only: on the mixed path it costs the stock H1 more missed touch-downs.
  static FootstepLimits TurningWalkLimits() {
    FootstepLimits l = Limits();
    l.max_turn = l.max_turn_in = kMaxTurnWalking;
    l.reach_between_headings = true;
    return l;
  }
};

/// Path of the robot this gait is measured on: the project's robot (DefaultRobotPath()),
/// whose soles are lines.
std::string LineFootRobotPath();
/// Path of the project's stock-layout H1 (the public model's names and capsule + toe-bar
/// feet, no sites): the gait's second robot.
std::string StockH1RobotPath();

/// m, how far outward of its centre the CoP of a line sole `sole` (sole-site frame) lies
/// while its leg leans in: a toe bar tips onto its outer end, so the contact runs from the
/// heel to that end, half its half-width out at the centre (the public H1's feet: 1.5 cm);
/// 0 for a plain heel-to-toe capsule.
double LineSoleOutwardCop(const SoleSupport& sole);

/// m, single-support ZMP outward of the sole centre that `gait` plans for a robot whose
/// sole is `sole` (sole-site frame): gait.support_outward when set, else
/// support_outward_share of LineSoleOutwardCop(sole). The one owner of that setting: gait
/// trials and compiled shows both take it from here.
double LineFootSupportOutward(const LineFootGait& gait, const SoleSupport& sole);

/// Footstep planner settings of `gait`.
FootstepPlannerParams LineFootPlannerParams(const LineFootGait& gait);
/// Footstep planner settings of `gait` for a turn in place: turn_in_place_width between the
/// feet, at most max_turn_in_place a step.
FootstepPlannerParams LineFootTurnInPlaceParams(const LineFootGait& gait);

/// Sets the line-foot gait's own settings on `params`, a walking pattern whose CoM stands
/// `standing_height` m above the soles: the CoM height (lowered by the crouch), swing apex,
/// the last ZMP transfer (stop_shift_time) and the single-support ZMP offset (from `sole`,
/// sole-site frame, unless the gait sets it). The one owner of those settings: gait trials
/// (LineFootPatternParams) and compiled shows' walks both take them from here.
void SetLineFootWalk(const LineFootGait& gait, const SoleSupport& sole, double standing_height,
                     WalkingPatternParams* params);

/// Walking pattern settings of `gait` for a robot whose soles stand at `ground_height` (m)
/// with its CoM at `com` (m, world) when the walk starts (SetLineFootWalk).
WalkingPatternParams LineFootPatternParams(const LineFootGait& gait, double ground_height,
                                           const Eigen::Vector3d& com, const SoleSupport& sole);

/// Posture of the line-foot gait (full lateral CoM swing, no rocking, no pelvis roll), CoM
/// height from `pattern`; arms, waist and handkerchiefs at their defaults (set them after).
WalkingPosture LineFootPosture(const WalkingPatternParams& pattern);

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_LINE_FOOT_GAIT_H_
