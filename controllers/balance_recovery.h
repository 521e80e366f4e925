// Push recovery by stepping, driven by the capture point (divergent component of motion).
//
// Linear inverted pendulum: with the CoM c at height z above the floor, w = sqrt(g / z),
// the capture point xi = c + c_dot / w obeys xi_dot = w (xi - p), p the centre of
// pressure. Ankle torque can hold p anywhere inside the support polygon; once xi leaves
// it the robot can only be saved by moving the support: a step.
//
// H1 legs have no ankle roll (see the 5-DoF leg trap in NOTES.md): a flat foot only moves
// in its own sagittal plane and the feet stay hip-width apart, so the only recovery steps
// are forward or backward along the foot's heading. Sideways pushes are absorbed without
// stepping (the stance is 0.4 m wide; the QP and the feet's edges hold them).
//
// Lifecycle (one BalanceRecovery per controller, part of its clonable state):
//   kIdle:   watch xi; step when it passes the support's front or back edge (in the
//            heading frame of the feet) and differs from the reference's capture point
//            by more than trigger_dcm_error (so planned walking motion never triggers it).
//   kSwing:  the foot that lies behind along the push lifts at once and swings
//            (SwingTrajectory) along its own heading to where xi will be at touch-down,
//            predicted with the stance foot's centre of pressure at its edge:
//            xi(T) = p + (xi - p) e^{w T}. The landing point is re-planned every tick
//            until replan_fraction of the swing, then frozen. The CoM is asked to move as
//            that pendulum does (sagittally) and to stay between the feet (laterally).
//   kSettle: both feet down; the CoM is brought to rest between them. If xi leaves the
//            new support again, the other foot steps (back to kSwing).
//            While xi still runs past the front foot's centre, the rear foot steps
//            through (another kSwing), which usually ends in a square stance again;
//            after a forward step, also while the feet are more than max_stagger apart.
// It rewrites the reference only while not idle; `finished` tells the caller that a
// recovery ended (a standing controller then re-latches its stance). Stance feet are held
// where they were put down, at the floor's height, not where they are measured: a foot
// that lifts shows as off its reference (WholeBodyGains::recovery_lifted_foot_tolerance).
// The floor's height is the lower sole's when the recovery starts; landings aim at it.
//
// Line soles (H1's narrow rolling feet) support the CoP only along each sole's line, but
// the leg may put the foot anywhere: steps go in any direction, chosen from the DCM in
// the plane. The support is the convex hull of the stance lines; a step starts when xi
// leaves it (and the reference's xi) by the margins above. The predicted xi at touch-down
// is xi(T) = p + (xi - p) e^{w T} with p the point of the stance line nearest xi (the CoP
// a line can hold), and the foot lands landing_offset beyond it along the fall, within
// line_max_forward / max_backward along the feet's heading and line_min_width..line_max_width
// across it on its own side (no crossing; up to line_open_max_width away from the
// neighbours). Each foot is tried as the swing foot and the
// one whose landing falls least short of its capture target steps; a step that follows a
// recovery step is the other foot's (the one that just landed carries the weight). In single support the
// CoM reference falls as that pendulum does (in the plane); after touch-down it is held
// at the middle of the feet, and if xi leaves the new support the other foot steps too.
// Near other robots (BalanceInput::neighbours, from the show's supervisor) a line-sole
// capture step keeps clear of them: when a neighbour lies within neighbour_clearance of
// where the fall carries xi or of the stance centre the step makes, the swing is quick
// and lands line_crowded_offset beyond xi (it runs less far), the foot whose stance centre
// keeps clearer steps unless its landing falls shorter by more, and the foot lands wider
// on its own side where that moves the stance centre clear.
#ifndef YANGBOT_CONTROLLERS_BALANCE_RECOVERY_H_
#define YANGBOT_CONTROLLERS_BALANCE_RECOVERY_H_

#include <Eigen/Core>
#include <array>
#include <span>
#include <vector>

#include "controllers/reference.h"
#include "controllers/swing_trajectory.h"

