// Task-space inverse dynamics (as in TSID / mc_rtc), solved as one dense QP per tick.
//
// Variables: x = [qdd (nv), w_c (6 per foot in contact)], w_c the contact wrench
// (force, moment; world axes) at the sole centre. Motor torques follow from the
// dynamics: tau = (M qdd + h - sum J_c' w_c) on the actuated rows.
//
// Equalities: the unactuated floating-base rows of the dynamics (6).
// Inequalities: motor torque limits (every actuator), unilateral contact with a
//   minimum normal force, friction pyramids, centre of pressure within the sole,
//   and a bounded yaw moment (per stance foot).
// Costs (weighted least squares on accelerations, each a PD law on the reference):
//   stance feet do not accelerate (heavy, w_stance; with a damping term against slip),
//   centre of mass, swing feet (position + orientation), pelvis orientation (heading,
//   sway roll, bow pitch), joint posture (torso twist, arms, legs' nominal bend,
//   handkerchief spin phase-locked to the reference), small regularisation.
// Balance: the CoM task is a PD on the planned CoM; when the capture point leaves the
//   support, BalanceRecovery (controllers/balance_recovery.h) takes over the reference
//   and steps.
#ifndef YANGBOT_CONTROLLERS_WHOLE_BODY_CONTROLLER_H_
#define YANGBOT_CONTROLLERS_WHOLE_BODY_CONTROLLER_H_

#include <Eigen/Core>
#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "controllers/balance_recovery.h"
#include "controllers/dcm_stabilizer.h"
#include "controllers/foot_placement.h"
#include "controllers/qp_solver.h"
#include "controllers/reference.h"
#include "controllers/robot_state.h"
#include "sim/runner.h"

