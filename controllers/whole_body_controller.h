// The whole-body controller of one robot: task-space inverse dynamics (as in TSID /
// mc_rtc), one dense QP per tick. Where each part lives:
//   the tick, in order (Compute, this file's .cc): fall detector -> reference (the plan,
//     shifted while catching up; or the latched stance) -> kinematics -> recovery steps ->
//     stance feet -> balance law (CoM task) -> QP tasks -> solve -> torques.
//   the balance law: BalanceLaw in the .cc. Box feet: a PD on the planned CoM. Line feet:
//     the DCM stabiliser (dcm_stabilizer.h) and the step-to-step landing law
//     (foot_placement.h).
//   recovery steps when the capture point leaves the support: balance_recovery.h.
//   rejoining the plan after them: plan_catch_up.h.
//   the QP's rows (tasks, contacts, limits) and the torques: whole_body_tasks.h.
//   slow steps / travel of the plan (the pelvis weights): step_rhythm.h.
//   gains and weights: whole_body_gains.h.
#ifndef YANGBOT_CONTROLLERS_WHOLE_BODY_CONTROLLER_H_
#define YANGBOT_CONTROLLERS_WHOLE_BODY_CONTROLLER_H_

#include <Eigen/Core>
#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

#include "controllers/balance_recovery.h"
#include "controllers/dcm_stabilizer.h"
#include "controllers/foot_placement.h"
#include "controllers/hanky_spinner.h"
#include "controllers/localisation.h"
#include "controllers/qp_solver.h"
#include "controllers/reference.h"
#include "controllers/reference_follower.h"
#include "controllers/robot_state.h"
#include "controllers/plan_catch_up.h"
#include "controllers/step_rhythm.h"
#include "controllers/whole_body_gains.h"
#include "controllers/whole_body_tasks.h"
#include "sim/runner.h"

namespace yangbot {

/// Options of a whole-body controller.
struct WholeBodyOptions {
  WholeBodyGains gains;
  /// The motion to follow; null: stand where the robot starts (latched at the first tick),
  /// with the sway and spin below.
  std::shared_ptr<const ReferenceSource> reference;
  double stand_sway_amplitude = 0;  ///< rad, torso twist while standing without a reference
  double stand_sway_frequency = 0.5;  ///< Hz
  double stand_hanky_rate = 0;      ///< rev/s, spin while standing without a reference
  BalanceRecoveryParams recovery;   ///< capture-point stepping
  FootPlacementParams placement;    ///< landing law of line feet
  /// Lidar localisation (controllers/localisation.h): the robot follows its plan where its
  /// own estimate puts it; the reference must be a LocalisedReference. Null: it knows
  /// where it is (perfect).
  std::shared_ptr<const LocalisationSetup> localisation;
};

/// Per-tick diagnostics (for tests, reports and the viewer).
struct WholeBodyDiagnostics {
  QpStatus qp_status = QpStatus::kOptimal;  ///< last QP outcome
  int qp_iterations = 0;                    ///< active-set changes in the last solve
  int qp_failures = 0;                      ///< ticks where the QP did not solve
  QpStatus last_failure = QpStatus::kOptimal;  ///< status of the last failed solve
  double last_failure_time = -1;               ///< s, when it happened
  Eigen::Vector3d com = Eigen::Vector3d::Zero();      ///< m, measured
  Eigen::Vector3d com_ref = Eigen::Vector3d::Zero();  ///< m, reference
  Eigen::Vector2d dcm_error = Eigen::Vector2d::Zero();  ///< m, capture point error
  Eigen::Vector2d cop = Eigen::Vector2d::Zero();       ///< m, commanded centre of pressure
  std::array<double, 2> hanky_phase_error{};           ///< rad, wrapped
  Eigen::Vector2d capture_point = Eigen::Vector2d::Zero();  ///< m, measured (floor plane)
  BalanceRecovery::Phase recovery_phase = BalanceRecovery::Phase::kIdle;  ///< stepping state
  int recovery_steps = 0;                              ///< recovery steps taken so far
  Eigen::Vector3d last_landing = Eigen::Vector3d::Zero();  ///< m, last planned recovery landing
  int64_t saturated_ticks = 0;  ///< ticks where a commanded torque reached a motor's limit
  double max_torque_ratio = 0;  ///< largest |commanded torque| / limit so far
};

/// The whole-body controller of one robot.
class WholeBodyController : public RobotController, public ReferenceFollower {
 public:
  /// Makes the controller for robot `robot` of `scene`; throws Error if the robot lacks
  /// what the controller needs (feet, torso, the 19 H1 motors).
  WholeBodyController(const Scene& scene, int robot, WholeBodyOptions options);
  std::unique_ptr<RobotController> Clone() const override;
  void Compute(const Scene& scene, int robot, const mjData& d, double* ctrl) override;
  bool fallen() const override { return fallen_; }
  ReferenceFollower* follower() override { return this; }
  const ReferenceFollower* follower() const override { return this; }
  /// Diagnostics of the last tick.
  const WholeBodyDiagnostics& diagnostics() const { return diagnostics_; }
  /// The reference sampled at the last tick.
  const RobotReference& last_reference() const { return reference_; }
  /// Replaces the motion to follow from the next tick on (the scheduler's reflow splices
  /// a new plan in this way); null: stand where the robot is at the next tick.
  void set_reference(std::shared_ptr<const ReferenceSource> reference) override {
    options_.reference = std::move(reference);
    latched_ = false;
    catch_up_.Stop();
  }
  /// The motion being followed (null while standing without one).
  const std::shared_ptr<const ReferenceSource>& reference() const override {
    return options_.reference;
  }
  /// Whether it is catching up with its plan after recovery steps (feet, CoM shifted from
  /// the plan's, or a catch-up walk under way).
  bool catching_up() const override { return catch_up_.active(); }
  bool recovering() const override {
    return diagnostics_.recovery_phase != BalanceRecovery::Phase::kIdle;
  }
  int recovery_steps() const override { return diagnostics_.recovery_steps; }
  void set_neighbours(const std::vector<Eigen::Vector2d>& pelvises) override { neighbours_ = pelvises; }
  /// Whether the soles are lines (rolling feet: DCM stabiliser and foot placement).
  bool line_feet() const { return line_feet_; }
  /// The landing law of line feet (offsets of the feet from the plan).
  const FootPlacement& placement() const { return placement_; }
  /// The last tick's QP as last solved (variables and rows: whole_body_tasks.h); the QP lives
  /// in its thread's scratch, so this holds until another controller ticks on that thread.
  const QpProblem& qp_problem() const;
  /// The robot's localiser (null with perfect localisation).
  const Localiser* localiser() const override { return localiser_ ? &*localiser_ : nullptr; }