namespace yangbot {

/// Support rectangle of one sole, in the sole frame (x forward, y left), m.
struct SoleRectangle {
  double x_min = -0.1, x_max = 0.1, y_min = -0.03, y_max = 0.03;
  /// Line soles with a toe bar (the public H1's feet): a rolled foot rests on its heel and
  /// one toe-bar end, so its CoP line runs from the heel (x = heel, m) across by toe_slope
  /// (m/m) toward the side it rolls to; both 0 for a plain capsule or a box.
  double heel = 0, toe_slope = 0;
};

/// Parameters of the stepping recovery (see controllers/README.md).
struct BalanceRecoveryParams {
  bool enabled = true;              ///< false: never step
  double trigger_margin = 0.0;      ///< m, how far xi may pass the CoP limit before a step
  double trigger_dcm_error = 0.04;  ///< m, and how far it must be from the reference's xi
  double swing_duration = 0.25;     ///< s, lift-off to touch-down
  double swing_height = 0.05;       ///< m, apex above the floor
  /// m, landing ahead of the stance foot (sole centres): with 0.25 s swings a step of
  /// 0.3 m captures xi only up to ~0.34 m ahead of the stance foot, short of where a
  /// 30 N·s push while walking sends it (the push sweeps are in NOTES.md).
  double max_forward = 0.40;
  /// m, landing behind the stance foot: the least backward falls over 30 N·s pushes on
  /// seeds 1-20 (NOTES.md).
  double max_backward = 0.38;
  double landing_offset = 0.03;     ///< m, landing sole centre ahead of the predicted xi
  double replan_fraction = 0.6;     ///< of the swing, after which the landing is frozen
  double settle_time = 0.8;         ///< s after touch-down before the recovery ends
  double settle_speed = 0.08;       ///< m/s, CoM speed below which the robot has settled
  double double_support = 0.05;     ///< s on both feet before a step-through step
  double step_through_margin = 0.05;  ///< m: step the rear foot up while xi is beyond the front sole centre minus this
  /// m: after a forward step, the rear foot steps up whenever the feet are further apart
  /// than this along the heading (max_forward 0.4 alone: a pushed pair and a cross-stepping
  /// robot, each pushed 30 N·s while standing, fell from the 38 cm stagger it left).
  double max_stagger = 0.30;
  /// m, line soles: least distance across the stance heading between the feet after a step
  double line_min_width = 0.18;
  /// m, line soles: how far xi may pass the support of both feet before a step (a hull
  /// of two staggered lines leaves gaps a settling xi grazes; those stepped on and on)
  double line_trigger_margin = 0.0;
  /// m, line soles: most distance across it. A robot pushed sideways 30 N·s while walking
  /// 0.5 m/s needs this reach: shorter steps land short of xi, one after another, and the
  /// robot shuffles sideways until it falls (NOTES.md has the sweep).
  double line_max_width = 0.75;
  /// m, line soles with a toe bar (the stock-layout H1): added to line_max_width. Its
  /// trailing foot's capture steps land 2-4 cm inside where they are aimed (the capsule
  /// sole's 1 cm), so pushed sideways while walking it needs the wider reach, or each
  /// outer landing falls short of xi and the robot shuffles outward until it falls. The
  /// project's robot gets that reach only away from the neighbours (line_open_max_width):
  /// beside a neighbour a step that wide can carry a pushed robot into saturated torques
  /// (NOTES.md "Line-foot gait").
  double line_toe_bar_extra_width = 0.05;
  /// m, line soles: most distance across the heading between the feet after a step away
  /// from the neighbours: neither crowded (line_crowded_lookahead) nor making a stance
  /// centre within neighbour_clearance of one (always when none is known). Pushed
  /// sideways while walking, the project's robot needs it as the stock H1 does: within
  /// line_max_width some outer landings fall short of xi. Near a neighbour, where a step
  /// that wide can carry a pushed robot into saturated torques and a fall, or on a crowded
  /// step, the step stays within line_max_width.
  double line_open_max_width = 0.8;
  /// s, line soles: lift-off to touch-down; short, so that a capture step lands before xi
  /// runs past its reach (tuned with line_max_forward, NOTES.md).
  double line_swing_duration = 0.2;
  /// m, line soles: landing ahead of the stance foot. A walk at 0.5 m/s pushed 30 N·s
  /// forward runs at 1.1 m/s: shorter steps land behind xi step after step and the robot
  /// runs away.
  double line_max_forward = 0.6;
  /// m, line soles in the reference's single support: the swinging foot is taken over
  /// (landed from the DCM on a swing of line_swing_duration) once xi is this far from the
  /// reference's xi (the landing law's shift alone then lands too late).
  double line_takeover_error = 0.2;
  /// m, line soles in the reference's single support: the swinging foot is also taken over
  /// once xi is this far from the reference's across the stance sole toward the stance
  /// foot's side, where the swinging foot cannot catch it (it lands beside the stance foot
  /// at once, and the stance foot steps out). Smaller values take over unpushed swings of
  /// the stock-layout H1 (toe-bar soles) walking 1 m/s.
  double line_takeover_across = 0.12;
  /// s, a taken-over swing whose landing the limits cut by more than line_quick_shortfall
  /// lands this soon (low, apex line_quick_apex), so that the other foot steps sooner.
  double line_quick_swing = 0.12;
  double line_quick_shortfall = 0.05;  ///< m, see line_quick_swing
  double line_quick_apex = 0.01;       ///< m, see line_quick_swing
  /// m, line soles in the reference's double support with a planned step ahead: what the
  /// landing law can still take up at that step's touch-down (its reach, FootPlacement's
  /// max_shift, over 1 + landing_gain). A capture step starts only once the DCM error
  /// predicted for the touch-down exceeds it (see LineStepOutrun).
  double line_step_reach = 0.26;
  /// m, line soles: pelvis to pelvis distance a capture step keeps from the other robots
  /// (BalanceInput::neighbours) where it can. Among landings that capture the DCM (the
  /// foot that steps, a share across the fall) the one whose stance centre stays furthest
  /// inside this clearance wins; kMinRobotDistance (0.6 m) plus a margin for the arms.
  double neighbour_clearance = 0.9;
  /// m, line soles: most a capture step near a neighbour lands wider than its capture
  /// needs, away from its stance foot (tried in line_widen_step steps).
  double line_max_widen = 0.3;
  double line_widen_step = 0.1;  ///< m, see line_max_widen
  /// m, line soles: a neighbour within neighbour_clearance of the stance centre a capture
  /// step makes, or of the point this far beyond xi along the fall, makes the step quick
  /// (line_quick_swing: xi runs less far before it lands) and land line_crowded_offset
  /// beyond xi instead of landing_offset (xi is stopped sooner, with fewer steps).
  double line_crowded_lookahead = 0.3;
  double line_crowded_offset = 0.1;  ///< m, see line_crowded_lookahead
};

/// What the recovery needs to know each tick (measured, world frame).
struct BalanceInput {
  double time = 0;                                        ///< s
  Eigen::Vector3d com = Eigen::Vector3d::Zero();          ///< m
  Eigen::Vector3d com_velocity = Eigen::Vector3d::Zero(); ///< m/s
  double omega = 3.3;                                     ///< 1/s, sqrt(g / CoM height)
  std::array<Eigen::Vector3d, 2> sole{Eigen::Vector3d::Zero(), Eigen::Vector3d::Zero()};  ///< m, sole centres (0 left, 1 right)
  std::array<double, 2> sole_yaw{};                       ///< rad, sole headings
  /// s, line soles following a plan: the plan's next touch-down (<= time: none ahead, the
  /// plan stands)
  double next_touchdown = -1;
  /// m, the other robots' pelvises (world plane; ReferenceFollower::set_neighbours): line
  /// soles' capture steps land clear of them. Empty: none known.
  std::span<const Eigen::Vector2d> neighbours;
};

/// Capture-point stepping controller; rewrites the whole-body reference while active.
class BalanceRecovery {
 public:
  enum class Phase { kIdle, kSwing, kSettle };

