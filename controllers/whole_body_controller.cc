#include "controllers/whole_body_controller.h"

#include <Eigen/Geometry>
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "controllers/latched_hanky.h"
#include "sim/error.h"
#include "sim/fall.h"

namespace yangbot {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kRelaxDamping = 3;    // N·m·s/rad, joint damping of a fallen robot

using Matrix3 = Eigen::Matrix3d;
using Vector3 = Eigen::Vector3d;

Matrix3 RotationOf(const double* xmat) {
  return Eigen::Map<const Eigen::Matrix<double, 3, 3, Eigen::RowMajor>>(xmat);
}

}  // namespace

double WholeBodyController::SoleLowestPoint(const mjData& d, int site, const SoleRectangle& sole) {
  // A foot rocked onto an edge or a toe still stands on it: the lowest corner counts.
  const double* R = d.site_xmat + 9 * site;  // row-major: row 2 holds the world z of each axis
  double lowest = kInf;
  for (double x : {sole.x_min, sole.x_max}) {
    for (double y : {sole.y_min, sole.y_max}) lowest = std::min(lowest, R[6] * x + R[7] * y);
  }
  return d.site_xpos[3 * site + 2] + lowest;
}

WholeBodyController::WholeBodyController(const Scene& scene, int robot, WholeBodyOptions options)
    : options_(std::move(options)), layout_(RobotLayout::Resolve(scene.robot_info())) {
  const RobotInfo& info = scene.robot_info();
  const mjModel* m = scene.model();
  const RobotIndex& index = scene.robot(robot);
  for (const char* name : {"left_shoulder_pitch", "left_shoulder_roll", "left_shoulder_yaw",
                           "left_elbow", "right_shoulder_pitch", "right_shoulder_roll",
                           "right_shoulder_yaw", "right_elbow"}) {
    posture_.arms.push_back(RobotLayout::Actuator(info, name));
  }
  posture_.torso = RobotLayout::Actuator(info, "torso");
  posture_.hanky = {layout_.left_hanky, layout_.right_hanky};
  knee_actuators_ = {RobotLayout::Actuator(info, "left_knee"), RobotLayout::Actuator(info, "right_knee")};
  for (int a = 0; a < info.nu; ++a) posture_.nominal_q.push_back(info.stand_qpos[info.actuator_qpos[a]]);
  if (options_.localisation) localiser_.emplace(scene, robot, options_.localisation);
  if (info.nv != 6 + info.nu) {
    throw Error(info.path + ": error: the whole-body controller needs every joint but the free "
                "joint to be driven by a motor");
  }
  // Support rectangles, read from the foot's collision geoms in the sole site's frame.
  for (int side = 0; side < 2; ++side) {
    const int site = index.site_begin + (side == 0 ? layout_.left_sole_site : layout_.right_sole_site);
    const std::optional<SoleSupport> support = ReadSoleSupport(m, site, options_.gains.line_foot_width);
    if (!support) {
      throw Error(info.path + ": error: the foot has no collision geometry the controller can read");
    }
    SoleRectangle sole{support->x_min, support->x_max, support->y_min, support->y_max};
    sole_extent_[side] = sole;
    // A line sole rolls about its long axis: its CoP is held on the line (a millimetre
    // either side keeps the QP's pair of rows apart).
    line_feet_ = support->line;
    if (line_feet_) {
      sole.heel = support->x_min;
      sole.toe_slope =
          std::max(-support->y_min, support->y_max) / std::max(1e-3, support->x_max - support->x_min);
      sole.y_min = -1e-3, sole.y_max = 1e-3;
    }
    const double margin = options_.gains.sole_margin;
    const double cx = 0.5 * (sole.x_min + sole.x_max), cy = 0.5 * (sole.y_min + sole.y_max);
    sole.x_min = cx + margin * (sole.x_min - cx);
    sole.x_max = cx + margin * (sole.x_max - cx);
    sole.y_min = cy + margin * (sole.y_min - cy);
    sole.y_max = cy + margin * (sole.y_max - cy);
    soles_[side] = sole;
  }
  recovery_ = BalanceRecovery(options_.recovery, soles_, line_feet_);
  catch_up_ = PlanCatchUp(options_.gains, line_feet_);
  FootPlacementParams placement = options_.placement;
  if (soles_[0].toe_slope != 0) placement.straight_landing_speed = placement.landing_speed;
  placement_ = FootPlacement(placement);
}