namespace yangbot {

/// Gains and weights of the whole-body controller (see controllers/README.md).
struct WholeBodyGains {
  double com_kp = 40;            ///< 1/s², CoM position feedback
  double com_kd = 12;            ///< 1/s, CoM velocity feedback
  double com_z_kp = 100;         ///< 1/s², CoM height feedback
  double com_z_kd = 20;          ///< 1/s
  double foot_kp = 600;          ///< 1/s², swing foot pose
  double foot_kd = 50;           ///< 1/s
  double stance_damping = 20;    ///< 1/s, stance foot velocity damping (anti-slip)
  double pelvis_kp = 300;        ///< 1/s², pelvis orientation
  double pelvis_kd = 35;         ///< 1/s
  double posture_kp = 150;       ///< 1/s², joint posture (legs, torso)
  double posture_kd = 25;        ///< 1/s
  double arm_kp = 200;           ///< 1/s², arm joints
  double arm_kd = 28;            ///< 1/s
  double hanky_kp = 400;         ///< 1/s², spin phase
  double hanky_kd = 40;          ///< 1/s, spin rate
  double w_com = 100;            ///< CoM task weight
  double w_foot = 100;           ///< swing foot task weight
  /// Stance foot weight: "a stance foot does not accelerate" (less stance_damping times its
  /// velocity) is a task this heavy, not a hard equality. H1 legs have 5 joints, so two
  /// flat feet held in 6-D leave the pelvis 4 DoF; a foot that rocks on a sole edge (at the
  /// start, after a landing) then asked for pelvis accelerations of 100+ rad/s² that the
  /// QP met by giving up the CoM task, and the torques swung between the motor limits tick
  /// to tick. As an equality robots jump at the start and shows fall; as a task of 1e3
  /// to 1e4 they do not (figures in NOTES.md).
  double w_stance = 1e4;
  double w_pelvis = 10;          ///< pelvis roll and heading weight
  /// Pelvis pitch weight (all but recovery steps). Held loosely: the pitch task fights the
  /// CoM task when the CoM has to move on over the feet (walking, 进三退一). At w_pelvis
  /// quick walks of 0.5 m out and back fell 6/6 seeds (mostly walking back), a 2:45
  /// standing show 2/4, the 60 s demo loop (one robot) 1-4/4; at 1: 0/6, 0/4, 0/6
  /// (at 2: 1/6, 2/6, 1/6; 3: 5/6, -, 1/6).
  double w_pelvis_pitch = 1;
  double w_pelvis_recovery = 100;  ///< pelvis orientation weight while stepping to recover
  /// Pelvis roll weight for slow (one-step-a-beat, rocking) steps: used from the moment
  /// the reference's double support has lasted slow_double_support until the next double
  /// support starts. Quick steps (285-300 steps/min) fall with it; the cross step at
  /// 120 bpm bounces a foot with w_pelvis (tests/controllers/yangge_steps_test.cc).
  double w_pelvis_slow_steps = 30;
  /// Pelvis heading (yaw) weight during slow steps. With staggered or non-parallel soles
  /// and no ankle roll, moving the CoM on over the feet needs a small pelvis yaw and roll:
  /// at w_pelvis_slow_steps on every axis the CoM of 进三退一 stalls 6-8 cm behind its
  /// reference and the robot falls within 6 s.
  double w_pelvis_yaw_slow_steps = 0.3;
  /// Pelvis roll weights during travelling slow steps (the reference's CoM moved more
  /// than travel_speed * travel_window between its means over the last and the coming
  /// travel_window): loose in double support, where the CoM moves on, firmer in single
  /// support, where the pelvis roll sets how the swing foot lands. Measured on 进三退一 at
  /// 120 bpm, 4 cm strides, seeds 1-8: 0 falls with (1, 5); roll 30 in both fell every seed.
  double w_pelvis_travel_double_support = 1;
  double w_pelvis_travel_single_support = 5;
  /// m each foot's offset from the plan shrinks by at each of its planned steps after
  /// recovery steps (the robot rejoins the plan's timing at once and walks back to the
  /// plan's positions with the plan's own steps, each this much longer or shorter).
  double catch_up_step = 0.05;
  /// m, line feet: catch_up_step, and how far a catching-up foot may land from the other
  /// foot's offset or move its own (catch_up_walk_reach, reach_back, along) per step.
  double line_catch_up_step = 0.15;
  double catch_up_blend = 0.15;  ///< s over which a lifted foot's target takes the new offset
  /// Catch-up walk: when the plan stands still long enough (no planned steps to shrink
  /// the offsets, e.g. a robot pushed into a 30 cm stagger before a long stretch of arm
  /// work), the robot walks back to the plan's feet in quick steps of its own (the show's
  /// walking gait, controllers/walking_reference.h) while arms, waist and handkerchiefs
  /// keep dancing; the rear foot of a stagger steps up first. A stagger left in place fell
  /// at the next planned walk (the default show, r05 pushed 30 N·s at 20 s, fell at 31-33 s).
  double catch_up_walk_reach = 0.05;   ///< m, landing ahead of the other foot
  /// m, landing behind the other foot (the quick gait walks back in short steps: with 5 cm
  /// the CoM lagged 7-12 cm behind a walk back and the capture point stepped it forward
  /// again; 2 cm keeps the CoM over the feet with held stance feet and squared staggers)
  double catch_up_walk_reach_back = 0.02;
  double catch_up_walk_along = 0.10;   ///< m, a foot's travel along its heading per step
  double catch_up_walk_across = 0.015; ///< m per step (H1 legs hardly side-step: 1 cm a step walks)
  double catch_up_walk_period = 0.2;   ///< s per step (300 steps/min)
  double catch_up_walk_apex = 0.03;    ///< m, swing apex (the show's quick steps walk at 3 cm)
  double catch_up_walk_lead = 1.0;     ///< s from planning to the first lift-off
  double catch_up_walk_settle = 1.0;   ///< s from the last touch-down to the walk's end
  /// m: a foot this far off its plan walks back even while the plan travels (进三退一,
  /// walks), its planned steps left out until the walk ends, to where the plan's feet are
  /// next both down. Travelling steps lengthened by catch_up_step fell (default show, r02
  /// pushed at 62 s); in-place dancing (the cross step) catches up better with its own
  /// steps (r05 at 20 s fell when its cross steps were left out for a walk).
  double catch_up_walk_preempt = 0.1;
  double travel_speed = 0.015;  ///< m/s, mean CoM reference speed that marks travelling
  double travel_window = 2;     ///< s
  double slow_double_support = 0.1;  ///< s, a double support this long marks slow steps
  /// rad, knees kept bent at least this much during recovery steps (a bound on their
  /// acceleration in the QP; -infinity: none). Recovery steps reaching far straightened
  /// both legs into the knee
  /// stop (-0.26 rad): the swing foot rose behind instead of swinging forward and the CoM
  /// rose 8 cm. 0.2 rad recovers the most pushes of the values measured (NOTES.md). Always
  /// on, the quick walk's landings come 47 ms off the beat (the swing knee straightens
  /// into a landing).
  double knee_min = 0.2;
  double knee_limit_horizon = 0.1;  ///< s in which the bound brings a knee to rest at knee_min
  double w_torso = 10;           ///< torso twist joint weight
  double w_legs = 0.01;          ///< leg posture weight (resolves redundancy)
  double w_arms = 5;             ///< arm joint weight
  double w_hanky = 1;            ///< spinner weight
  double w_qdd = 1e-4;           ///< acceleration regularisation
  double w_wrench = 1e-5;        ///< contact wrench regularisation
  double friction = 0.6;         ///< friction coefficient used in the pyramids (floor: 1.0)
  double min_normal_force = 10;  ///< N, per stance foot
  double sole_margin = 0.85;     ///< fraction of the sole the CoP may use
  double torque_margin = 0.98;   ///< fraction of each motor's limit the QP may use
  /// m, measured contact: a foot the reference puts on the ground whose sole is more than
  /// this above its reference height while the other foot bears weight is treated as a
  /// swing foot pulled back to its reference pose (the QP no longer counts on forces it
  /// cannot have, see controllers/README.md); <= 0: trust the reference's contact flags.
  double lifted_foot_tolerance = 0;
  /// m, the same while recovery steps rewrite the reference (stance feet held where they
  /// landed): a foot lifted more than this is put down again rather than asked for forces.
  double recovery_lifted_foot_tolerance = 0.01;
  /// Line feet (a sole narrower than line_foot_width, H1's rolling capsules): the CoM task
  /// is the DCM stabiliser (controllers/dcm_stabilizer.h) with this gain (the DCM error
  /// decays at dcm_gain * omega while the CoP is inside the support).
  double dcm_gain = 1.0;
  /// m: a sole whose contact is narrower than this over its heel half is a line (a toe
  /// bar does not count): it rolls about its long axis, so the stance and swing tasks leave that roll free, the CoP is held on the line
  /// and swing landings follow the step-to-step law (controllers/foot_placement.h).
  double line_foot_width = kLineSoleWidth;
};

/// Options of a whole-body controller.
struct WholeBodyOptions {
  WholeBodyGains gains;
  /// The motion to follow; null: stand where the robot starts (latched at the first tick),
  /// with the sway and spin below.
  std::shared_ptr<const ReferenceSource> reference;
  double stand_sway_amplitude = 0;  ///< rad, torso twist while standing without a reference
  double stand_sway_frequency = 0.5;  ///< Hz
  double stand_hanky_rate = 0;      ///< rev/s, spin while standing without a reference
  double fall_tilt = 0.8;           ///< rad: beyond this torso tilt the robot is fallen
  double fall_height = 0.55;        ///< m: below this pelvis height the robot is fallen
  BalanceRecoveryParams recovery;   ///< capture-point stepping
  FootPlacementParams placement;    ///< landing law of line feet
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
class WholeBodyController : public RobotController {
 public:
  /// Makes the controller for robot `robot` of `scene`; throws Error if the robot lacks
  /// what the controller needs (feet, torso, the 19 H1 motors).
  WholeBodyController(const Scene& scene, int robot, WholeBodyOptions options);
  std::unique_ptr<RobotController> Clone() const override;
  void Compute(const Scene& scene, int robot, const mjData& d, double* ctrl) override;
  bool fallen() const override { return fallen_; }
  /// Diagnostics of the last tick.
  const WholeBodyDiagnostics& diagnostics() const { return diagnostics_; }
  /// The reference sampled at the last tick.
  const RobotReference& last_reference() const { return reference_; }
  /// Replaces the motion to follow from the next tick on (the scheduler's reflow splices
  /// a new plan in this way); null: stand where the robot is at the next tick.
  void set_reference(std::shared_ptr<const ReferenceSource> reference) {
    options_.reference = std::move(reference);
    latched_ = false;
    catching_up_ = false;
    catch_up_walk_.reset();
  }
  /// The motion being followed (null while standing without one).
  const std::shared_ptr<const ReferenceSource>& reference() const { return options_.reference; }
  /// Whether it is catching up with its plan after recovery steps (feet, CoM shifted from
  /// the plan's, or a catch-up walk under way).
  bool catching_up() const { return catching_up_; }
  /// Whether the soles are lines (rolling feet: DCM stabiliser and foot placement).
  bool line_feet() const { return line_feet_; }
  /// The landing law of line feet (offsets of the feet from the plan).
  const FootPlacement& placement() const { return placement_; }

