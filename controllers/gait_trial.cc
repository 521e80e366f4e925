#include "controllers/gait_trial.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>

#include "controllers/robot_state.h"
#include "controllers/step_timing.h"
#include "controllers/walking_pattern.h"
#include "controllers/walking_reference.h"
#include "controllers/whole_body_controller.h"
#include "sim/scene.h"

namespace yangbot {
namespace {

// The upper body dancing over a walk: waist twist, arm swing opposing it, handkerchiefs
// spinning 3 rev/s (one twist cycle every two beats at 120 bpm).
class Dancing : public ReferenceSource {
 public:
  explicit Dancing(std::shared_ptr<const ReferenceSource> walk) : walk_(std::move(walk)) {}
  void Sample(double t, RobotReference* out) const override {
    walk_->Sample(t, out);
    const double w = M_PI, twist = 0.3, arm = 0.4;
    out->torso_yaw = twist * std::sin(w * t);
    out->torso_yaw_rate = twist * w * std::cos(w * t);
    out->arm_q[0] += arm * std::sin(w * t);  // left shoulder pitch
    out->arm_qd[0] = arm * w * std::cos(w * t);
    out->arm_q[4] -= arm * std::sin(w * t);  // right shoulder pitch
    out->arm_qd[4] = -arm * w * std::cos(w * t);
    for (HankyReference& h : out->hanky) {
      h.spinning = true;
      h.rate = 2 * M_PI * 3;
      h.phase = std::remainder(h.rate * t, 2 * M_PI);
    }
  }
  double end_time() const override { return walk_->end_time(); }