const QpProblem& WholeBodyController::qp_problem() const {
  static const QpProblem kNone;
  return last_problem_ ? *last_problem_ : kNone;
}

std::unique_ptr<RobotController> WholeBodyController::Clone() const {
  return std::make_unique<WholeBodyController>(*this);
}

void WholeBodyController::LatchStandingReference(const Scene& scene, int robot, const mjData& d) {
  const RobotIndex& index = scene.robot(robot);
  RobotReference& r = latched_reference_;
  for (int side = 0; side < 2; ++side) {
    const int site = index.site_begin + (side == 0 ? layout_.left_sole_site : layout_.right_sole_site);
    r.feet[side].position = Vector3(d.site_xpos + 3 * site);
    const Matrix3 R = RotationOf(d.site_xmat + 9 * site);
    r.feet[side].yaw = std::atan2(R(1, 0), R(0, 0));
    r.feet[side].in_contact = true;
  }
  r.com = Vector3(d.subtree_com + 3 * index.body_begin);
  r.com.head<2>() = 0.5 * (r.feet[0].position + r.feet[1].position).head<2>();
  r.zmp = r.com.head<2>();
  const double yaw_sum_sin = std::sin(r.feet[0].yaw) + std::sin(r.feet[1].yaw);
  const double yaw_sum_cos = std::cos(r.feet[0].yaw) + std::cos(r.feet[1].yaw);
  r.pelvis_yaw = std::atan2(yaw_sum_sin, yaw_sum_cos);
  for (int k = 0; k < kArmJoints; ++k) r.arm_q[k] = posture_.nominal_q[posture_.arms[k]];
  latched_ = true;
}

void WholeBodyController::SampleReference(double t) {
  if (options_.reference) {
    options_.reference->SampleFrom(t, &reference_cursor_, &reference_);
    if (catch_up_.active()) catch_up_.Apply(*options_.reference, t, &rhythm_, &reference_, neighbours_);
    std::array<double, 2> angle{}, rate{};
    for (int side = 0; side < 2; ++side) {
      const int a = posture_.hanky[side];
      if (a >= 0) angle[side] = state_.joint_q[a], rate[side] = state_.joint_v[a];
    }
    spin_up_.Apply(options_.reference.get(), t, angle, rate, &reference_);
    return;
  }
  reference_ = latched_reference_;
  reference_.time = t;
  const double w = 2 * M_PI * options_.stand_sway_frequency;
  reference_.torso_yaw = options_.stand_sway_amplitude * std::sin(w * t);
  reference_.torso_yaw_rate = options_.stand_sway_amplitude * w * std::cos(w * t);
  for (auto& hanky : reference_.hanky) {
    hanky.spinning = options_.stand_hanky_rate != 0;
    hanky.rate = 2 * M_PI * options_.stand_hanky_rate;
    hanky.phase = hanky.rate * t;
  }
}

