// Walking on H1-like narrow rolling feet (assets/robots/h1/h1_narrow.xml): the whole-body
// controller's DCM stabiliser and step-to-step foot placement under real dynamics, one
// robot, headless, 2 ms physics. Every walk here falls without the foot placement
// (FootPlacementParams::max_shift = 0: forward, backward and sideways all fall within
// a few steps), so each also guards the balance law.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "controllers/dcm_stabilizer.h"
#include "controllers/footstep_planner.h"
#include "controllers/line_foot_gait.h"
#include "controllers/step_timing.h"
#include "controllers/walking_pattern.h"
#include "controllers/walking_reference.h"
#include "controllers/whole_body_controller.h"
#include "sim/error.h"
#include "sim/metrics.h"
#include "sim/runner.h"
#include "sim/scene.h"

namespace yangbot {
namespace {

std::string NarrowRobotPath() {
  std::string path = DefaultRobotPath();
  return path.replace(path.rfind("h1.xml"), 6, "h1_narrow.xml");
}

std::unique_ptr<Scene> NarrowScene() {
  SceneOptions options;
  options.robots = 1;
  options.robot_path = NarrowRobotPath();
  return Scene::Build(options);
}

Eigen::Vector3d SitePosition(const Scene& scene, const mjData& d, const char* name) {
  return Eigen::Vector3d(d.site_xpos + 3 * mj_name2id(scene.model(), mjOBJ_SITE, name));
}

// The upper body dancing over a walk: waist twist, arm swing opposing it, handkerchiefs
// spinning (one cycle every two beats at 120 bpm).
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

struct Walk {
  double bpm = 120;
  double steps_per_beat = 1;
  double first_touchdown_beat = 4;
  bool dance = false;
  LineFootGait gait;
  std::vector<Fault> faults;
  WholeBodyOptions options;
};

struct WalkResult {
  bool fallen = false;
  Eigen::Vector2d moved = Eigen::Vector2d::Zero();  // m, stance centre, start to end
  double yaw = 0;                  // rad, pelvis heading at the end
  double position_error = 0;       // m, stance centre against the plan's final one
  double heading_error = 0;        // rad, against the plan's final heading
  int steps = 0;                   // planned
  int touchdowns = 0;              // planned touch-downs matched by a sole contact onset
  double worst_touchdown_error = 0;  // s, |contact onset - planned touch-down|
  double walk_time = 0;            // s, first lift-off to last touch-down
  double final_com_speed = 0;      // m/s, at the end
  int64_t saturated_ticks = 0;
  double max_torque_ratio = 0;
};

// Plans `plan_fn(planner, start stance)` with the line-foot gait, walks it to its end
// plus 1 s, and measures.
template <typename PlanFn>
WalkResult RunWalk(const Walk& walk, uint64_t seed, PlanFn plan_fn) {
  auto scene = NarrowScene();
  auto probe = StartRun(*scene, MakeWholeBodyControllerFactory(), seed);
  const Eigen::Vector3d left0 = SitePosition(*scene, *probe->data, "r00/left_sole");
  const Eigen::Vector3d right0 = SitePosition(*scene, *probe->data, "r00/right_sole");
  const Eigen::Vector3d com0(probe->data->subtree_com + 3 * scene->robot(0).body_begin);
  Stance start;
  start.left = {left0.x(), left0.y(), 0};
  start.right = {right0.x(), right0.y(), 0};
  FootstepPlan plan = plan_fn(FootstepPlanner(LineFootPlannerParams(walk.gait)), start);
  BeatTiming timing;
  timing.bpm = walk.bpm;
  timing.steps_per_beat = walk.steps_per_beat;
  timing.start_time = 0.5;
  timing.double_support_ratio = walk.gait.double_support_ratio;
  timing.first_touchdown_beat = walk.first_touchdown_beat;
  AssignBeatTimes(timing, &plan);
  const WalkingPatternParams pattern_params =
      LineFootPatternParams(walk.gait, 0.5 * (left0.z() + right0.z()), com0);
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
  if (walk.dance) reference = std::make_shared<Dancing>(reference);

  auto state = StartRun(*scene, MakeWholeBodyControllerFactory(walk.options, {reference}), seed, walk.faults);
  auto* controller = dynamic_cast<WholeBodyController*>(state->controllers[0].get());
  EXPECT_TRUE(controller->line_feet());
  const std::array<int, 2> foot_geom = {mj_name2id(scene->model(), mjOBJ_GEOM, "r00/left_foot"),
                                        mj_name2id(scene->model(), mjOBJ_GEOM, "r00/right_foot")};
  std::array<std::vector<double>, 2> onsets;
  std::array<bool, 2> touching = {true, true};
  while (state->data->time < reference->end_time() + 1.0 && !controller->fallen()) {
    Step(*scene, state.get());
    const mjData& d = *state->data;
    for (int side = 0; side < 2; ++side) {
      bool now = false;
      for (int i = 0; i < d.ncon; ++i) now |= d.contact[i].geom1 == foot_geom[side] || d.contact[i].geom2 == foot_geom[side];
      if (now && !touching[side]) onsets[side].push_back(d.time);
      touching[side] = now;
    }
  }
  const mjData& d = *state->data;
  WalkResult r;
  r.fallen = controller->fallen();
  const Eigen::Vector2d centre =
      0.5 * (SitePosition(*scene, d, "r00/left_sole") + SitePosition(*scene, d, "r00/right_sole")).head<2>();
  r.moved = centre - 0.5 * (left0 + right0).head<2>();
  const double* pelvis = d.xmat + 9 * scene->robot(0).body_begin;
  r.yaw = std::atan2(pelvis[3], pelvis[0]);
  const Pose2 goal = plan.Final().Center();
  r.position_error = (centre - Eigen::Vector2d(goal.x, goal.y)).norm();
  r.heading_error = std::abs(std::remainder(r.yaw - goal.yaw, 2 * M_PI));
  r.steps = static_cast<int>(plan.steps.size());
  for (const Footstep& step : plan.steps) {
    double nearest = 1e9;
    for (double t : onsets[step.foot == Foot::kLeft ? 0 : 1]) {
      if (std::abs(t - step.touchdown_time) < std::abs(nearest)) nearest = t - step.touchdown_time;
    }
    if (std::abs(nearest) > 0.2) continue;  // not matched: counted as missing
    ++r.touchdowns;
    r.worst_touchdown_error = std::max(r.worst_touchdown_error, std::abs(nearest));
  }
  if (!plan.steps.empty()) r.walk_time = plan.steps.back().touchdown_time - plan.steps.front().liftoff_time;
  r.final_com_speed = Eigen::Vector2d(d.qvel[0], d.qvel[1]).norm();
  r.saturated_ticks = controller->diagnostics().saturated_ticks;
  r.max_torque_ratio = controller->diagnostics().max_torque_ratio;
  std::printf("line feet: fallen %d, moved %.3f %.3f m, yaw %.3f rad, %.3f m / %.1f deg from the goal, %d/%d "
              "touch-downs, worst %.0f ms off the beat, %.2f m/s over %.2f s, torque %.0f%% of a limit\n",
              r.fallen, r.moved.x(), r.moved.y(), r.yaw, r.position_error, r.heading_error * 180 / M_PI,
              r.touchdowns, r.steps, r.worst_touchdown_error * 1000, r.moved.norm() / std::max(1e-9, r.walk_time),
              r.walk_time, 100 * r.max_torque_ratio);
  return r;
}

// The bars every walk here keeps: up, on the beat, arrived, within the motors' limits.
void ExpectGoodWalk(const WalkResult& r, double position_tolerance = 0.05) {
  EXPECT_FALSE(r.fallen);
  EXPECT_EQ(r.touchdowns, r.steps);
  EXPECT_LT(r.worst_touchdown_error, 0.025);
  EXPECT_LT(r.position_error, position_tolerance);
  EXPECT_LT(r.heading_error, 5 * M_PI / 180);
  EXPECT_EQ(r.saturated_ticks, 0);
  EXPECT_LE(r.max_torque_ratio, 1.0);
}

TEST(LineFootTest, ClampToConvexHullKeepsInsidePointsAndProjectsOutsideOnes) {
  const std::vector<Eigen::Vector2d> square = {{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0.5, 0.5}};
  EXPECT_TRUE(ClampToConvexHull(square, {0.3, 0.6}).isApprox(Eigen::Vector2d(0.3, 0.6)));
  EXPECT_TRUE(ClampToConvexHull(square, {2, 0.5}).isApprox(Eigen::Vector2d(1, 0.5)));
  EXPECT_TRUE(ClampToConvexHull(square, {-1, -1}).isApprox(Eigen::Vector2d(0, 0)));
  // A line sole (its corners pairwise equal): the closest point of the segment.
  const std::vector<Eigen::Vector2d> line = {{0, 0}, {0, 0}, {0.2, 0}, {0.2, 0}};
  EXPECT_TRUE(ClampToConvexHull(line, {0.1, 0.3}).isApprox(Eigen::Vector2d(0.1, 0)));
  EXPECT_TRUE(ClampToConvexHull(line, {0.5, -0.1}).isApprox(Eigen::Vector2d(0.2, 0)));
  EXPECT_TRUE(ClampToConvexHull({{0.3, 0.4}}, {0, 0}).isApprox(Eigen::Vector2d(0.3, 0.4)));
}

TEST(LineFootTest, TheDcmLawMovesTheCopByTheErrorWithinTheSupport) {
  DcmInput in;
  in.omega = 3;
  in.com_ref = {0.1, 0};
  in.com_ref_velocity = {0.3, 0};
  in.com_ref_acceleration = {0.9, 0};  // its CoP: 0.1 - 0.9 / 9 = 0
  in.com = in.com_ref;
  in.com_velocity = in.com_ref_velocity;
  in.support = {{-0.1, -0.2}, {0.1, -0.2}, {0.1, 0.2}, {-0.1, 0.2}};
  DcmOutput out = StabilizeDcm(in, 1.0);
  EXPECT_NEAR(out.cop.norm(), 0, 1e-12);
  EXPECT_TRUE(out.com_acceleration.isApprox(in.com_ref_acceleration));
  in.com_velocity.y() = 0.06;  // DCM 2 cm to the left: the CoP goes (1 + k) times that
  out = StabilizeDcm(in, 1.0);
  EXPECT_NEAR(out.dcm_error.y(), 0.02, 1e-12);
  EXPECT_NEAR(out.cop.y(), 0.04, 1e-12);
  in.support = {{-0.1, 0}, {0.1, 0}};  // a line sole: the CoP stays on it, the CoM falls freely
  out = StabilizeDcm(in, 1.0);
  EXPECT_NEAR(out.cop.y(), 0, 1e-12);
  EXPECT_NEAR(out.com_acceleration.y(), 0, 1e-12);
}

// Which soles are lines: read from the foot's collision geoms (the heel half's width).
TEST(LineFootTest, TellsLineSolesFromBoxSoles) {
  SceneOptions options;
  options.robots = 1;
  auto line_feet = [&](const std::string& path) {
    options.robot_path = path;
    auto scene = Scene::Build(options);
    return WholeBodyController(*scene, 0, {}).line_feet();
  };
  EXPECT_FALSE(line_feet(DefaultRobotPath()));  // 8 cm box soles
  EXPECT_TRUE(line_feet(NarrowRobotPath()));
  // The public H1 model's layout: a toe bar across the front of the capsule still rolls.
  std::string xml = ReadFileOrThrow(NarrowRobotPath());
  xml = std::regex_replace(xml, std::regex(R"((<geom name="(left|right)_foot" class="h1_foot"/>))"),
                           R"($1<geom class="h1_foot" fromto="0.14 -0.03 -0.056 0.14 0.03 -0.056"/>)");
  ASSERT_NE(xml.find(R"(_foot" class="h1_foot"/><geom class="h1_foot" fromto="0.14)"), std::string::npos);
  const std::string toe_bar = ::testing::TempDir() + "/h1_toe_bar.xml";
  std::ofstream(toe_bar) << xml;
  EXPECT_TRUE(line_feet(toe_bar));
}

TEST(LineFootTest, StandsTwistingAndSpinningOnRollingFeet) {
  auto scene = NarrowScene();
  WholeBodyOptions options;
  options.stand_sway_amplitude = 0.5;
  options.stand_hanky_rate = 3;
  auto state = StartRun(*scene, MakeWholeBodyControllerFactory(options), 3);
  auto* controller = dynamic_cast<WholeBodyController*>(state->controllers[0].get());
  ASSERT_TRUE(controller->line_feet());
  const Eigen::Vector3d start(state->data->qpos);
  while (state->data->time < 12) Step(*scene, state.get());
  EXPECT_FALSE(controller->fallen());
  EXPECT_LT((Eigen::Vector3d(state->data->qpos) - start).head<2>().norm(), 0.01);
  EXPECT_EQ(controller->diagnostics().saturated_ticks, 0);
  EXPECT_EQ(controller->diagnostics().qp_failures, 0);
}

TEST(LineFootTest, WalksForwardAtOneMetrePerSecond) {
  const WalkResult r = RunWalk(Walk{}, 2, [](const FootstepPlanner& p, const Stance& s) {
    return p.PlanRelative(s, 4.0, 0, 0);  // 0.5 m steps, one a beat at 120 bpm
  });
  ExpectGoodWalk(r, 0.08);  // the last landings' offsets stay (5 cm across here)
  EXPECT_GT(r.moved.x(), 3.9);
  EXPECT_GT(r.moved.x() / r.walk_time, 0.85);  // the start and the closing step included
}

TEST(LineFootTest, WalksBackward) {
  const WalkResult r = RunWalk(Walk{}, 2, [](const FootstepPlanner& p, const Stance& s) {
    return p.PlanRelative(s, -2.0, 0, 0);  // 0.3 m steps
  });
  ExpectGoodWalk(r);
  EXPECT_LT(r.moved.x(), -1.95);
  EXPECT_GT(-r.moved.x() / r.walk_time, 0.45);
}

TEST(LineFootTest, WalksSidewaysFacingTheAudience) {
  const WalkResult r = RunWalk(Walk{}, 2, [](const FootstepPlanner& p, const Stance& s) {
    return p.PlanRelative(s, 0, 2.0, 0);
  });
  ExpectGoodWalk(r);
  EXPECT_GT(r.moved.y(), 1.95);
  EXPECT_LT(std::abs(r.yaw), 0.05);
  EXPECT_GT(r.moved.y() / r.walk_time, 0.33);
}

TEST(LineFootTest, TurnsNinetyDegreesInPlaceWithinFourBeats) {
  const WalkResult r = RunWalk(Walk{}, 2, [](const FootstepPlanner& p, const Stance& s) {
    return p.PlanRelative(s, 0, 0, M_PI / 2);
  });
  ExpectGoodWalk(r, 0.15);  // the feet slip in yaw and the landings drift 14 cm: a gap
  EXPECT_LE(r.steps, 4);
  EXPECT_NEAR(r.yaw, M_PI / 2, 0.05);
}

TEST(LineFootTest, WalksAMixedPathWhileTheUpperBodyDances) {
  Walk walk;
  walk.dance = true;
  const WalkResult r = RunWalk(walk, 2, [](const FootstepPlanner& p, const Stance& s) {
    return p.PlanRelative(s, 1.5, 0.5, 1.0);
  });
  ExpectGoodWalk(r);
  EXPECT_GT(r.moved.norm(), 1.5);
}

TEST(LineFootTest, StartsAndStopsWithinAStepAtTwoStepsABeat) {
  Walk walk;
  walk.steps_per_beat = 2;
  walk.first_touchdown_beat = 2;
  walk.gait.limits.max_forward = 0.3;  // 1.2 m/s
  const WalkResult r = RunWalk(walk, 2, [](const FootstepPlanner& p, const Stance& s) {
    return p.PlanRelative(s, 3.0, 0, 0);
  });
  ExpectGoodWalk(r, 0.1);  // 6-9 cm at 1.2 m/s: the last landings' offsets stay
  EXPECT_GT(r.moved.x(), 2.9);
  EXPECT_LT(r.final_com_speed, 0.05);  // standing again at the end
}

// 30 N·s on the torso (150 N for 0.2 s) forward as a 0.5 m/s walk's right foot lands: the
// DCM runs further than the landing law can take up, the swinging foot is taken over and
// lands from the DCM sooner than planned, capture steps follow, and the walk goes on
// catching up with the plan. Without the recovery steps the robot falls.
TEST(LineFootTest, RecoversFromAPushWhileWalking) {
  Walk walk;
  walk.gait.limits.max_forward = 0.25;  // 0.5 m/s at one step a beat, 120 bpm
  Fault push;
  push.kind = Fault::Kind::kPush;
  push.time = 4.0;
  push.duration = 0.2;
  push.force[0] = 150;
  walk.faults = {push};
  const WalkResult r = RunWalk(walk, 1, [](const FootstepPlanner& p, const Stance& s) {
    return p.PlanRelative(s, 3.0, 0, 0);
  });
  EXPECT_FALSE(r.fallen);
  EXPECT_GT(r.moved.x(), 1.0);  // walked on after the push
}

}  // namespace
}  // namespace yangbot
