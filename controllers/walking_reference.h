// A ReferenceSource that walks: a WalkingPattern (footsteps, ZMP-preview CoM, swing
// trajectories, beat-locked timing) turned into the whole-body controller's reference.
// Arms, torso twist and handkerchiefs hold the values given at construction; the pelvis
// heading follows the mean of the two feet's headings.
//
// Walking an H1-class robot (measured with tests/controllers/walking_test.cc): its legs
// have no ankle roll, so with both soles flat the pelvis can neither translate nor roll
// sideways (each hip stays in its foot's sagittal plane; the feet are hip-width apart,
// ~0.404 m). The ZMP-preview CoM swings ±0.1 m sideways, which the robot cannot follow;
// asking for it makes it fall at the first lift-off. What walks: lateral_com_scale = 0
// (CoM reference on the midpoint of the feet), nominal_width = measured stance width,
// and quick short steps — 285 steps/min, 10 % double support, 5 cm steps (0.24 m/s),
// 3 cm swing apex: each single support (0.19 s) is a short fall toward the swing side
// about the stance foot's inner edge, caught by the landing foot. Feet then land ~25 ms
// early; delay = 0.025 puts them on the beat (within 10 ms). The window is narrow:
// 270-300 steps/min and 6-12 % double support; 6 cm steps or 240 steps/min fall.
// 120 bpm, one step a beat (helper "gait", experiment, not yet a test): the quick swing
// alone with a long double support falls (the landing's sideways momentum rocks the
// robot off its trailing foot). What stepped in place on the beat for 16 beats (seeds
// 1-5, contact-measured touch-downs 8-10 ms early RMS, drift < 1 cm; seeds 4, 5 had one
// extra foot bounce): rock_offset = 0.03 m (the CoM reference follows the measured fall,
// a LIPM about the stance sole's inner edge, and is moved towards the next stance foot in
// double support), roll_per_lateral_offset = 2, swing 0.15 s, 3 cm apex, no delay.
// Forward 4 cm steps with it still fall.
// Measured (tests/controllers/yangge_steps_test.cc, seed 3, contact-timed):
// the WalkingPosture defaults are now this rocking gait (lateral 0, rock 0.03, roll 2,
// delay 0); only steps of >= 0.35 s rock, quicker ones walk level, and SetGaitSwingTimes
// gives 0.15 s swings to slow steps and 90 % of the period to quick ones. With the WBC's
// w_pelvis_slow_steps = 30 (pelvis orientation weight after a long double support):
// cross step (R +3 cm, L +3 cm, R back, L back, no yaw, no lateral) 16 bars at 120 bpm:
// 64/64 touch-downs, 13.5 ms early RMS, worst 14 ms, pelvis drift 5 mm; seeds 1-4 alike,
// seed 5 one bounce. Same with 3 rev/s spin: 40/40, hanky 1.3 deg RMS. Without the
// weight: bounces (seed 3 passes by luck, 1, 2, 5 fall). Fail: toe-in 0.05-0.2 rad on
// the crossing foot; swings of 0.17/0.19 s; forward travel one step a beat (2-5 cm,
// alternating or step-close) and 进三退一 (stride 0.01-0.05) fall at 6-12 s.
// 300 steps/min (2/5 beat) with 0.05 rad turns: 24/24, 13 ms RMS at seed 3 only (seeds 1,
// 2, 4, 5 fall with or without the slow weight). Quick walk then cross step in one plan:
// falls at the 3rd cross step. Turning: 0.05 rad per step. Arcs: 4 cm steps. Backward: 3 cm steps, 8 % double
// support, roll_per_lateral_offset = 1 (7 of 8 seeds). Sideways: the feet may open and
// close by only 1 cm per step (min_separation = width - 1 cm, max_lateral = 1 cm).
#ifndef YANGBOT_CONTROLLERS_WALKING_REFERENCE_H_
#define YANGBOT_CONTROLLERS_WALKING_REFERENCE_H_

#include <array>
#include <memory>

#include "controllers/reference.h"
#include "controllers/walking_pattern.h"