 private:
  struct Sole {
    double x_min, x_max, y_min, y_max;  // m, support rectangle around the sole site
    // Line soles with a toe bar (the public H1's feet): a rolled foot rests on its heel and
    // one toe-bar end, so its CoP line runs from the heel (x = heel) across by toe_slope
    // (m/m) toward the side it rolls to; 0 for a plain capsule.
    double heel = 0, toe_slope = 0;
  };
  // The slope (m/m, sole frame) of the CoP line of `sole` rolled by the sole site's frame `R`.
  static double ContactLineSlope(const Sole& sole, const Eigen::Matrix3d& R);
  // m, height of the sole's lowest corner (world).
  static double SoleLowestPoint(const mjData& d, int site, const Sole& sole);
  void LatchStandingReference(const Scene& scene, int robot, const mjData& d);
  void SampleReference(double t);
  // Recovery steps ended with the feet off the plan: follow the plan shifted to where the
  // feet are, the shift shrinking with every planned step (catch_up_step).
  void StartCatchUp(const Scene& scene, int robot, const mjData& d);
  void CatchUp(double t);
  // While the plan stands still from t long enough: plans quick steps from the shifted
  // feet to the plan's (catch_up_walk_*); whether it did.
  bool PlanCatchUpWalk(double t);
  void Relax(const Scene& scene, double* ctrl) const;
  // Line feet: the DCM stabiliser's horizontal CoM acceleration (m/s²) over the `stance`
  // soles; re-plans the swing landings (reference_) while following a plan.
  Eigen::Vector2d LineFootBalance(const mjData& d, const std::array<int, 2>& sole_site,
                                  const std::vector<int>& stance, const Eigen::Vector3d& com,
                                  const Eigen::Vector3d& com_vel, double gravity);
  // Adds a foot task (`J` the foot's 6-row Jacobian, `a` its 6-D target acceleration) of
  // `weight` to `p`: all 6 rows for a box sole; for a line, all but the roll about the
  // sole's long axis.
  void AddFootTask(const mjData& d, int sole_site, const Eigen::MatrixXd& J,
                   const Eigen::Matrix<double, 6, 1>& a, double weight, QpProblem* p);