Eigen::Vector2d WholeBodyController::LineFootBalance(const mjData& d, const WholeBodyKinematics& kin,
                                                     const std::vector<int>& stance, double gravity) {
  const std::array<int, 2>& sole_site = kin.sole_site;
  const Vector3& com = kin.com;
  const Vector3& com_vel = kin.com_velocity;
  // While catching up, the landings are re-planned about the plan shifted by the catch-up.
  const bool placing = options_.reference && recovery_.phase() == BalanceRecovery::Phase::kIdle;
  if (placing) {
    // During a catch-up walk the landings are re-planned about the walk (which starts
    // where the feet stand: offsets from before do not carry into it).
    const ReferenceSource* source = catch_up_.walk() ? catch_up_.walk().get() : options_.reference.get();
    if (catch_up_.walk() && source != placement_source_) placement_.Reset();
    placement_source_ = source;
    std::array<Eigen::Vector2d, 2> shift{Eigen::Vector2d::Zero(), Eigen::Vector2d::Zero()};
    if (catch_up_.active() && !catch_up_.walk()) shift = catch_up_.land_offset();
    placement_.Shift(*source, d.time, shift, &reference_);
  } else {
    placement_.Reset();
  }
  DcmInput& in = dcm_input_;
  in.support.clear();
  in.com = com.head<2>();
  in.com_velocity = com_vel.head<2>();
  in.com_ref = reference_.com.head<2>();
  in.com_ref_velocity = reference_.com_velocity.head<2>();
  in.com_ref_acceleration = reference_.com_acceleration.head<2>();
  double ground = 0;
  for (const int side : stance) {
    const int site = sole_site[side];
    const Matrix3 R = RotationOf(d.site_xmat + 9 * site);
    const Vector3 centre(d.site_xpos + 3 * site);
    ground += centre.z() / stance.size();
    const SoleRectangle& sole = soles_[side];
    const double slope = ContactLineSlope(sole, R);
    for (double x : {sole.x_min, sole.x_max}) {
      for (double y : {sole.y_min, sole.y_max}) {
        in.support.push_back((centre + R * Vector3(x, y + slope * (x - sole.heel), 0)).head<2>());
      }
    }
  }
  in.omega = std::sqrt(gravity / std::max(0.3, com.z() - ground));
  const DcmOutput dcm = StabilizeDcm(in, options_.gains.dcm_gain);
  diagnostics_.dcm_error = dcm.dcm_error;
  if (placing) {
    FootPlacementInput fp;
    fp.time = d.time;
    fp.omega = in.omega;
    fp.dcm_gain = options_.gains.dcm_gain;
    fp.dcm_error = dcm.dcm_error;
    fp.cop_reference = dcm.cop_reference;
    fp.cop_free = dcm.cop_free;
    fp.cop = dcm.cop;
    for (int side = 0; side < 2; ++side) {
      fp.sole[side] = Eigen::Vector2d(d.site_xpos[3 * sole_site[side]], d.site_xpos[3 * sole_site[side] + 1]);
      const Matrix3 R = RotationOf(d.site_xmat + 9 * sole_site[side]);
      fp.sole_yaw[side] = std::atan2(R(1, 0), R(0, 0));
    }
    placement_.Replan(fp);
  }
  return dcm.com_acceleration;
}

void WholeBodyController::Relax(const Scene& scene, double* ctrl) const {
  const RobotInfo& info = scene.robot_info();
  for (int a = 0; a < info.nu; ++a) {
    ctrl[a] = std::clamp(-kRelaxDamping * state_.joint_v[a], info.ctrl_min[a], info.ctrl_max[a]);
  }
}

