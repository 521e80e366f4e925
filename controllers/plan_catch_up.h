// Rejoining the plan after recovery steps (controllers/README.md "Push recovery"): the
// plan is followed shifted to where each foot landed, each foot's shift shrinking by
// catch_up_step at every step the plan takes (blended in over catch_up_blend of its
// swing), the CoM shifted with the feet as the plan places it between them. A stagger the
// plan does not have is squared up by the rear foot first (the front foot held down). When
// the plan stands still long enough, or travels with a foot more than
// catch_up_walk_preempt off, box feet walk back by themselves (quick steps of the show's
// gait, a WalkingPattern followed for the legs, CoM and heading while the upper body keeps
// dancing). Line feet walk back with their own gait (controllers/line_foot_gait.h) at once:
// from where the recovery left them to the plan's stance at its next standstill that
// lasts past the walk's arrival, touch-downs on the plan's beat grid, with shorter steps
// where the gait's own would get ahead of the plan on its way there (a formation change),
// the landing law following that walk (walk()); the plan's own steps, shifted, are the
// fallback when no such walk is found.
#ifndef YANGBOT_CONTROLLERS_PLAN_CATCH_UP_H_
#define YANGBOT_CONTROLLERS_PLAN_CATCH_UP_H_

#include <Eigen/Core>
#include <array>
#include <memory>
#include <optional>
#include <span>

#include "controllers/footstep_planner.h"
#include "controllers/reference.h"
#include "controllers/step_rhythm.h"
#include "controllers/whole_body_gains.h"

namespace yangbot {

/// One planned step of a foot catching up with its plan after recovery steps (offsets are
/// the foot's plane offset from the plan's foot, m).
struct CatchUpStep {
  bool hold = false;  ///< the foot stays down through this planned step
  Eigen::Vector2d land_offset = Eigen::Vector2d::Zero();  ///< its offset once it lands
};

/// The catch-up rule at a foot's planned lift-off (`offset` its offset, `other_offset` the
/// standing foot's, `yaw` its planned heading): catch_up_step nearer the plan's landing,
/// a stagger the plan does not have squared up first. Along its heading it lands at most
/// catch_up_walk_reach ahead of (reach_back behind) the other foot's offset, moving at
/// most catch_up_walk_along; a foot already further ahead than that is held down so that
/// the rear foot squares the stagger up at its own step.
CatchUpStep PlanCatchUpStep(const Eigen::Vector2d& offset, const Eigen::Vector2d& other_offset, double yaw,
                            const WholeBodyGains& gains);

/// Whether the catch-up walk `walk` (timed, from the feet where the recovery left them)
/// gets ahead of its plan `plan` on the way to the plan's standstill that it ends at:
/// along the line from where the plan stands at `t` (s) to the walk's end, the walk's
/// stance centre after any of its steps lies more than `margin` (m) further on than the
/// plan's stance centre at that step's touch-down, or than the feet's start lay (a robot
/// pushed ahead may stay that far ahead while it walks back). The plan that walks to a
/// formation's slot at the formation's pace keeps its neighbours clear; a walk at the
/// gait's own pace straight to that slot cuts through them.
bool WalkGetsAheadOfPlan(const ReferenceSource& plan, double t, const FootstepPlan& walk, double margin);

/// The foot a catch-up walk from `start` lifts first near other robots (`neighbours`,
/// their pelvises, m, world plane): the foot nearer one, when it stands within `clearance`
/// (m) of it, so that the walk's first weight shift goes onto the foot further from it;
/// none (the walk's own choice) when both feet stand clear. Lifting the far foot first
/// would sway the pelvis over the near foot, toward a neighbour that may be swaying
/// toward it on its own walk.
std::optional<Foot> FirstFootNearNeighbours(const Stance& start, std::span<const Eigen::Vector2d> neighbours,
                                            double clearance);

/// The catch-up of one robot (part of its controller's clonable state).
class PlanCatchUp {
 public:
  PlanCatchUp() = default;
  /// `line_feet`: the robot's soles are lines (see the file comment).
  PlanCatchUp(const WholeBodyGains& gains, bool line_feet);