  WholeBodyOptions options_;
  RobotLayout layout_;
  std::array<Sole, 2> soles_{};
  bool line_feet_ = false;
  FootPlacement placement_;
  std::vector<int> arm_actuators_;  // kArmJoints actuator indices
  int torso_actuator_ = -1;
  std::array<int, 2> knee_actuators_{};  // left, right
  std::vector<double> nominal_q_;   // per actuator, rad (standing posture)
  bool fallen_ = false;
  bool latched_ = false;
  RobotReference latched_reference_;
  RobotReference reference_;
  WholeBodyDiagnostics diagnostics_;
  RobotState state_;
  BalanceRecovery recovery_;
  QpSolver qp_;
  QpProblem problem_;
  QpSolution solution_;
  // Per-tick scratch (dynamics and Jacobians of this tick), kept to avoid reallocation.
  Eigen::MatrixXd M_, J_com_, J_pelvis_;
  Eigen::VectorXd h_;
  std::array<Eigen::MatrixXd, 2> J_foot_;
  Eigen::MatrixXd foot_rows_;  // a line foot task's rows (AddFootTask)
  Eigen::VectorXd foot_target_;
  // Jacobians of the previous tick, for the J-dot v terms (finite differences).
  Eigen::MatrixXd prev_J_com_;
  std::array<Eigen::MatrixXd, 2> prev_J_foot_;
  double prev_time_ = -1;
  double double_support_since_ = -1;  // s, start of the reference's current double support
  bool slow_steps_ = false;           // the last double support was long (w_pelvis_slow_steps)
  // Whether the reference's CoM travels around time t (w_pelvis_travel_*).
  bool Travelling(double t);
  bool travelling_ = false;
  double travel_next_ = 0;  // s, when Travelling looks again
  // Catching up with the plan after recovery steps (see CatchUp), per foot: the plane
  // offset of its reference from the plan's now, at its lift-off, at its landing, and
  // when it lifted (-1: on the ground).
  std::array<Eigen::Vector2d, 2> foot_offset_{Eigen::Vector2d::Zero(), Eigen::Vector2d::Zero()};
  std::array<Eigen::Vector2d, 2> lift_offset_{Eigen::Vector2d::Zero(), Eigen::Vector2d::Zero()};
  std::array<Eigen::Vector2d, 2> land_offset_{Eigen::Vector2d::Zero(), Eigen::Vector2d::Zero()};
  std::array<double, 2> lifted_at_{-1, -1};
  // A front foot kept down through its planned step (a stagger is squared up by the rear
  // foot), and where.
  std::array<bool, 2> held_{false, false};
  std::array<FootReference, 2> held_pose_{};
  bool catching_up_ = false;
  // The catch-up walk under way (legs, CoM and pelvis heading come from it; null: none),
  // the foot offsets it leaves, and when the plan is next looked at for one.
  std::shared_ptr<const ReferenceSource> catch_up_walk_;
  std::array<Eigen::Vector2d, 2> walk_final_offset_{Eigen::Vector2d::Zero(), Eigen::Vector2d::Zero()};
  double walk_next_look_ = 0;
};

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

/// Factory for the runner: every robot gets a WholeBodyController with these options.
ControllerFactory MakeWholeBodyControllerFactory(const WholeBodyOptions& options = {});

/// Factory with one reference per robot (size = robot count).
ControllerFactory MakeWholeBodyControllerFactory(
    const WholeBodyOptions& options,
    std::vector<std::shared_ptr<const ReferenceSource>> references);

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_WHOLE_BODY_CONTROLLER_H_