void WholeBodyController::UpdateRecovery(const Scene& scene, int robot, const mjData& d,
                                         const WholeBodyKinematics& kin) {
  const std::array<int, 2>& sole_site = kin.sole_site;
  BalanceInput in;
  in.time = d.time;
  in.com = kin.com;
  in.com_velocity = kin.com_velocity;
  for (int side = 0; side < 2; ++side) {
    in.sole[side] = Vector3(d.site_xpos + 3 * sole_site[side]);
    const Matrix3 R = RotationOf(d.site_xmat + 9 * sole_site[side]);
    in.sole_yaw[side] = std::atan2(R(1, 0), R(0, 0));
  }
  const double gravity = -scene.model()->opt.gravity[2];
  in.omega = std::sqrt(gravity / std::max(0.3, kin.com.z() - 0.5 * (in.sole[0].z() + in.sole[1].z())));
  // Line feet: the plan's next step may still take the DCM error up (its landing law).
  constexpr double kStepHorizon = 1.0;  // s, about two steps of the line gait
  if (line_feet_) {
    const ReferenceSource* plan = catch_up_.walk() ? catch_up_.walk().get() : options_.reference.get();
    in.next_touchdown = rhythm_.NextTouchdown(plan, d.time, kStepHorizon);
  }
  in.neighbours = neighbours_;
  const bool finished = recovery_.Update(in, &reference_);
  diagnostics_.capture_point = recovery_.capture_point();
  diagnostics_.recovery_phase = recovery_.phase();
  diagnostics_.recovery_steps = recovery_.steps();
  diagnostics_.last_landing = recovery_.last_landing();
  if (finished && !options_.reference) LatchStandingReference(scene, robot, d);
  if (finished && options_.reference) {
    // The feet are off the plan: follow it shifted to where they are.
    RobotReference plan;
    options_.reference->Sample(d.time, &plan);
    std::array<Eigen::Vector2d, 2> feet;
    for (int side = 0; side < 2; ++side) {
      feet[side] = Eigen::Vector2d(d.site_xpos[3 * sole_site[side]], d.site_xpos[3 * sole_site[side] + 1]);
    }
    catch_up_.Start(plan, feet);
    // Line feet take this tick's reference shifted too: the plan's own, far from where
    // the recovery left the robot, reads as a push to the landing law and the recovery.
    if (line_feet_) SampleReference(d.time);
  }
}

void WholeBodyController::StanceFeet(const mjData& d, const WholeBodyKinematics& kin,
                                     std::vector<int>* stance_feet) const {
  // A planned stance foot measurably off the ground while the other one is down: the
  // robot rocked onto the other foot's edge, and asking the lifted foot for forces would
  // topple it further.
  const WholeBodyGains& k = options_.gains;
  const RobotReference& ref = reference_;
  std::vector<int>& stance = *stance_feet;
  stance.clear();
  const double lifted_tolerance = recovery_.phase() != BalanceRecovery::Phase::kIdle
                                      ? k.recovery_lifted_foot_tolerance
                                      : k.lifted_foot_tolerance;
  for (int side = 0; side < 2; ++side) {
    if (!ref.feet[side].in_contact) continue;
    const int other = 1 - side;
    if (lifted_tolerance > 0 && ref.feet[other].in_contact) {
      const double lift = SoleLowestPoint(d, kin.sole_site[side], soles_[side]) - ref.feet[side].position.z();
      const double other_lift =
          SoleLowestPoint(d, kin.sole_site[other], soles_[other]) - ref.feet[other].position.z();
      if (lift > lifted_tolerance && other_lift < lifted_tolerance && lift > other_lift) continue;
    }
    stance.push_back(side);
  }
  if (stance.empty()) stance.push_back(0);  // never plan a flight phase
}

Eigen::Vector2d WholeBodyController::BalanceLaw(const mjData& d, const WholeBodyKinematics& kin,
                                                const std::vector<int>& stance, double gravity) {
  if (line_feet_) return LineFootBalance(d, kin, stance, gravity);
  // Box feet: planned motion plus PD feedback (the sole's CoP limits hold the rest).
  const WholeBodyGains& k = options_.gains;
  const RobotReference& ref = reference_;
  return ref.com_acceleration.head<2>() + (k.com_kp * (ref.com - kin.com).head<2>() +
                                           k.com_kd * (ref.com_velocity - kin.com_velocity).head<2>());
}

