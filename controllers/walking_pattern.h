// Walking pattern: a timed footstep plan turned into a whole-body controller's
// reference, queryable at any time.
//
// Construction precomputes everything:
//  - the ZMP reference, piecewise linear in time: at the start CoM until the initial
//    weight shift, on the support foot centre through each single-support phase,
//    moving linearly to the next support foot during each double-support phase, and to
//    the final stance centre after the last touch-down;
//  - the CoM (constant height z_c) by ZMP preview control of the cart-table model
//    (Kajita et al. 2003; controllers/zmp_preview.h), sampled every dt and stored with
//    its piecewise-constant jerk, so the CoM between samples is the exact cubic of the
//    model: position, velocity and acceleration are continuous;
//  - one swing trajectory per step (controllers/swing_trajectory.h).
// Sample(t) then costs two binary searches and a few polynomial evaluations.
//
// Foot poses are the centres of the soles on the ground. A foot is in contact except
// while it swings, in [liftoff_time, touchdown_time) of its step.
#ifndef YANGBOT_CONTROLLERS_WALKING_PATTERN_H_
#define YANGBOT_CONTROLLERS_WALKING_PATTERN_H_

#include <Eigen/Core>
#include <cstddef>
#include <optional>
#include <vector>

#include "controllers/footstep_planner.h"
#include "controllers/reference_cursor.h"
#include "controllers/swing_trajectory.h"
#include "controllers/zmp_preview.h"

namespace yangbot {

/// Settings of a walking pattern.
struct WalkingPatternParams {
  ZmpPreviewParams preview;    ///< cart-table model (CoM height z_c, dt) and preview servo
  double swing_height = 0.07;  ///< m, swing apex height for steps that do not set their own
  double ground_height = 0;    ///< m, height of the sole centres on the ground
  double shift_time = 0.5;     ///< s, longest initial / final ZMP transfer (shortened to fit)
  /// s, the final ZMP transfer onto the stance centre after the last touch-down (< 0:
  /// shift_time): the CoM stops about this plus 1/ω after it.
  double stop_shift_time = -1;
  /// m, the single-support ZMP lies this far outward of the support sole's centre, across
  /// its heading: a sole that rests on its outer edge while its leg leans in (a toe bar
  /// tipped onto its outer end) carries its CoP there.
  double support_outward = 0;
  std::optional<Eigen::Vector2d> initial_com;  ///< m, CoM xy at the start; default: stance centre
};

/// What the robot is doing at a time.
enum class WalkPhase {
  kStanding,       ///< before start_time or after end_time: both feet down, CoM still
  kDoubleSupport,  ///< both feet down, weight moving between them
  kLeftSwing,      ///< left foot in the air, standing on the right
  kRightSwing,     ///< right foot in the air, standing on the left
};

/// "standing", "double_support", "left_swing" or "right_swing".
const char* WalkPhaseName(WalkPhase phase);

/// The walking reference at one time.
struct WalkingSample {
  double time = 0;                                             ///< s
  Eigen::Vector3d com_position = Eigen::Vector3d::Zero();      ///< m; z = z_c (+ ground height)
  Eigen::Vector3d com_velocity = Eigen::Vector3d::Zero();      ///< m/s; z = 0
  Eigen::Vector3d com_acceleration = Eigen::Vector3d::Zero();  ///< m/s^2; z = 0
  Eigen::Vector2d zmp = Eigen::Vector2d::Zero();            ///< m, cart-table ZMP of the CoM motion
  Eigen::Vector2d zmp_reference = Eigen::Vector2d::Zero();  ///< m, the ZMP the CoM was planned for
  FootState left;                          ///< desired left sole pose, velocity, acceleration
  FootState right;                         ///< desired right sole pose, velocity, acceleration
  bool left_in_contact = true;             ///< left foot on the ground
  bool right_in_contact = true;            ///< right foot on the ground
  WalkPhase phase = WalkPhase::kStanding;  ///< current phase
  /// Step swinging now, or the next to lift off in double support; steps.size() after
  /// the last touch-down; 0 before the start.
  int step_index = 0;
  double phase_fraction = 0;  ///< progress through the current phase, [0, 1)
};

/// A precomputed walking reference; immutable, so Sample may be called from any thread.
class WalkingPattern {
 public:
  /// Precomputes the pattern of a timed plan (see AssignBeatTimes): needs start_time <=
  /// first lift-off, lift-off < touch-down for each step, touch-downs no later than the
  /// next lift-off, and end_time >= the last touch-down; throws yangbot::Error otherwise.
  explicit WalkingPattern(const FootstepPlan& plan, const WalkingPatternParams& params = {});

  /// The reference at time t (s); any t, cheap (no allocation), deterministic.
  WalkingSample Sample(double t) const;
  /// Sample(t), bit for bit, its lookups started from and left in `cursor` (liftoff,
  /// zmp_knot; see reference_cursor.h).
  WalkingSample Sample(double t, ReferenceCursor* cursor) const;
  /// The reference ZMP (m, xy) at time t (s).
  Eigen::Vector2d ZmpReference(double t) const;

  /// s, the walk starts (CoM still before).
  double start_time() const { return plan_.start_time; }
  /// s, the walk has ended (CoM held still after).
  double end_time() const { return plan_.end_time; }
  /// The timed plan, with yaws unwrapped to be continuous.
  const FootstepPlan& plan() const { return plan_; }
  /// The settings.
  const WalkingPatternParams& params() const { return params_; }
  /// The preview gains used.
  const ZmpPreviewGains& gains() const { return gains_; }
  /// The precomputed CoM samples, one per dt from start_time.
  const ComTrajectory& com_trajectory() const { return com_; }
  /// The stance before step i (0..steps): plan().StanceAfter(i) without the walk over
  /// the steps.
  const Stance& StanceBefore(int i) const { return stances_[i]; }

 private:
  struct ZmpKnot {
    double time;
    Eigen::Vector2d zmp;
  };

  FootState StandingFoot(const Pose2& pose) const;
  // ZmpReference(t), its knot lookup started from and left in *hint.
  Eigen::Vector2d ZmpReference(double t, std::size_t* hint) const;
  void SampleCom(double t, WalkingSample* out) const;

  FootstepPlan plan_;
  WalkingPatternParams params_;
  ZmpPreviewGains gains_;
  Eigen::Vector2d initial_com_ = Eigen::Vector2d::Zero();
  std::vector<Stance> stances_;          // stance before step i (size N + 1)
  std::vector<SwingTrajectory> swings_;  // swing of step i (size N)
  std::vector<double> liftoffs_;         // lift-off time of step i (size N)
  std::vector<ZmpKnot> zmp_knots_;       // piecewise-linear ZMP reference, by time
  ComTrajectory com_;
};

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_WALKING_PATTERN_H_
