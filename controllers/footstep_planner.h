// Footstep plans for a biped: where each foot lands, in order, from a start stance.
//
// Walking plans (forward, backward, sideways, turning, arcs, any relative pose) move a
// "stance centre" frame along a path C(s), s in [0, 1], and land each foot at its
// nominal place C(s) + (0, +-width/2) in that frame, choosing for every step the
// furthest s the step limits allow (bisection on s). Feet alternate; the plan ends
// with both feet at their nominal places about the goal, so it reaches the goal
// exactly. Step sizes are then evened out: the limits are scaled down to the smallest
// fraction that keeps the same number of steps. A start stance that is itself outside
// the limits (say, feet closer than min_separation) is squared up by the first steps.
//
// Step limits are on the landing pose of the swing foot expressed in the frame of the
// support (stance) foot, mirrored for a right swing so that +y and +yaw point outward:
//   -max_backward <= dx <= max_forward   (dx along the mean heading of the feet when
//                                         reach_between_headings is set)
//   min_separation <= dy <= nominal_width + max_lateral       (waived for cross steps)
//   -max_turn_in <= dyaw <= max_turn                          (+: toe out)
// and the two footprints (foot_length x foot_width boxes) must keep `clearance`
// apart. Explicit steps (dance figures) are checked against the same limits; a step
// marked allow_cross may land on the far side of the support foot.
//
// Yaw angles in plans are continuous (not wrapped), so interpolation never jumps.
#ifndef YANGBOT_CONTROLLERS_FOOTSTEP_PLANNER_H_
#define YANGBOT_CONTROLLERS_FOOTSTEP_PLANNER_H_

#include "controllers/angles.h"
#include <optional>
#include <string>
#include <vector>

namespace yangbot {

/// Which foot.
enum class Foot { kLeft, kRight };

/// The other foot.
inline Foot OtherFoot(Foot foot) { return foot == Foot::kLeft ? Foot::kRight : Foot::kLeft; }
/// "left" or "right".
const char* FootName(Foot foot);

/// A planar pose: position (m) and heading (rad) about the vertical.
struct Pose2 {
  double x = 0;    ///< m
  double y = 0;    ///< m
  double yaw = 0;  ///< rad
};

/// `local` given in the frame of `frame`, expressed in the world: frame (+) local.
Pose2 ComposePose(const Pose2& frame, const Pose2& local);
/// `pose` expressed in the frame of `frame`: frame^-1 (+) pose (yaw difference wrapped).
Pose2 RelativePose(const Pose2& frame, const Pose2& pose);

/// Poses of both feet (sole centres on the ground).
struct Stance {
  Pose2 left;   ///< left foot pose
  Pose2 right;  ///< right foot pose

  /// Pose of `foot`.
  const Pose2& foot(Foot which) const { return which == Foot::kLeft ? left : right; }
  /// Mutable pose of `foot`.
  Pose2& foot(Foot which) { return which == Foot::kLeft ? left : right; }
  /// Stance centre: midpoint of the feet (m), heading halfway between their yaws (rad).
  Pose2 Center() const;
  /// Feet at (0, +-width/2) in the frame `center`; width in m.
  static Stance FromCenter(const Pose2& center, double width);
};

/// One step: the swing foot, where it lands and (once timed) when it moves.
struct Footstep {
  Foot foot = Foot::kLeft;   ///< the swing foot
  Pose2 pose;                ///< landing pose of the swing foot, world (m, m, rad)
  bool allow_cross = false;  ///< may land across the support foot (dance cross steps)
  double beats = 0;          ///< step duration in beats; 0: the timing's 1 / steps_per_beat
  double swing_height = 0;   ///< m, apex height of this swing; 0: the pattern's default
  // Filled in by AssignBeatTimes (controllers/step_timing.h):
  double touchdown_beat = 0;  ///< beats after the timing's start_time at which it lands
  double liftoff_time = 0;    ///< s, the swing foot leaves the ground
  double touchdown_time = 0;  ///< s, the swing foot lands (on a beat)
};

/// A sequence of footsteps from a start stance, with the timing of the whole walk.
struct FootstepPlan {
  Stance start;                 ///< stance before the first step
  std::vector<Footstep> steps;  ///< steps in order (any number, feet need not alternate)
  double start_time = 0;        ///< s, the walk begins (weight shift); set by the timing
  double end_time = 0;          ///< s, the walk has come to rest; set by the timing