  BalanceRecovery() = default;
  /// `soles`: support rectangles of the left and right sole (what the CoP may use).
  /// `line_soles`: the soles are lines (steps in any direction, see the file comment).
  BalanceRecovery(const BalanceRecoveryParams& params, const std::array<SoleRectangle, 2>& soles,
                  bool line_soles = false);

  /// Advances the recovery with this tick's measurement and, while recovering, rewrites
  /// `ref` (feet, contact flags, CoM). Returns true when a recovery ended this tick.
  bool Update(const BalanceInput& in, RobotReference* ref);

  /// Current phase.
  Phase phase() const { return phase_; }
  /// Recovery steps taken (squaring-up steps not counted).
  int steps() const { return steps_; }
  /// m, where the last recovery step was planned to land (sole centre, world).
  const Eigen::Vector3d& last_landing() const { return landing_; }
  /// m, capture point of the last tick (world, floor plane).
  const Eigen::Vector2d& capture_point() const { return xi_; }

 private:
  // Starts a swing of foot `side` at in.time toward `target` (computed by Plan).
  void StartSwing(const BalanceInput& in, int side, double duration, double height,
                  const Eigen::Vector3d& target);
  // Holds stance foot `side` at this pose (sole centre, heading) until it next swings.
  void Hold(int side, const Eigen::Vector3d& position, double yaw);
  // Landing point of foot `side` so that xi lands on it after `remaining` seconds,
  // with the stance foot's CoP at its edge in the direction of travel.
  Eigen::Vector3d PlanLanding(const BalanceInput& in, int side, double remaining) const;
  // Whether xi lies beyond the front or back CoP limit of the support; sets *forward.
  bool CaptureOutside(const BalanceInput& in, bool both_feet, int stance, bool* forward) const;
  // Where the CoM can come to rest after a recovery step (floor plane, world).
  Eigen::Vector2d SettlePoint(const BalanceInput& in) const;
  // Heading unit vector of the feet (mean yaw).
  Eigen::Vector2d Heading(const BalanceInput& in) const;
  // Line soles: corners of the support of both feet, or of foot `stance` alone (world plane).
  std::vector<Eigen::Vector2d> Support(const BalanceInput& in, bool both_feet, int stance) const;
  // Line soles: whether xi lies outside the support by trigger_margin; sets *direction to
  // the unit vector from the support to xi.
  bool CaptureOutsideLine(const BalanceInput& in, bool both_feet, int stance, Eigen::Vector2d* direction) const;
  // Line soles: landing of foot `side` (sole centre) for xi to be captured after
  // `remaining` s, `widen` m further out across the heading on the foot's own side (xi
  // stays between the feet; the stance centre moves half as far); *shortfall: m the
  // limits cut off the capture target.
  Eigen::Vector3d PlanLineLanding(const BalanceInput& in, int side, double remaining, double widen,
                                  double* shortfall) const;
  // m, line soles: most distance across the heading between the feet after a step
  // (line_max_width, plus line_toe_bar_extra_width for toe-bar soles).
  double LineMaxWidth() const;
  // m `point` (world plane) comes within neighbour_clearance of the neighbours, summed.
  double NeighbourIntrusion(const BalanceInput& in, const Eigen::Vector2d& point) const;
  // NeighbourIntrusion of the stance centre between `landing` and stance foot 1 - `side`.
  double StanceIntrusion(const BalanceInput& in, int side, const Eigen::Vector3d& landing) const;