void WholeBodyController::Compute(const Scene& scene, int robot, const mjData& d, double* ctrl) {
  const mjModel* m = scene.model();
  const RobotInfo& info = scene.robot_info();
  const RobotIndex& index = scene.robot(robot);
  const WholeBodyGains& k = options_.gains;
  const int nv = info.nv;
  const double gravity = -m->opt.gravity[2];
  state_.Read(scene, robot, d, layout_);

  // Fall detector (the run's definition, sim/fall.h): once fallen, the robot relaxes its
  // joints (damping only). Tilt from the IMU (the torso joint turns about the pelvis's z
  // axis, so both tilt alike).
  const Matrix3 R_base = state_.BaseRotation();
  const double tilt = std::acos(std::clamp(R_base(2, 2), -1.0, 1.0));
  if (fallen_ || IsFallen(state_.q[2], tilt)) {
    fallen_ = true;
    Relax(scene, ctrl);
    return;
  }

  // Lidar localisation: the plan is sampled in the frame the robot believes it is in
  // (controllers/localisation.h); perfect localisation: the identity.
  const StageFrameScope stage_frame(localiser_ ? localiser_->Update(scene, robot, d) : Pose2{});
  // Reference: the plan (shifted while catching up) or the latched stance.
  if (!options_.reference && !latched_) LatchStandingReference(scene, robot, d);
  SampleReference(d.time);
  const RobotReference& ref = reference_;

  // Dynamics and kinematics of this robot alone.
  std::array<int, 2> sole_site{};
  for (int side = 0; side < 2; ++side) {
    sole_site[side] = index.site_begin + (side == 0 ? layout_.left_sole_site : layout_.right_sole_site);
  }
  const Eigen::VectorXd& v = state_.v;
  // This tick's kinematics and dynamics (~10 kB) hold nothing from one tick to the next: the
  // robots on one thread share them, as they share the QP below.
  thread_local WholeBodyKinematics kin;
  ComputeKinematics(m, d, index, sole_site, v, &history_, &kin);
  AddLatchedHankies(scene, robot, d, &kin.M, &kin.h);  // throw mode: the seated cloth
  const Vector3& com = kin.com;
  const Vector3& com_vel = kin.com_velocity;

  // Capture-point stepping: may take over the reference (feet, contacts, CoM). Line feet
  // following a plan hand over only once the DCM runs further from the plan's than its
  // landings can take up (BalanceRecoveryParams::line_takeover_error).
  UpdateRecovery(scene, robot, d, kin);
  const bool recovering = recovery_.phase() != BalanceRecovery::Phase::kIdle;

  StanceFeet(d, kin, &stance_);
  const std::vector<int>& stance = stance_;
  const int ns = static_cast<int>(stance.size());
  const int n = nv + 6 * ns;
  // The QP and the solver's workspace (the problem ~35 kB, the reduced problem and its
  // factors ~70 kB) hold nothing from one tick to the next, so the robots on one thread share
  // one per stance count (its sizes, so its storage stays put): it stays in cache from robot
  // to robot instead of each robot's own copy being evicted by the physics step between its
  // ticks.
  thread_local std::array<QpProblem, 3> problems;
  thread_local std::array<WholeBodyQp, 3> solvers;
  QpProblem& p = problems[ns];
  last_problem_ = &p;
  p.H.setZero(n, n);
  p.g.setZero(n);

  // Centre of mass: the balance law across, a PD on the planned height.
  Vector3 com_acc = ref.com_acceleration;
  com_acc.head<2>() = BalanceLaw(d, kin, stance, gravity);
  com_acc.z() += k.com_z_kp * (ref.com.z() - com.z()) + k.com_z_kd * (ref.com_velocity.z() - com_vel.z());
  AddTask(kin.J_com, com_acc - kin.com_jdotv, k.w_com, &p);
  diagnostics_.com = com;
  diagnostics_.com_ref = ref.com;
  if (!line_feet_) {
    const double omega = std::sqrt(gravity / std::max(0.3, ref.com.z() - 0.5 * (ref.feet[0].position.z() + ref.feet[1].position.z())));
    diagnostics_.dcm_error = (com + com_vel / omega - ref.com - ref.com_velocity / omega).head<2>();
  }

  // Swing feet: pose tracking (flat foot, heading from the plan).
  for (int side = 0; side < 2; ++side) {
    if (std::find(stance.begin(), stance.end(), side) != stance.end()) continue;
    // A sole with a toe bar rolls (5-joint legs: its roll follows from where the foot is
    // sent), which puts one end of the bar below the sole site, so the swing aims that end
    // at the floor, not the site: a 0.8 rad turning swing stepping inward rolls 0.28 rad,
    // the bar's end hangs 8 mm below the site and would touch down 40-46 ms early.
    FootReference foot = ref.feet[side];
    if (soles_[side].toe_slope != 0) {
      foot.position.z() += ToeBarRollDrop(sole_extent_[side], RotationOf(d.site_xmat + 9 * kin.sole_site[side]));
    }
    AddSwingFootTask(d, side, foot, kin, line_feet_, k, &foot_task_, &p);
  }

  // Pelvis orientation, kept upright while recovering (a bowing torso moves the CoM the
  // recovery planned for), loose or firm by the plan's stepping (step_rhythm.h).
  rhythm_.Observe(ref, d.time, k);
  const bool travelling = rhythm_.Travelling(options_.reference.get(), d.time, k);
  const bool single_support = !(ref.feet[0].in_contact && ref.feet[1].in_contact);
  AddPelvisTask(kin, v, R_base, ref, k,
                ChoosePelvisWeights(k, recovering, rhythm_.slow_steps(), travelling, single_support), &p);

  AddPostureTasks(info, posture_, state_, ref, k, &diagnostics_.hanky_phase_error, &p);
  AddRegularisation(k, nv, ns, &p);
  AddContacts(d, info, kin, stance, soles_, line_feet_, k, &foot_task_, &p);
  if (recovering) AddKneeBounds(info, knee_actuators_, state_, k, n, &p);

  Eigen::VectorXd& tau = tau_;
  const QpStatus status =
      SolveForTorques(d, info, kin, stance, &solvers[ns], &p, &solution_, &tau, &diagnostics_.cop);
  diagnostics_.qp_status = status;
  diagnostics_.qp_iterations = solution_.iterations;
  if (status != QpStatus::kOptimal) {
    // The QP should always be feasible; if not, hold the posture with joint PD this tick.
    ++diagnostics_.qp_failures;
    diagnostics_.last_failure = status;
    diagnostics_.last_failure_time = d.time;
    tau = kin.h;
    for (int a = 0; a < info.nu; ++a) {
      const int dof = info.actuator_dof[a];
      tau(dof) += kin.M(dof, dof) *
                  (k.posture_kp * (posture_.nominal_q[a] - state_.joint_q[a]) - k.posture_kd * state_.joint_v[a]);
    }
  }
  // Scenario 7: count the ticks where a command had to be clipped to a motor's limit.
  bool saturated = false;
  for (int a = 0; a < info.nu; ++a) {
    const double t = tau(info.actuator_dof[a]);
    ctrl[a] = std::clamp(t, info.ctrl_min[a], info.ctrl_max[a]);
    const double limit = std::max(std::abs(info.ctrl_min[a]), std::abs(info.ctrl_max[a]));
    if (limit > 0) diagnostics_.max_torque_ratio = std::max(diagnostics_.max_torque_ratio, std::abs(t) / limit);
    saturated |= t < info.ctrl_min[a] || t > info.ctrl_max[a];
  }
  diagnostics_.saturated_ticks += saturated;
}

ControllerFactory MakeWholeBodyControllerFactory(const WholeBodyOptions& options) {
  return [options](const Scene& scene, int robot) {
    return std::make_unique<WholeBodyController>(scene, robot, options);
  };
}

ControllerFactory MakeWholeBodyControllerFactory(
    const WholeBodyOptions& options, std::vector<std::shared_ptr<const ReferenceSource>> references) {
  return [options, references](const Scene& scene, int robot) {
    if (robot >= static_cast<int>(references.size())) {
      throw Error("error: no reference for robot " + std::to_string(robot));
    }
    WholeBodyOptions mine = options;
    mine.reference = references[robot];
    return std::make_unique<WholeBodyController>(scene, robot, mine);
  };
}

}  // namespace yangbot