  /// Stance after the first `count` steps (count clamped to [0, steps.size()]).
  Stance StanceAfter(int count) const;
  /// Stance after the last step.
  Stance Final() const { return StanceAfter(static_cast<int>(steps.size())); }
  /// Appends the steps of `next` (which should start from Final()); time the result
  /// afterwards (AssignBeatTimes), as the appended steps keep their old times.
  void Append(const FootstepPlan& next);
};

/// Step limits; see the file comment for the frame they are measured in.
struct FootstepLimits {
  double max_forward = 0.25;     ///< m, landing ahead of the support foot
  double max_backward = 0.15;    ///< m, landing behind the support foot
  double max_lateral = 0.12;     ///< m, outward beyond the nominal width
  double min_separation = 0.16;  ///< m, lateral distance between foot centres (not for cross steps)
  double max_turn = 0.3;         ///< rad, toe-out yaw relative to the support foot
  double max_turn_in = 0.1;      ///< rad, toe-in yaw relative to the support foot
  double foot_length = 0.22;     ///< m, footprint box length (along the foot)
  double foot_width = 0.08;      ///< m, footprint box width
  double clearance = 0.01;       ///< m, least gap between the two footprints
  /// Measure dx along the heading halfway between the support and the landing foot (the
  /// pelvis's at the touch-down) instead of the support foot's. A turning step's support
  /// frame lags half the turn, which overstates the outer foot's reach on an arc: 0.5 rad
  /// steps on a 1 m arc at 0.3 m width reach 0.55 m in the support frame, 0.49 m between.
  bool reach_between_headings = false;
};

/// Planner settings.
struct FootstepPlannerParams {
  FootstepLimits limits;       ///< step limits
  double nominal_width = 0.2;  ///< m, lateral distance between foot centres when standing
  bool even_steps = true;      ///< shrink the limits to even out step sizes (same step count)
  int max_steps = 2000;        ///< a plan needing more steps throws yangbot::Error
  /// The foot that takes a walk's first step. None: the one that needs fewer steps (on a
  /// tie, the foot on the side the walk goes to). Set: that foot, as long as it can walk
  /// the path (a walk appended to another keeps the feet alternating).
  std::optional<Foot> first_foot;
};

/// Frame an ExplicitStep's pose is given in.
enum class StepFrame {
  kWorld,          ///< world frame
  kStartStance,    ///< frame of the plan's start stance centre (dance floor pattern)
  kBesideSupport,  ///< frame of the swing foot's nominal place beside the support foot
};

/// A footstep given by hand, e.g. a figure of a dance.
struct ExplicitStep {
  Foot foot = Foot::kLeft;  ///< the swing foot
  Pose2 pose;               ///< landing pose (m, m, rad) in `frame`
  StepFrame frame =
      StepFrame::kBesideSupport;  ///< frame of `pose`; {} beside support = feet together
  bool allow_cross = false;       ///< may land across the support foot
  double beats = 0;               ///< step duration in beats; 0: default
  double swing_height = 0;        ///< m, apex height; 0: default
};

/// Plans footsteps within step limits. Stateless apart from its parameters.
class FootstepPlanner {
 public:
  /// A planner with the given parameters.
  explicit FootstepPlanner(const FootstepPlannerParams& params = {});

  /// The parameters in use.
  const FootstepPlannerParams& params() const { return params_; }

  /// Walks to a goal stance centre (world pose): straight line, yaw turned uniformly on
  /// the way (omnidirectional). The first foot is the one giving fewer steps.
  FootstepPlan PlanToPose(const Stance& start, const Pose2& goal_center) const;
  /// Walks by (dx, dy) m and turns by dyaw rad, all in the start stance centre frame.
  FootstepPlan PlanRelative(const Stance& start, double dx, double dy, double dyaw) const;
  /// Walks `distance` m straight ahead (negative: backward).
  FootstepPlan PlanForward(const Stance& start, double distance) const;
  /// Walks `distance` m sideways (positive: to the left).
  FootstepPlan PlanSideways(const Stance& start, double distance) const;
  /// Turns in place by `angle` rad (positive: counter-clockwise, to the left).
  FootstepPlan PlanTurn(const Stance& start, double angle) const;
  /// Walks forward along a circular arc of `radius` m (>= 0) through `angle` rad; the
  /// heading follows the tangent. Positive angle: centre on the left (counter-clockwise).
  /// The arc keeps the turn per step the limits allow: with even_steps, the steps between
  /// the first two and the last two before the squaring step take the full limits, the
  /// last two (the stop) take what is left and the first two at least 0.9 of the limits
  /// (evening out every step shrank a 1 m half turn at 0.5 rad limits to 0.45 rad steps);
  /// arcs of fewer than 6 steps and of zero radius (turns) are evened out.
  FootstepPlan PlanArc(const Stance& start, double radius, double angle) const;
  /// Takes the given steps in order; throws yangbot::Error naming the first step that
  /// breaks the limits. Yaws are unwrapped to within pi of the foot's previous yaw.
  FootstepPlan PlanExplicit(const Stance& start, const std::vector<ExplicitStep>& steps) const;

  /// Why landing `swing` at `target` next to `support` breaks the limits, or "" if it
  /// does not; cross steps (allow_cross) skip the lateral limits but not the clearance.
  std::string CheckStep(Foot swing, const Pose2& target, const Pose2& support,
                        bool allow_cross = false) const;
  /// The first violation of the limits by any step of `plan` ("step 3 (left): ..."), or "".
  std::string CheckPlan(const FootstepPlan& plan) const;

 private:
  FootstepPlannerParams params_;
};

/// True when two foot_length x foot_width footprints at poses a and b come closer
/// than `clearance` (m) (separating-axis test on the boxes grown by clearance / 2).
bool FootprintsOverlap(const Pose2& a, const Pose2& b, double foot_length, double foot_width,
                       double clearance = 0);

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_FOOTSTEP_PLANNER_H_
