#include "controllers/whole_body_controller.h"

#include <Eigen/Geometry>
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "controllers/hanky_spinner.h"
#include "controllers/robot_dynamics.h"
#include "controllers/walking_pattern.h"
#include "controllers/walking_reference.h"
#include "sim/error.h"

namespace yangbot {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kYawFriction = 0.03;  // m: |yaw moment| <= kYawFriction * normal force
constexpr double kRelaxDamping = 3;    // N·m·s/rad, joint damping of a fallen robot
constexpr double kMaxKneeBrake = 1e3;  // rad/s², most knee deceleration knee_min asks for

using Matrix3 = Eigen::Matrix3d;
using Vector3 = Eigen::Vector3d;

Matrix3 RotationOf(const double* xmat) {
  return Eigen::Map<const Eigen::Matrix<double, 3, 3, Eigen::RowMajor>>(xmat);
}

// Orientation error e (world axes) with R_des = exp([e]) R, for small-angle PD.
Vector3 OrientationError(const Matrix3& desired, const Matrix3& actual) {
  const Eigen::AngleAxisd aa(desired * actual.transpose());
  return aa.angle() * aa.axis();
}

Matrix3 YawPitchRoll(double yaw, double pitch, double roll) {
  return (Eigen::AngleAxisd(yaw, Vector3::UnitZ()) * Eigen::AngleAxisd(pitch, Vector3::UnitY()) *
          Eigen::AngleAxisd(roll, Vector3::UnitX()))
      .toRotationMatrix();
}

// Adds weight * |A x_head - b|^2 to the cost (A acts on the first A.cols() variables).
template <typename MatrixA, typename VectorB>
void AddTask(const MatrixA& A, const VectorB& b, double weight, QpProblem* p) {
  const int k = static_cast<int>(A.cols());
  p->H.topLeftCorner(k, k).noalias() += weight * A.transpose() * A;
  p->g.head(k).noalias() -= weight * A.transpose() * b;
}

// Where a catching-up foot lands along its heading (m, any origin on that axis): toward
// `target`, at most catch_up_walk_reach ahead of / reach_back behind the other foot
// (`support`), moving at most catch_up_walk_along from `now`. The catch-up walk and the
// catch-up of planned steps (PlanCatchUpStep) share it.
double CatchUpLanding(double target, double support, double now, const WholeBodyGains& k) {
  return std::clamp(std::clamp(target, support - k.catch_up_walk_reach_back, support + k.catch_up_walk_reach),
                    now - k.catch_up_walk_along, now + k.catch_up_walk_along);
}

// The catch-up rule's gains for line feet: their gait reaches further a step than the box
// gait's quick steps, and a stagger is not a hazard to them (the landing law balances it).
WholeBodyGains LineFootCatchUp(const WholeBodyGains& k) {
  WholeBodyGains g = k;
  g.catch_up_step = k.line_catch_up_step;
  g.catch_up_walk_along = k.line_catch_up_step;
  g.catch_up_walk_reach = g.catch_up_walk_reach_back = k.line_catch_up_step;
  return g;
}

}  // namespace

double WholeBodyController::SoleLowestPoint(const mjData& d, int site, const Sole& sole) {
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
    arm_actuators_.push_back(RobotLayout::Actuator(info, name));
  }
  torso_actuator_ = RobotLayout::Actuator(info, "torso");
  knee_actuators_ = {RobotLayout::Actuator(info, "left_knee"), RobotLayout::Actuator(info, "right_knee")};
  for (int a = 0; a < info.nu; ++a) nominal_q_.push_back(info.stand_qpos[info.actuator_qpos[a]]);
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
    Sole sole{support->x_min, support->x_max, support->y_min, support->y_max};
    // A line sole rolls about its long axis: its CoP is held on the line (a millimetre
    // either side keeps the QP's pair of rows apart).
    line_feet_ = support->line;
    if (line_feet_) {
      sole.heel = support->x_min;
      sole.toe_slope = std::max(-support->y_min, support->y_max) / std::max(1e-3, support->x_max - support->x_min);
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
  std::array<SoleRectangle, 2> rectangles;
  for (int side = 0; side < 2; ++side) {
    rectangles[side] = {soles_[side].x_min, soles_[side].x_max, soles_[side].y_min, soles_[side].y_max};
  }
  recovery_ = BalanceRecovery(options_.recovery, rectangles, line_feet_);
  placement_ = FootPlacement(options_.placement);
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
  for (int k = 0; k < kArmJoints; ++k) r.arm_q[k] = nominal_q_[arm_actuators_[k]];
  latched_ = true;
}