 private:
  // m, height of the sole's lowest corner (world).
  static double SoleLowestPoint(const mjData& d, int site, const SoleRectangle& sole);
  void LatchStandingReference(const Scene& scene, int robot, const mjData& d);
  // The reference at t: the plan (shifted while catching up) or the latched stance.
  void SampleReference(double t);
  // Capture-point stepping (may take over reference_); a recovery that ends re-latches
  // the stance or starts the catch-up of the plan.
  void UpdateRecovery(const Scene& scene, int robot, const mjData& d, const WholeBodyKinematics& kin);
  // Which feet bear weight: the reference's contact flags, less a planned stance foot
  // measurably off the ground while the other one is down. Fills `stance` (its storage
  // kept between ticks).
  void StanceFeet(const mjData& d, const WholeBodyKinematics& kin, std::vector<int>* stance) const;
  // The horizontal CoM acceleration (m/s²) of the CoM task over the `stance` feet.
  Eigen::Vector2d BalanceLaw(const mjData& d, const WholeBodyKinematics& kin, const std::vector<int>& stance,
                             double gravity);
  // Line feet: the DCM stabiliser's horizontal CoM acceleration (m/s²) over the `stance`
  // soles; re-plans the swing landings (reference_) while following a plan.
  Eigen::Vector2d LineFootBalance(const mjData& d, const WholeBodyKinematics& kin, const std::vector<int>& stance,
                                  double gravity);
  void Relax(const Scene& scene, double* ctrl) const;

  // Set up once.
  WholeBodyOptions options_;
  RobotLayout layout_;
  std::array<SoleRectangle, 2> soles_{};  // what the CoP may use, sole frame
  std::array<SoleRectangle, 2> sole_extent_{};  // the collision geoms' reach, sole frame
  bool line_feet_ = false;
  PostureJoints posture_;
  std::optional<Localiser> localiser_;  // with options_.localisation
  std::array<int, 2> knee_actuators_{};  // left, right

  // State that lasts across ticks.
  bool fallen_ = false;
  bool latched_ = false;
  RobotReference latched_reference_;
  ReferenceCursor reference_cursor_;  // where last tick's sample of the plan landed in its tables
  BalanceRecovery recovery_;    // seconds-long capture steps
  PlanCatchUp catch_up_;        // seconds-long rejoin of the plan after them
  std::vector<Eigen::Vector2d> neighbours_;  // other robots' pelvises (set_neighbours)
  FootPlacement placement_;     // line feet: landing offsets from the plan
  const ReferenceSource* placement_source_ = nullptr;  // what placement_ followed last tick
  StepRhythm rhythm_;           // slow steps / travel of the plan (pelvis weights)
  HankySpinUp spin_up_;         // pins spun up ahead of the plan's spins
  JacobianHistory history_;     // last tick's Jacobians (J-dot v)
  WholeBodyDiagnostics diagnostics_;

  // Per-tick scratch (this tick's reference, state, dynamics and QP), kept to avoid
  // reallocation.
  RobotReference reference_;
  RobotState state_;
  FootTask foot_task_;
  const QpProblem* last_problem_ = nullptr;  // the last tick's QP (thread scratch; qp_problem())
  QpSolution solution_;
  Eigen::VectorXd tau_;  // nv joint torques of this tick (kept: sized once)
  std::vector<int> stance_;  // this tick's stance feet
  DcmInput dcm_input_;       // line feet: the DCM stabiliser's input (its support corners)
};

/// Factory for the runner: every robot gets a WholeBodyController with these options.
ControllerFactory MakeWholeBodyControllerFactory(const WholeBodyOptions& options = {});

/// Factory with one reference per robot (size = robot count).
ControllerFactory MakeWholeBodyControllerFactory(
    const WholeBodyOptions& options,
    std::vector<std::shared_ptr<const ReferenceSource>> references);

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_WHOLE_BODY_CONTROLLER_H_