namespace yangbot {

/// s, steps at least this long rock (WalkingPosture::rock_min_period's default).
inline constexpr double kRockMinPeriod = 0.35;
/// s, swing time of a rocking (slow) step.
inline constexpr double kDanceSwing = 0.15;

/// Posture held while walking (everything the walking pattern does not set). The defaults
/// are the gait that walks and dances (see the file comment); time the plan with
/// SetGaitSwingTimes.
struct WalkingPosture {
  std::array<double, kArmJoints> arm_q{};  ///< rad, arm joint targets
  double torso_yaw = 0;                    ///< rad, waist twist held
  double trunk_pitch = 0;                  ///< rad, forward lean (world pitch)
  /// m, CoM height above the sole centres (the pattern's preview com_height is used when
  /// it is <= 0).
  double com_height = 0;
  /// Fraction of the pattern's lateral CoM swing (across the path, about the midpoint of
  /// the feet) passed on; H1 legs (no ankle roll) cannot shift the CoM sideways over a
  /// flat foot, so 1 asks for a motion the robot cannot make.
  double lateral_com_scale = 0;
  /// rad/m: pelvis roll commanded per metre of the lateral CoM offset from the midpoint
  /// of the feet (the rocking offset when rock_offset > 0, else the pattern's) (hip strategy: lean the upper body over the coming stance foot;
  /// positive leans toward the side the CoM is planned to move to).
  double roll_per_lateral_offset = 2;
  /// s, the pattern runs this much behind the conductor's clock: a swing foot lands early
  /// (the robot tips toward the swing side in single support, ~25 ms at 285 steps/min),
  /// so delaying the pattern puts the landings on the beat.
  double delay = 0;
  /// m, lateral rocking (see RockingOffset): at each lift-off the CoM is this far from the
  /// midpoint of the feet towards the stance foot; 0: no rocking model.
  double rock_offset = 0.03;
  /// m, single support: the CoM falls about a pivot this far inside the stance sole's
  /// centre (its inner edge, where the CoP can be).
  double rock_pivot_inset = 0.034;
  /// s, with rock_offset > 0 only steps at least this long (touch-down to touch-down)
  /// rock; quicker steps keep the CoM on the midpoint of the feet and the pelvis level
  /// (the quick gait), so one plan may mix one-step-a-beat dancing with quick walking.
  double rock_min_period = kRockMinPeriod;
  /// rev/s, both handkerchiefs spin at this rate, phase 2π·rate·t from the conductor's
  /// clock; 0: not spinning.
  double hanky_rate = 0;
};

/// s, swing time for a step of `step_period` (s, touch-down to touch-down) in the gait
/// the WalkingPosture defaults follow: quick steps (period < kRockMinPeriod) swing 90 %
/// of the period (10 % double support; 0.18 s at 300 steps/min), slower steps swing
/// kDanceSwing = 0.15 s and spend the rest of the step in double support. Measured: the
/// one-step-a-beat cross step falls with 0.17 s or 0.19 s swings, and 300 steps/min falls
/// with a 0.15 s swing, so no single max_swing serves both.
double GaitSwingTime(double step_period);
/// Sets every step's liftoff_time to touchdown_time - GaitSwingTime(period), the period
/// being the time since the previous touch-down (the first step: the second step's
/// period, or a slow step when alone); keeps touch-downs and the plan's start/end.
void SetGaitSwingTimes(FootstepPlan* plan);

/// Walking pattern as a ReferenceSource.
class WalkingReference : public ReferenceSource {
 public:
  /// Wraps `pattern` (shared, immutable).
  WalkingReference(std::shared_ptr<const WalkingPattern> pattern, const WalkingPosture& posture);
  void Sample(double t, RobotReference* out) const override;
  void SampleFrom(double t, ReferenceCursor* cursor, RobotReference* out) const override;
  double end_time() const override { return pattern_->end_time() + posture_.delay; }
  /// The pattern followed.
  const WalkingPattern& pattern() const { return *pattern_; }

 private:
  // Lateral CoM offset (m) from the midpoint of the feet, its rate and acceleration, at
  // pattern time t under the rocking model.
  Eigen::Vector3d RockingOffset(const WalkingSample& s) const;

  std::shared_ptr<const WalkingPattern> pattern_;
  WalkingPosture posture_;
};

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_WALKING_REFERENCE_H_