 private:
  std::shared_ptr<const ReferenceSource> walk_;
};

Eigen::Vector3d SitePosition(const Scene& scene, const mjData& d, const std::string& name) {
  return Eigen::Vector3d(d.site_xpos + 3 * mj_name2id(scene.model(), mjOBJ_SITE, name.c_str()));
}

double PelvisYaw(const Scene& scene, const mjData& d) {
  const double* m = d.xmat + 9 * scene.robot(0).body_begin;
  return std::atan2(m[3], m[0]);
}

}  // namespace

FootstepPlan PlanGaitTrial(const GaitTrial& trial, const Stance& start, double start_time,
                           std::vector<int>* segment_starts) {
  FootstepPlan plan;
  plan.start = start;
  if (segment_starts) segment_starts->clear();
  for (const GaitSegment& segment : trial.path) {
    if (segment_starts) segment_starts->push_back(static_cast<int>(plan.steps.size()));
    const Stance from = plan.Final();
    // The feet keep alternating through a change of command: a segment that begins with
    // the foot that ended the one before lifts it again 0.1 s after its touch-down, over
    // the other foot, whose long swing may just have landed off its plan; the DCM then runs
    // toward that stance foot's side and recovery steps follow.
    FootstepPlannerParams params = LineFootPlannerParams(trial.gait);
    FootstepPlannerParams in_place = LineFootTurnInPlaceParams(trial.gait);
    if (!plan.steps.empty()) params.first_foot = in_place.first_foot = OtherFoot(plan.steps.back().foot);
    const FootstepPlanner planner(params);
    const FootstepPlanner turn_in_place(in_place);
    if (segment.radius > 0) {
      plan.Append(planner.PlanArc(from, segment.radius, segment.dyaw));
    } else if (segment.dx == 0 && segment.dy == 0) {
      plan.Append(turn_in_place.PlanTurn(from, segment.dyaw));
    } else {
      plan.Append(planner.PlanRelative(from, segment.dx, segment.dy, segment.dyaw));
    }
  }
  BeatTiming timing;
  timing.bpm = trial.bpm;
  timing.steps_per_beat = trial.steps_per_beat;
  timing.start_time = start_time;
  timing.double_support_ratio = trial.gait.double_support_ratio;
  timing.first_touchdown_beat = trial.first_touchdown_beat;
  AssignBeatTimes(timing, &plan);
  return plan;
}

GaitTrial WalkingPushTrial(const std::string& robot_path, double dx, double dy) {
  GaitTrial trial;
  trial.robot_path = robot_path;
  trial.path = {{3.0, 0, 0}};
  trial.gait.limits.max_forward = 0.25;
  const double norm = std::hypot(dx, dy);
  Fault push;
  push.kind = Fault::Kind::kPush;
  push.time = 4.0;
  push.duration = 0.2;
  push.force[0] = 150 * dx / norm;
  push.force[1] = 150 * dy / norm;
  trial.faults = {push};
  trial.fault_time_per_seed = 0.05;
  trial.run_after = 4.0;
  return trial;
}

GaitTrialResult RunGaitTrial(const GaitTrial& trial, uint64_t seed) {
  SceneOptions options;
  options.robots = 1;
  options.robot_path = trial.robot_path;
  auto scene = Scene::Build(options);
  const mjModel* m = scene->model();
  // The start stance: where the standing robot's soles are after the start noise.
  auto probe = StartRun(*scene, MakeWholeBodyControllerFactory(), seed);
  const Eigen::Vector3d left0 = SitePosition(*scene, *probe->data, "r00/left_sole");
  const Eigen::Vector3d right0 = SitePosition(*scene, *probe->data, "r00/right_sole");
  const Eigen::Vector3d com0(probe->data->subtree_com + 3 * scene->robot(0).body_begin);
  Stance start;
  start.left = {left0.x(), left0.y(), 0};
  start.right = {right0.x(), right0.y(), 0};

  std::vector<int> segment_starts;  // index of each segment's first step
  const FootstepPlan plan = PlanGaitTrial(trial, start, 0.5, &segment_starts);

  const WalkingPatternParams pattern_params =
      LineFootPatternParams(trial.gait, 0.5 * (left0.z() + right0.z()), com0,
                            ReadSoleSupport(m, mj_name2id(m, mjOBJ_SITE, "r00/left_sole")).value_or(SoleSupport{}));
  auto pattern = std::make_shared<const WalkingPattern>(plan, pattern_params);
  WalkingPosture posture = LineFootPosture(pattern_params);
  const RobotInfo& info = scene->robot_info();
  const char* arms[kArmJoints] = {"left_shoulder_pitch",  "left_shoulder_roll",  "left_shoulder_yaw",
                                  "left_elbow",           "right_shoulder_pitch", "right_shoulder_roll",
                                  "right_shoulder_yaw",   "right_elbow"};
  for (int k = 0; k < kArmJoints; ++k) {
    posture.arm_q[k] = info.stand_qpos[info.actuator_qpos[RobotLayout::Actuator(info, arms[k])]];
  }
  std::shared_ptr<const ReferenceSource> reference = std::make_shared<WalkingReference>(pattern, posture);
  if (trial.dance) reference = std::make_shared<Dancing>(reference);

  WholeBodyOptions controller_options = trial.controller;
  controller_options.reference = reference;
  std::vector<Fault> faults = trial.faults;
  for (Fault& fault : faults) fault.time += static_cast<double>(seed) * trial.fault_time_per_seed;
  auto state = StartRun(*scene, MakeWholeBodyControllerFactory(controller_options), seed, faults);
  auto* controller = dynamic_cast<WholeBodyController*>(state->controllers[0].get());
  const std::array<int, 2> foot_body = {mj_name2id(m, mjOBJ_BODY, "r00/left_ankle_link"),
                                        mj_name2id(m, mjOBJ_BODY, "r00/right_ankle_link")};
  const std::array<std::string, 2> sole_site = {"r00/left_sole", "r00/right_sole"};
  const int free_qpos = scene->robot(0).qpos_begin;

  GaitTrialResult r;
  r.steps = static_cast<int>(plan.steps.size());
  std::array<std::vector<double>, 2> onsets;
  std::array<bool, 2> touching = {true, true};
  // Pelvis pose at each planned touch-down, and each landed sole 50 ms after it.
  std::vector<Eigen::Vector3d> at_touchdown(plan.steps.size(), Eigen::Vector3d::Zero());
  std::vector<Eigen::Vector2d> landed(plan.steps.size(), Eigen::Vector2d::Zero());
  size_t next_touchdown = 0, next_landing = 0;
  double yaw = PelvisYaw(*scene, *state->data), last_raw_yaw = yaw;
  const double step_period = 60.0 / trial.bpm / trial.steps_per_beat;
  const double last_touchdown = plan.steps.empty() ? plan.start_time : plan.steps.back().touchdown_time;
  bool stop_measured = false;
  Eigen::Vector3d last_com(state->data->subtree_com + 3 * scene->robot(0).body_begin);
  double com_speed = 0;  // m/s, horizontal, over the last physics step
  while (state->data->time < reference->end_time() + trial.run_after) {
    Step(*scene, state.get());
    const mjData& d = *state->data;
    const Eigen::Vector3d com(d.subtree_com + 3 * scene->robot(0).body_begin);
    com_speed = (com - last_com).head<2>().norm() / m->opt.timestep;
    last_com = com;
    const double raw_yaw = PelvisYaw(*scene, d);
    yaw += std::remainder(raw_yaw - last_raw_yaw, 2 * M_PI);
    last_raw_yaw = raw_yaw;
    for (int side = 0; side < 2; ++side) {
      bool now = false;
      for (int i = 0; i < d.ncon; ++i) {
        now |= m->geom_bodyid[d.contact[i].geom1] == foot_body[side] ||
               m->geom_bodyid[d.contact[i].geom2] == foot_body[side];
      }
      if (now && !touching[side]) onsets[side].push_back(d.time);
      touching[side] = now;
    }
    while (next_touchdown < plan.steps.size() && d.time >= plan.steps[next_touchdown].touchdown_time) {
      at_touchdown[next_touchdown++] = {d.qpos[free_qpos], d.qpos[free_qpos + 1], yaw};
    }
    while (next_landing < plan.steps.size() && d.time >= plan.steps[next_landing].touchdown_time + 0.05) {
      const int side = plan.steps[next_landing].foot == Foot::kLeft ? 0 : 1;
      landed[next_landing++] = SitePosition(*scene, d, sole_site[side]).head<2>();
    }
    if (!stop_measured && d.time >= last_touchdown + step_period) {
      stop_measured = true;
      r.stop_speed = com_speed;
    }
    if (trial.on_step) trial.on_step(*m, d, *controller);
    if (controller->fallen()) {
      r.fallen = true;
      r.fall_time = d.time;
      break;
    }
  }
  const mjData& d = *state->data;
  const Eigen::Vector2d centre =
      0.5 * (SitePosition(*scene, d, sole_site[0]) + SitePosition(*scene, d, sole_site[1])).head<2>();
  r.moved = centre - 0.5 * (left0 + right0).head<2>();
  r.yaw = yaw;
  const Pose2 goal = plan.Final().Center();
  r.position_error = (centre - Eigen::Vector2d(goal.x, goal.y)).norm();
  r.heading_error = std::abs(std::remainder(r.yaw - goal.yaw, 2 * M_PI));
  double sum_squares = 0;
  for (const Footstep& step : plan.steps) {
    double nearest = 1e9;
    for (double t : onsets[step.foot == Foot::kLeft ? 0 : 1]) {
      if (std::abs(t - step.touchdown_time) < std::abs(nearest)) nearest = t - step.touchdown_time;
    }
    if (std::abs(nearest) > 0.2) continue;  // not matched: counted as missing
    ++r.touchdowns;
    sum_squares += nearest * nearest;
    r.worst_touchdown_error = std::max(r.worst_touchdown_error, std::abs(nearest));
  }
  if (r.touchdowns > 0) r.touchdown_rms = std::sqrt(sum_squares / r.touchdowns);
  r.last_touchdown_time = last_touchdown;
  if (!plan.steps.empty()) r.walk_time = last_touchdown - plan.steps.front().liftoff_time;
  r.speed = r.moved.norm() / std::max(1e-9, r.walk_time);
  const int n = static_cast<int>(plan.steps.size());
  const int from = n >= 8 ? 2 : 0, to = n >= 8 ? n - 4 : n - 1;
  if (!r.fallen && to > from) {
    const double dt = plan.steps[to].touchdown_time - plan.steps[from].touchdown_time;
    r.sustained_speed = (at_touchdown[to] - at_touchdown[from]).head<2>().norm() / dt;
    r.sustained_yaw_rate = (at_touchdown[to].z() - at_touchdown[from].z()) / dt;
  }
  for (size_t s = 1; s < segment_starts.size(); ++s) {
    const int end = s + 1 < segment_starts.size() ? segment_starts[s + 1] : n;
    for (int i = segment_starts[s] + 2; i < std::min<int>(end, static_cast<int>(next_landing)); ++i) {
      const Eigen::Vector2d planned(plan.steps[i].pose.x, plan.steps[i].pose.y);
      r.settle_offset = std::max(r.settle_offset, (landed[i] - planned).norm());
    }
  }
  r.final_com_speed = com_speed;
  r.saturated_ticks = controller->diagnostics().saturated_ticks;
  r.max_torque_ratio = controller->diagnostics().max_torque_ratio;
  r.qp_failures = controller->diagnostics().qp_failures;
  return r;
}

}  // namespace yangbot