  // Line soles, double support, a planned step ahead: whether the DCM error predicted at
  // the step's touch-down exceeds line_step_reach. With the CoP held at the support's
  // point nearest xi (p; the plan's own at p_ref, nearest its xi_ref), the error e obeys
  // e_T = d + (e - d) e^{w (t_td - t)}, d = p - p_ref: the share of the error the support
  // cannot cover grows until the planned foot lands.
  bool LineStepOutrun(const BalanceInput& in, const Eigen::Vector2d& xi_ref) const;

  BalanceRecoveryParams params_;
  std::array<SoleRectangle, 2> soles_{};
  bool line_soles_ = false;
  Phase phase_ = Phase::kIdle;
  int swing_side_ = 0;
  bool forward_ = true;          // direction of the current recovery
  Eigen::Vector2d direction_ = Eigen::Vector2d::UnitX();  // line soles: unit direction of the fall
  double widen_ = 0;             // line soles: m the current step lands wider (PlanLineLanding)
  bool crowded_ = false;         // line soles: the current step is near a neighbour (line_crowded_lookahead)
  SwingTrajectory swing_;
  double phase_start_ = 0;       // s
  Eigen::Vector3d landing_ = Eigen::Vector3d::Zero();
  Eigen::Vector2d xi_ = Eigen::Vector2d::Zero();
  Eigen::Vector3d com_hold_ = Eigen::Vector3d::Zero();  // CoM target while settling
  std::array<Eigen::Vector3d, 2> hold_{Eigen::Vector3d::Zero(), Eigen::Vector3d::Zero()};  // stance feet (sole centres)
  std::array<double, 2> hold_yaw_{};  // rad, their headings
  double ground_ = 0;                 // m, floor height under the feet (sole centres)
  int steps_ = 0;
};

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_BALANCE_RECOVERY_H_