  /// Starts catching up: `plan` is the plan sampled now, `feet` the sole centres (m,
  /// world plane, left and right) where the recovery left them.
  void Start(const RobotReference& plan, const std::array<Eigen::Vector2d, 2>& feet);
  /// Stops catching up (a new plan was spliced in).
  void Stop();
  /// Whether it is catching up (feet or CoM shifted from the plan's, or a walk under way).
  bool active() const { return active_; }
  /// Shifts `ref`, the plan `source` sampled at `t` (s), to where the catch-up has the
  /// feet and CoM now; ends the catch-up once both offsets are gone. `rhythm` tells
  /// whether the plan travels (a far-off foot then walks back at once). `neighbours`: the
  /// other robots' pelvises (m, world plane; ReferenceFollower::set_neighbours), which a
  /// line-foot walk's first step keeps its weight away from (FirstFootNearNeighbours).
  void Apply(const ReferenceSource& source, double t, StepRhythm* rhythm, RobotReference* ref,
             std::span<const Eigen::Vector2d> neighbours = {});
  /// m, each foot's offset from the plan once its current or next step lands (world plane).
  const std::array<Eigen::Vector2d, 2>& land_offset() const { return land_offset_; }
  /// The catch-up walk under way (legs, CoM and heading follow it), or null.
  const std::shared_ptr<const ReferenceSource>& walk() const { return walk_; }

 private:
  // While the plan stands still from t long enough: plans quick steps from the shifted
  // feet to the plan's (catch_up_walk_*); whether it did. `shifted` is this tick's
  // reference as shifted by Apply.
  bool PlanWalk(const ReferenceSource& source, double t, StepRhythm* rhythm, const RobotReference& shifted);
  // Line feet: plans a walk of the line-foot gait from the shifted feet to the plan's
  // stance at its next standstill lasting line_walk_stand beyond the walk's last
  // touch-down; whether it did. Near `neighbours` its first step lifts the nearer foot.
  bool PlanLineWalk(const ReferenceSource& source, double t, StepRhythm* rhythm, const RobotReference& shifted,
                    std::span<const Eigen::Vector2d> neighbours);

  WholeBodyGains gains_;
  bool line_feet_ = false;
  bool active_ = false;
  // Per foot: the plane offset of its reference from the plan's now, at its lift-off, at
  // its landing, and when it lifted (-1: on the ground).
  std::array<Eigen::Vector2d, 2> foot_offset_{Eigen::Vector2d::Zero(), Eigen::Vector2d::Zero()};
  std::array<Eigen::Vector2d, 2> lift_offset_{Eigen::Vector2d::Zero(), Eigen::Vector2d::Zero()};
  std::array<Eigen::Vector2d, 2> land_offset_{Eigen::Vector2d::Zero(), Eigen::Vector2d::Zero()};
  std::array<double, 2> lifted_at_{-1, -1};
  // A front foot kept down through its planned step (a stagger is squared up by the rear
  // foot), and where.
  std::array<bool, 2> held_{false, false};
  std::array<FootReference, 2> held_pose_{};
  // The catch-up walk under way (legs, CoM and pelvis heading come from it; null: none),
  // the foot offsets it leaves, and when the plan is next looked at for one.
  std::shared_ptr<const ReferenceSource> walk_;
  std::array<Eigen::Vector2d, 2> walk_final_offset_{Eigen::Vector2d::Zero(), Eigen::Vector2d::Zero()};
  double walk_next_look_ = 0;
  // The last walk was a squaring step alone (near a neighbour), and the feet's headings
  // it left (left, right; rad): the next walk starts from them.
  bool squared_ = false;
  std::array<double, 2> squared_yaw_{0, 0};
};

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_PLAN_CATCH_UP_H_