void WholeBodyController::SampleReference(double t) {
  if (options_.reference) {
    options_.reference->Sample(t, &reference_);
    if (catching_up_) CatchUp(t);
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

void WholeBodyController::StartCatchUp(const Scene& scene, int robot, const mjData& d) {
  RobotReference plan;
  options_.reference->Sample(d.time, &plan);
  const RobotIndex& index = scene.robot(robot);
  for (int side = 0; side < 2; ++side) {
    const int site = index.site_begin + (side == 0 ? layout_.left_sole_site : layout_.right_sole_site);
    foot_offset_[side] = Eigen::Vector2d(d.site_xpos[3 * site], d.site_xpos[3 * site + 1]) -
                         plan.feet[side].position.head<2>();
    land_offset_[side] = foot_offset_[side];
    lifted_at_[side] = -1;
    held_[side] = false;
  }
  catching_up_ = true;
  catch_up_walk_.reset();
  walk_next_look_ = 0;
}

bool WholeBodyController::PlanCatchUpWalk(double t) {
  // Line feet rejoin with the plan's own steps (the landing law balances them); the walk
  // below is the box gait's.
  if (line_feet_) return false;
  const WholeBodyGains& k = options_.gains;
  const ReferenceSource& source = *options_.reference;
  RobotReference plan, later;
  source.Sample(t, &plan);
  if (!plan.feet[0].in_contact || !plan.feet[1].in_contact) return false;
  auto both_down = [&](double when, RobotReference* r) {
    source.Sample(when, r);
    return r->feet[0].in_contact && r->feet[1].in_contact;
  };
  // How long the plan stands still from t: both feet down where they are now.
  constexpr double kLook = 0.1, kHorizon = 8;
  double still = 0;
  for (double dt = kLook; dt <= kHorizon + 1e-9; dt += kLook) {
    bool same = both_down(t + dt, &later);
    for (int side = 0; side < 2; ++side) {
      same = same && (later.feet[side].position - plan.feet[side].position).norm() < 2e-3 &&
             std::abs(later.feet[side].yaw - plan.feet[side].yaw) < 0.01;
    }
    if (!same) break;
    still = dt;
  }

  // Steps from the shifted feet toward `goal_ref`'s feet (the plan's at the walk's end), at
  // most `max_steps`: alternate feet, the rear foot of a stagger first (stepping up toward
  // the other), else the one further off; each landing at most catch_up_walk_reach ahead of
  // (catch_up_walk_reach_back behind) the other foot along its heading, so a stagger is
  // squared up first (the rear foot may step forward to do it), each foot moving at most
  // catch_up_walk_along along its heading and catch_up_walk_across across it per step.
  // Measured: r05 of the default show pushed into a 30 cm stagger (goal behind both feet)
  // walked back with the rear foot first; with the front foot first, or both feet stepping
  // 5 cm back each (the stagger kept), it fell sideways at the second step.
  FootstepPlan walk;
  std::array<Eigen::Vector2d, 2> at;
  auto plan_steps = [&](const RobotReference& goal_ref, int max_steps) {
    walk.steps.clear();
    std::array<Eigen::Vector2d, 2> goal;
    for (int side = 0; side < 2; ++side) {
      goal[side] = goal_ref.feet[side].position.head<2>();
      at[side] = plan.feet[side].position.head<2>() + foot_offset_[side];
      Pose2& pose = side == 0 ? walk.start.left : walk.start.right;
      pose = {at[side].x(), at[side].y(), plan.feet[side].yaw};
    }
    const Eigen::Vector2d heading(std::cos(plan.pelvis_yaw), std::sin(plan.pelvis_yaw));
    const double stagger = (at[0] - at[1]).dot(heading);  // left ahead of right: > 0
    int side = std::abs(stagger) > 0.02 ? (stagger > 0 ? 1 : 0)
                                        : ((at[0] - goal[0]).norm() >= (at[1] - goal[1]).norm() ? 0 : 1);
    constexpr double kClose = 0.005;  // m: a foot this near its goal stays
    const double first_touchdown = t + k.catch_up_walk_lead + k.catch_up_walk_period;
    for (int i = 0; i < max_steps; ++i, side = 1 - side) {
      if ((at[0] - goal[0]).norm() < kClose && (at[1] - goal[1]).norm() < kClose) break;
      const double yaw = goal_ref.feet[side].yaw;
      const Eigen::Vector2d along(std::cos(yaw), std::sin(yaw));
      const Eigen::Vector2d across(-along.y(), along.x());
      const double support = at[1 - side].dot(along), now = at[side].dot(along);
      const double land = CatchUpLanding(goal[side].dot(along), support, now, k);
      const double sideways = std::clamp((goal[side] - at[side]).dot(across), -k.catch_up_walk_across,
                                         k.catch_up_walk_across);
      at[side] += (land - now) * along + sideways * across;
      Footstep step;
      step.foot = side == 0 ? Foot::kLeft : Foot::kRight;
      step.pose = {at[side].x(), at[side].y(), yaw};
      step.touchdown_time = first_touchdown + i * k.catch_up_walk_period;
      walk.steps.push_back(step);
    }
    for (int s = 0; s < 2; ++s) {
      walk_final_offset_[s] = (at[s] - goal[s]).norm() < kClose ? Eigen::Vector2d::Zero()
                                                                 : Eigen::Vector2d(at[s] - goal[s]);
    }
  };
  auto steps_fitting = [&](double end) {
    return static_cast<int>(std::floor(
        (end - t - k.catch_up_walk_lead - k.catch_up_walk_settle) / k.catch_up_walk_period + 1e-9));
  };
  constexpr int kMostSteps = 40;
  plan_steps(plan, kMostSteps);
  const int needed = static_cast<int>(walk.steps.size());
  if (needed == 0) return false;
  double end = t + still;
  RobotReference goal = plan;
  if (steps_fitting(end) >= needed || (steps_fitting(end) >= 2 &&
      std::max(foot_offset_[0].norm(), foot_offset_[1].norm()) <= k.catch_up_walk_preempt)) {
    // The plan stands still long enough (or the offsets are small): walk while it does.
    plan_steps(plan, std::min(needed, steps_fitting(end)));
    end = walk.steps.back().touchdown_time + k.catch_up_walk_settle;
  } else if (std::max(foot_offset_[0].norm(), foot_offset_[1].norm()) > k.catch_up_walk_preempt &&
             Travelling(t)) {
    // Far off the plan while it dances on: leave its steps out (arms, waist and
    // handkerchiefs keep the beat) and walk to where its feet are when both are next down
    // after the walk, for at least catch_up_walk_settle.
    end = t + k.catch_up_walk_lead + needed * k.catch_up_walk_period + k.catch_up_walk_settle;
    constexpr double kSearch = 2.0, kHold = 0.1;
    double found = -1;
    for (double when = end; when <= end + kSearch; when += 0.05) {
      if (both_down(when, &goal) && both_down(when + kHold, &later) &&
          (later.feet[0].position - goal.feet[0].position).norm() < 1e-3 &&
          (later.feet[1].position - goal.feet[1].position).norm() < 1e-3) {
        found = when;
        break;
      }
    }
    if (found < 0) return false;
    end = found;
    both_down(end, &goal);
    plan_steps(goal, steps_fitting(end));
    if (walk.steps.empty()) return false;
  } else {
    return false;
  }
  walk.start_time = t;
  walk.end_time = end;
  SetGaitSwingTimes(&walk);
  WalkingPatternParams params;
  const double ground = 0.5 * (plan.feet[0].position.z() + plan.feet[1].position.z());
  params.ground_height = ground;
  params.preview.com_height = plan.com.z() - ground;
  params.swing_height = k.catch_up_walk_apex;
  params.initial_com = reference_.com.head<2>();  // as shifted by CatchUp
  catch_up_walk_ = std::make_shared<WalkingReference>(std::make_shared<const WalkingPattern>(walk, params),
                                                      WalkingPosture{});
  return true;
}

void WholeBodyController::CatchUp(double t) {
  const WholeBodyGains& k = options_.gains;
  if (catch_up_walk_ && t >= catch_up_walk_->end_time()) {  // walked: the offsets it left
    catch_up_walk_.reset();
    foot_offset_ = land_offset_ = walk_final_offset_;
  }
  if (catch_up_walk_) {
    // Legs, CoM and pelvis heading from the walk; CoM height (knee bounces), upper body
    // and handkerchiefs from the plan.
    RobotReference walk;
    catch_up_walk_->Sample(t, &walk);
    reference_.feet = walk.feet;
    reference_.com.head<2>() = walk.com.head<2>();
    reference_.com_velocity.head<2>() = walk.com_velocity.head<2>();
    reference_.com_acceleration.head<2>() = walk.com_acceleration.head<2>();
    reference_.zmp = walk.zmp;
    reference_.pelvis_yaw = walk.pelvis_yaw;
    reference_.pelvis_yaw_rate = walk.pelvis_yaw_rate;
    reference_.trunk_roll = walk.trunk_roll;
    return;
  }
  std::array<Eigen::Vector2d, 2> offset_rate;  // m/s
  for (int side = 0; side < 2; ++side) {
    FootReference& foot = reference_.feet[side];
    offset_rate[side].setZero();
    if (!foot.in_contact && lifted_at_[side] < 0) {
      // Lift-off: this step lands up to catch_up_step nearer the plan's landing.
      lifted_at_[side] = t;
      lift_offset_[side] = foot_offset_[side];
      const CatchUpStep step =
          PlanCatchUpStep(lift_offset_[side], foot_offset_[1 - side], foot.yaw, line_feet_ ? LineFootCatchUp(k) : k);
      held_[side] = step.hold;
      land_offset_[side] = step.land_offset;
      if (held_[side]) {
        held_pose_[side] = foot;
        held_pose_[side].position.head<2>() += foot_offset_[side];
        held_pose_[side].velocity.setZero();
        held_pose_[side].acceleration.setZero();
        held_pose_[side].yaw_rate = 0;
      }
    }
    if (held_[side]) {
      if (!foot.in_contact) {
        foot = held_pose_[side];
        foot.in_contact = true;
        continue;
      }
      // The plan's step is over: the offset is from its landing.
      held_[side] = false;
      lifted_at_[side] = -1;
      foot_offset_[side] = land_offset_[side] = held_pose_[side].position.head<2>() - foot.position.head<2>();
    }
    if (lifted_at_[side] >= 0) {
      // Smoothly (smoothstep), its rate passed on to the feet's and CoM's velocities (the
      // pair pushed forward at 12 times, reach_back 0.03: 7 dance on, 5 with the plan's
      // velocities alone; covered only by such sweeps).
      const double s = std::clamp((t - lifted_at_[side]) / k.catch_up_blend, 0.0, 1.0);
      const Eigen::Vector2d change = land_offset_[side] - lift_offset_[side];
      foot_offset_[side] = lift_offset_[side] + s * s * (3 - 2 * s) * change;
      offset_rate[side] = 6 * s * (1 - s) / k.catch_up_blend * change;
      if (foot.in_contact) lifted_at_[side] = -1;  // landed
    }
    foot.position.head<2>() += foot_offset_[side];
    foot.velocity.head<2>() += offset_rate[side];
  }
  // The CoM goes with the feet as the plan puts it between them: over a stance foot, by
  // that foot's shift (with feet shifted unequally, a mean shift put it off the foot).
  const Eigen::Vector2d plan_left = reference_.feet[0].position.head<2>() - foot_offset_[0];
  const Eigen::Vector2d across = reference_.feet[1].position.head<2>() - foot_offset_[1] - plan_left;
  const double w = across.squaredNorm() > 1e-6
                       ? std::clamp((reference_.com.head<2>() - plan_left).dot(across) / across.squaredNorm(), 0.0, 1.0)
                       : 0.5;
  const Eigen::Vector2d com_offset = (1 - w) * foot_offset_[0] + w * foot_offset_[1];
  reference_.com.head<2>() += com_offset;
  reference_.com_velocity.head<2>() += (1 - w) * offset_rate[0] + w * offset_rate[1];
  if (foot_offset_[0].norm() < 1e-4 && foot_offset_[1].norm() < 1e-4) {
    catching_up_ = false;
    return;
  }
  // Both feet down, off the plan: walk back while the plan stands (looked at 4 times a second).
  constexpr double kWalkOffset = 0.01;  // m, offsets smaller are left to the planned steps
  if (t >= walk_next_look_ && lifted_at_[0] < 0 && lifted_at_[1] < 0 &&
      std::max(foot_offset_[0].norm(), foot_offset_[1].norm()) > kWalkOffset) {
    walk_next_look_ = t + 0.25;
    if (PlanCatchUpWalk(t)) CatchUp(t);
  }
}

bool WholeBodyController::Travelling(double t) {
  // The reference's mean CoM over the coming travel_window against its mean over the
  // last one, re-evaluated a few times a second: a periodic sway whose period divides
  // travel_window (rocking, the cross step's forward and back) cancels out, steady
  // travel does not, and travel is seen as it starts (the plan is known ahead).
  const WholeBodyGains& k = options_.gains;
  if (!options_.reference) return false;
  if (t < travel_next_) return travelling_;
  travel_next_ = t + 0.25;
  constexpr int kSamples = 8;  // per window
  Eigen::Vector2d before = Eigen::Vector2d::Zero(), after = Eigen::Vector2d::Zero();
  RobotReference r;
  for (int i = 0; i < kSamples; ++i) {
    const double offset = (i + 0.5) * k.travel_window / kSamples;
    options_.reference->Sample(std::max(0.0, t - offset), &r);
    before += r.com.head<2>();
    options_.reference->Sample(t + offset, &r);
    after += r.com.head<2>();
  }
  travelling_ = (after - before).norm() / kSamples > k.travel_speed * k.travel_window;
  return travelling_;
}

double WholeBodyController::ContactLineSlope(const Sole& sole, const Eigen::Matrix3d& R) {
  constexpr double kTipped = 0.02;  // rad of roll from which the foot rests on one toe-bar end
  const double roll = std::atan2(R(2, 1), R(2, 2));
  return -sole.toe_slope * std::clamp(roll / kTipped, -1.0, 1.0);  // roll > 0: resting on the -y end
}

Eigen::Vector2d WholeBodyController::LineFootBalance(const mjData& d, const std::array<int, 2>& sole_site,
                                                     const std::vector<int>& stance, const Vector3& com,
                                                     const Vector3& com_vel, double gravity) {
  // While catching up, the landings are re-planned about the plan shifted by the catch-up.
  const bool placing = options_.reference && recovery_.phase() == BalanceRecovery::Phase::kIdle;
  if (placing) {
    std::array<Eigen::Vector2d, 2> shift{Eigen::Vector2d::Zero(), Eigen::Vector2d::Zero()};
    if (catching_up_) shift = land_offset_;
    placement_.Shift(*options_.reference, d.time, shift, &reference_);
  } else {
    placement_.Reset();
  }
  DcmInput in;
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
    const Sole& sole = soles_[side];
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

void WholeBodyController::AddFootTask(const mjData& d, int sole_site, const Eigen::MatrixXd& J,
                                      const Eigen::Matrix<double, 6, 1>& a, double weight, QpProblem* p) {
  if (!line_feet_) {
    AddTask(J, a, weight, p);
    return;
  }
  // Linear rows, and the angular rows about the sole's own y (pitch) and z (heading) axes.
  const Matrix3 R = RotationOf(d.site_xmat + 9 * sole_site);
  foot_rows_.resize(5, J.cols());
  foot_target_.resize(5);
  foot_rows_.topRows<3>() = J.topRows<3>();
  foot_target_.head<3>() = a.head<3>();
  for (int i = 0; i < 2; ++i) {
    const Vector3 axis = R.col(i + 1);
    foot_rows_.row(3 + i) = axis.transpose() * J.bottomRows<3>();
    foot_target_(3 + i) = axis.dot(a.tail<3>());
  }
  AddTask(foot_rows_, foot_target_, weight, p);
}

void WholeBodyController::Relax(const Scene& scene, double* ctrl) const {
  const RobotInfo& info = scene.robot_info();
  for (int a = 0; a < info.nu; ++a) {
    ctrl[a] = std::clamp(-kRelaxDamping * state_.joint_v[a], info.ctrl_min[a], info.ctrl_max[a]);
  }
}

void WholeBodyController::Compute(const Scene& scene, int robot, const mjData& d, double* ctrl) {
  const mjModel* m = scene.model();
  const RobotInfo& info = scene.robot_info();
  const RobotIndex& index = scene.robot(robot);
  const WholeBodyGains& k = options_.gains;
  const int nv = info.nv;
  state_.Read(scene, robot, d, layout_);

  // Fall detector: once fallen, the robot relaxes its joints (damping only). Tilt from the
  // IMU (the torso joint turns about the pelvis's z axis, so both tilt alike).
  const Matrix3 R_base = state_.BaseRotation();
  const double tilt = std::acos(std::clamp(R_base(2, 2), -1.0, 1.0));
  if (fallen_ || tilt > options_.fall_tilt || state_.q[2] < options_.fall_height) {
    fallen_ = true;
    Relax(scene, ctrl);
    return;
  }
  if (!options_.reference && !latched_) LatchStandingReference(scene, robot, d);
  SampleReference(d.time);
  const RobotReference& ref = reference_;

  // Dynamics and kinematics of this robot alone.
  // Scratch members: sized once, reused every tick (no allocations in the loop).
  Eigen::MatrixXd& M = M_;
  Eigen::VectorXd& h = h_;
  RobotMassMatrix(m, d, index.dof_begin, nv, &M);
  RobotBias(d, index.dof_begin, nv, &h);
  Eigen::MatrixXd& J_com = J_com_;
  RobotComJacobian(m, d, index.body_begin, index.dof_begin, nv, &J_com);
  std::array<Eigen::MatrixXd, 2>& J_foot = J_foot_;
  std::array<int, 2> sole_site{};
  for (int side = 0; side < 2; ++side) {
    sole_site[side] = index.site_begin + (side == 0 ? layout_.left_sole_site : layout_.right_sole_site);
    RobotPointJacobian(m, d, m->site_bodyid[sole_site[side]], d.site_xpos + 3 * sole_site[side],
                       index.dof_begin, nv, &J_foot[side]);
  }
  Eigen::MatrixXd& J_pelvis = J_pelvis_;
  RobotPointJacobian(m, d, index.body_begin, d.xpos + 3 * index.body_begin, index.dof_begin, nv,
                     &J_pelvis);
  const Eigen::VectorXd& v = state_.v;

  // J-dot v by finite differences of the Jacobians over the last tick.
  const double dt = prev_time_ >= 0 ? d.time - prev_time_ : 0;
  const Vector3 com_jv = J_com * v;
  std::array<Eigen::Matrix<double, 6, 1>, 2> foot_jv, foot_jdotv;
  Vector3 com_jdotv = Vector3::Zero();
  for (int side = 0; side < 2; ++side) {
    foot_jv[side] = J_foot[side] * v;
    foot_jdotv[side].setZero();
  }
  if (dt > 0 && dt < 0.05) {
    com_jdotv = (J_com - prev_J_com_) * v / dt;
    for (int side = 0; side < 2; ++side) foot_jdotv[side] = (J_foot[side] - prev_J_foot_[side]) * v / dt;
  }
  prev_J_com_ = J_com;
  prev_J_foot_ = J_foot;
  prev_time_ = d.time;

  // Capture-point stepping: may take over the reference (feet, contacts, CoM). Line feet
  // following a plan hand over only once the DCM runs further from the plan's than its
  // landings can take up (BalanceRecoveryParams::line_takeover_error).
  const Vector3 com(d.subtree_com + 3 * index.body_begin);
  const Vector3 com_vel = com_jv;
  {
    BalanceInput in;
    in.time = d.time;
    in.com = com;
    in.com_velocity = com_vel;
    for (int side = 0; side < 2; ++side) {
      in.sole[side] = Vector3(d.site_xpos + 3 * sole_site[side]);
      const Matrix3 R = RotationOf(d.site_xmat + 9 * sole_site[side]);
      in.sole_yaw[side] = std::atan2(R(1, 0), R(0, 0));
    }
    in.omega = std::sqrt(-m->opt.gravity[2] / std::max(0.3, com.z() - 0.5 * (in.sole[0].z() + in.sole[1].z())));
    const bool finished = recovery_.Update(in, &reference_);
    diagnostics_.capture_point = recovery_.capture_point();
    diagnostics_.recovery_phase = recovery_.phase();
    diagnostics_.recovery_steps = recovery_.steps();
    diagnostics_.last_landing = recovery_.last_landing();
    if (finished && !options_.reference) LatchStandingReference(scene, robot, d);
    if (finished && options_.reference) {
      StartCatchUp(scene, robot, d);
      // Line feet take this tick's reference shifted too: the plan's own, far from where
      // the recovery left the robot, reads as a push to the landing law and the recovery.
      if (line_feet_) SampleReference(d.time);
    }
  }

  // Which feet bear weight: the plan's contact flags, less a planned stance foot that is
  // measurably off the ground while the other one is down (the robot rocked onto the
  // other foot's edge: asking the lifted foot for forces would topple it further).
  std::vector<int> stance;
  const double lifted_tolerance = recovery_.phase() != BalanceRecovery::Phase::kIdle
                                      ? k.recovery_lifted_foot_tolerance
                                      : k.lifted_foot_tolerance;
  for (int side = 0; side < 2; ++side) {
    if (!ref.feet[side].in_contact) continue;
    const int other = 1 - side;
    if (lifted_tolerance > 0 && ref.feet[other].in_contact) {
      const double lift = SoleLowestPoint(d, sole_site[side], soles_[side]) - ref.feet[side].position.z();
      const double other_lift = SoleLowestPoint(d, sole_site[other], soles_[other]) - ref.feet[other].position.z();
      if (lift > lifted_tolerance && other_lift < lifted_tolerance && lift > other_lift) continue;
    }
    stance.push_back(side);
  }
  if (stance.empty()) stance.push_back(0);  // never plan a flight phase
  const int ns = static_cast<int>(stance.size());
  const int n = nv + 6 * ns;

  QpProblem& p = problem_;
  p.H.setZero(n, n);
  p.g.setZero(n);

  // Centre of mass: planned motion plus PD feedback.
  Vector3 com_acc = ref.com_acceleration;
  if (line_feet_) {
    com_acc.head<2>() = LineFootBalance(d, sole_site, stance, com, com_vel, -m->opt.gravity[2]);
  } else {
    com_acc.head<2>() += k.com_kp * (ref.com - com).head<2>() + k.com_kd * (ref.com_velocity - com_vel).head<2>();
  }
  com_acc.z() += k.com_z_kp * (ref.com.z() - com.z()) + k.com_z_kd * (ref.com_velocity.z() - com_vel.z());
  AddTask(J_com, com_acc - com_jdotv, k.w_com, &p);
  diagnostics_.com = com;
  diagnostics_.com_ref = ref.com;
  if (!line_feet_) {
    const double omega = std::sqrt(-m->opt.gravity[2] / std::max(0.3, ref.com.z() - 0.5 * (ref.feet[0].position.z() + ref.feet[1].position.z())));
    diagnostics_.dcm_error = (com + com_vel / omega - ref.com - ref.com_velocity / omega).head<2>();
  }

  // Swing feet: pose tracking (flat foot, heading from the plan).
  for (int side = 0; side < 2; ++side) {
    if (std::find(stance.begin(), stance.end(), side) != stance.end()) continue;
    const FootReference& f = ref.feet[side];
    const Vector3 pos(d.site_xpos + 3 * sole_site[side]);
    const Matrix3 R = RotationOf(d.site_xmat + 9 * sole_site[side]);
    Eigen::Matrix<double, 6, 1> acc;
    acc.head<3>() = f.acceleration + k.foot_kp * (f.position - pos) + k.foot_kd * (f.velocity - foot_jv[side].head<3>());
    acc.tail<3>() = k.foot_kp * OrientationError(YawPitchRoll(f.yaw, 0, 0), R) +
                    k.foot_kd * (Vector3(0, 0, f.yaw_rate) - foot_jv[side].tail<3>());
    AddFootTask(d, sole_site[side], J_foot[side], acc - foot_jdotv[side], k.w_foot, &p);
  }

  // Pelvis orientation: heading, side sway (roll) and bow (pitch).
  {
    const Matrix3& R = R_base;
    const Vector3 omega_pelvis = J_pelvis.bottomRows<3>() * v;
    const Vector3 acc = k.pelvis_kp * OrientationError(YawPitchRoll(ref.pelvis_yaw, ref.trunk_pitch, ref.trunk_roll), R) +
                        k.pelvis_kd * (Vector3(0, 0, ref.pelvis_yaw_rate) - omega_pelvis);
    // Kept upright while recovering: a bowing torso moves the CoM the recovery planned for.
    const bool recovering = recovery_.phase() != BalanceRecovery::Phase::kIdle;
    // Slow steps: the reference's double supports last longer than slow_double_support.
    // Set when a foot lifts: standing (a double support over 1 s) is not slow stepping,
    // as a quick walk's first steps falter with the slow weight.
    if (ref.feet[0].in_contact && ref.feet[1].in_contact) {
      if (double_support_since_ < 0) double_support_since_ = d.time;
    } else {
      if (double_support_since_ >= 0) {
        const double lasted = d.time - double_support_since_;
        slow_steps_ = lasted >= k.slow_double_support && lasted < 1.0;
      }
      double_support_since_ = -1;
    }
    // Travelling slow steps (进三退一) move the CoM on over the feet in double support: with
    // no ankle roll, the hips of flat, slightly non-parallel feet then need a free pelvis
    // roll and heading, so the pelvis is held loosely there and firmer in single support
    // (where its roll sets how the swing foot lands). Stepping on the spot (the cross step)
    // keeps the firm roll, or its feet bounce on landing.
    const bool travelling = Travelling(d.time);
    const bool single_support = !(ref.feet[0].in_contact && ref.feet[1].in_contact);
    double w = k.w_pelvis, w_pitch = k.w_pelvis_pitch, w_yaw = k.w_pelvis;
    if (recovering) {
      w = w_pitch = w_yaw = k.w_pelvis_recovery;
    } else if (slow_steps_) {
      w = !travelling ? k.w_pelvis_slow_steps
                      : single_support ? k.w_pelvis_travel_single_support : k.w_pelvis_travel_double_support;
      w_yaw = k.w_pelvis_yaw_slow_steps;
    }
    // Roll and pitch about the pelvis heading's axes (world z turned by the heading).
    const double c = std::cos(ref.pelvis_yaw), sn = std::sin(ref.pelvis_yaw);
    const Eigen::RowVectorXd J_roll = c * J_pelvis.row(3) + sn * J_pelvis.row(4);
    const Eigen::RowVectorXd J_pitch = -sn * J_pelvis.row(3) + c * J_pelvis.row(4);
    AddTask(J_roll, Eigen::Matrix<double, 1, 1>(c * acc.x() + sn * acc.y()), w, &p);
    AddTask(J_pitch, Eigen::Matrix<double, 1, 1>(-sn * acc.x() + c * acc.y()), w_pitch, &p);
    AddTask(J_pelvis.bottomRows<1>(), acc.tail<1>(), w_yaw, &p);  // heading
  }

  // Joint posture: torso twist, arms, nominal leg bend, handkerchief spin.
  for (int a = 0; a < info.nu; ++a) {
    const int dof = info.actuator_dof[a];
    double q_ref = nominal_q_[a], qd_ref = 0, kp = k.posture_kp, kd = k.posture_kd, w = k.w_legs;
    double acc = 0;
    bool have_acc = false;
    if (a == torso_actuator_) {
      q_ref = ref.torso_yaw, qd_ref = ref.torso_yaw_rate, w = k.w_torso;
    } else if (a == layout_.left_hanky || a == layout_.right_hanky) {
      const int side = a == layout_.left_hanky ? 0 : 1;
      const HankyReference& hr = ref.hanky[side];
      const double error = hr.spinning ? WrapAngle(hr.phase - state_.joint_q[a]) : 0;
      diagnostics_.hanky_phase_error[side] = error;
      acc = k.hanky_kp * error + k.hanky_kd * ((hr.spinning ? hr.rate : 0) - state_.joint_v[a]);
      have_acc = true;
      w = k.w_hanky;
    } else {
      const auto arm = std::find(arm_actuators_.begin(), arm_actuators_.end(), a);
      if (arm != arm_actuators_.end()) {
        const int j = static_cast<int>(arm - arm_actuators_.begin());
        q_ref = ref.arm_q[j], qd_ref = ref.arm_qd[j], kp = k.arm_kp, kd = k.arm_kd, w = k.w_arms;
      }
    }
    if (!have_acc) acc = kp * (q_ref - state_.joint_q[a]) + kd * (qd_ref - state_.joint_v[a]);
    p.H(dof, dof) += w;
    p.g(dof) -= w * acc;
  }

  // Regularisation.
  p.H.diagonal().head(nv).array() += k.w_qdd;
  p.H.diagonal().tail(6 * ns).array() += k.w_wrench;

  // Equality: the floating base's dynamics. Stance feet do not accelerate: a task of
  // weight w_stance, not an equality (see WholeBodyGains::w_stance).
  p.A_eq.setZero(6, n);
  p.A_eq.topLeftCorner(6, nv) = M.topRows(6);
  p.b_eq = -h.head(6);
  for (int s = 0; s < ns; ++s) {
    const int side = stance[s];
    p.A_eq.block(0, nv + 6 * s, 6, 6) = -J_foot[side].leftCols(6).transpose();
    AddFootTask(d, sole_site[side], J_foot[side], -foot_jdotv[side] - k.stance_damping * foot_jv[side],
                k.w_stance, &p);
  }

  // Inequalities: torque limits, then contact wrench cones.
  const int rows = info.nu + 11 * ns;
  p.C.setZero(rows, n);
  p.c_lower.setConstant(rows, -kInf);
  p.c_upper.setConstant(rows, kInf);
  for (int a = 0; a < info.nu; ++a) {
    const int dof = info.actuator_dof[a];
    p.C.row(a).head(nv) = M.row(dof);
    for (int s = 0; s < ns; ++s) p.C.row(a).segment(nv + 6 * s, 6) = -J_foot[stance[s]].col(dof).transpose();
    p.c_lower(a) = k.torque_margin * info.ctrl_min[a] - h(dof);
    p.c_upper(a) = k.torque_margin * info.ctrl_max[a] - h(dof);
  }
  for (int s = 0; s < ns; ++s) {
    const int side = stance[s];
    const Matrix3 R = RotationOf(d.site_xmat + 9 * sole_site[side]);
    const Sole& sole = soles_[side];
    const int f = nv + 6 * s, t = f + 3;  // force and moment columns
    int row = info.nu + 11 * s;
    auto add = [&](const Vector3& force_row, const Vector3& moment_row, double lo, double hi) {
      p.C.row(row).segment<3>(f) = force_row.transpose();
      p.C.row(row).segment<3>(t) = moment_row.transpose();
      p.c_lower(row) = lo;
      p.c_upper(row) = hi;
      ++row;
    };
    const Vector3 x = R.col(0), y = R.col(1), z = R.col(2), zero = Vector3::Zero();
    const double mu = k.friction;
    add(z, zero, k.min_normal_force, kInf);               // unilateral
    add(x - mu * z, zero, -kInf, 0);                      // friction pyramid
    add(x + mu * z, zero, 0, kInf);
    add(y - mu * z, zero, -kInf, 0);
    add(y + mu * z, zero, 0, kInf);
    const double slope = ContactLineSlope(sole, R);      // CoP y - slope (CoP x - heel)
    add((slope * sole.heel - sole.y_max) * z, x + slope * y, -kInf, 0);  // <= y_max
    add((slope * sole.heel - sole.y_min) * z, x + slope * y, 0, kInf);   // >= y_min
    add(sole.x_max * z, y, 0, kInf);                      // CoP x <= x_max
    add(sole.x_min * z, y, -kInf, 0);                     // CoP x >= x_min
    add(-kYawFriction * z, z, -kInf, 0);                  // yaw moment
    add(kYawFriction * z, z, 0, kInf);
  }
  p.x_lower.resize(0);
  p.x_upper.resize(0);
  // Recovery steps keep the knees bent (knee_min): a lower bound on their acceleration
  // that stops them within knee_limit_horizon at knee_min (dropped if it makes the QP
  // infeasible).
  if (k.knee_min > -kInf && recovery_.phase() != BalanceRecovery::Phase::kIdle) {
    p.x_lower.setConstant(n, -kInf);
    p.x_upper.setConstant(n, kInf);
    for (const int a : knee_actuators_) {
      const double h = k.knee_limit_horizon;
      const double q = state_.joint_q[a], qd = state_.joint_v[a];
      p.x_lower(info.actuator_dof[a]) = std::max(-kMaxKneeBrake, 2 * (k.knee_min - q - qd * h) / (h * h));
    }
  }

  QpStatus status = qp_.Solve(p, &solution_);
  if (status == QpStatus::kInfeasible && p.x_lower.size() > 0) {
    p.x_lower.resize(0);
    p.x_upper.resize(0);
    status = qp_.Solve(p, &solution_);
  }
  if (status == QpStatus::kInfeasible) {
    // The minimum normal forces may not fit the torque limits at a landing impact: retry
    // without them.
    for (int s = 0; s < ns; ++s) p.c_lower(info.nu + 11 * s) = 0;
    status = qp_.Solve(p, &solution_);
  }
  diagnostics_.qp_status = status;
  diagnostics_.qp_iterations = solution_.iterations;
  Eigen::VectorXd tau;
  if (status == QpStatus::kOptimal) {
    const Eigen::VectorXd qdd = solution_.x.head(nv);
    tau = M * qdd + h;
    Vector3 force = Vector3::Zero(), moment = Vector3::Zero();
    const Vector3 origin = com;
    for (int s = 0; s < ns; ++s) {
      const Eigen::Matrix<double, 6, 1> w = solution_.x.segment<6>(nv + 6 * s);
      tau.noalias() -= J_foot[stance[s]].transpose() * w;
      const Vector3 at(d.site_xpos + 3 * sole_site[stance[s]]);
      force += w.head<3>();
      moment += w.tail<3>() + (at - origin).cross(w.head<3>());
    }
    // Centre of pressure on the floor plane through the soles (diagnostic).
    const double floor_z = d.site_xpos[3 * sole_site[stance[0]] + 2];
    if (force.z() > 1e-6) {
      diagnostics_.cop.x() = origin.x() - (moment.y() + force.x() * (origin.z() - floor_z)) / force.z();
      diagnostics_.cop.y() = origin.y() + (moment.x() - force.y() * (origin.z() - floor_z)) / force.z();
    }
  } else {
    // The QP should always be feasible; if not, hold the posture with joint PD this tick.
    ++diagnostics_.qp_failures;
    diagnostics_.last_failure = status;
    diagnostics_.last_failure_time = d.time;
    tau = h;
    for (int a = 0; a < info.nu; ++a) {
      const int dof = info.actuator_dof[a];
      tau(dof) += M(dof, dof) * (k.posture_kp * (nominal_q_[a] - state_.joint_q[a]) - k.posture_kd * state_.joint_v[a]);
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

CatchUpStep PlanCatchUpStep(const Eigen::Vector2d& offset, const Eigen::Vector2d& other_offset, double yaw,
                            const WholeBodyGains& k) {
  const Eigen::Vector2d along(std::cos(yaw), std::sin(yaw));
  CatchUpStep step;
  step.land_offset = offset;
  // The front foot of a stagger the plan does not have stays down: on the rear foot alone
  // the CoM, between the feet, is out of its reach (the default show's r05, 20 cm
  // staggered after recovery steps, stepped its front foot back first and fell forward).
  step.hold = (offset - other_offset).dot(along) > k.catch_up_walk_reach;
  if (step.hold) return step;
  const double norm = offset.norm();
  Eigen::Vector2d land = offset * (norm > k.catch_up_step ? 1 - k.catch_up_step / norm : 0.0);
  const double shrunk = land.dot(along);
  land += (CatchUpLanding(shrunk, other_offset.dot(along), offset.dot(along), k) - shrunk) * along;
  step.land_offset = land;
  return step;
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
