// Scenario tests of the whole-body controller: real simulations, headless, 2 ms
// physics, asserting on the simulated state.
#include "controllers/whole_body_controller.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <filesystem>
#include <fstream>
#include <regex>
#include <vector>

#include "sim/error.h"
#include "sim/metrics.h"
#include "sim/runner.h"
#include "sim/scene.h"
#include "tests/controllers/heavy_robot.h"

namespace yangbot {
namespace {

Eigen::Vector3d SitePosition(const Scene& scene, const mjData& d, const char* name) {
  const int site = mj_name2id(scene.model(), mjOBJ_SITE, name);
  return Eigen::Vector3d(d.site_xpos + 3 * site);
}

WholeBodyController* Controller(const RunState& state, int robot) {
  return dynamic_cast<WholeBodyController*>(state.controllers[robot].get());
}

TEST(WholeBodyControllerTest, StandsThirtySecondsWithoutSlipping) {
  SceneOptions options;
  options.robots = 1;
  auto scene = Scene::Build(options);
  auto state = StartRun(*scene, MakeWholeBodyControllerFactory(), 3);
  RunUntil(*scene, state.get(), 0.5);
  const double nominal_height = PelvisHeight(*scene, *state->data, 0);
  const Eigen::Vector3d left0 = SitePosition(*scene, *state->data, "r00/left_sole");
  const Eigen::Vector3d right0 = SitePosition(*scene, *state->data, "r00/right_sole");
  double worst_height_error = 0;
  while (state->data->time < 30.0) {
    Step(*scene, state.get());
    worst_height_error =
        std::max(worst_height_error, std::abs(PelvisHeight(*scene, *state->data, 0) - nominal_height));
  }
  EXPECT_EQ(state->metrics.falls(), 0);
  EXPECT_LT(worst_height_error, 0.03);
  EXPECT_LT((SitePosition(*scene, *state->data, "r00/left_sole") - left0).head<2>().norm(), 0.01);
  EXPECT_LT((SitePosition(*scene, *state->data, "r00/right_sole") - right0).head<2>().norm(), 0.01);
  EXPECT_EQ(Controller(*state, 0)->diagnostics().qp_failures, 0)
      << QpStatusName(Controller(*state, 0)->diagnostics().last_failure) << " at "
      << Controller(*state, 0)->diagnostics().last_failure_time;
  EXPECT_EQ(state->metrics.robots[0].saturated_ticks, 0);
  EXPECT_EQ(Controller(*state, 0)->diagnostics().saturated_ticks, 0);
  std::printf("stand 30 s: max torque %.0f%% of the limit, %lld saturated ticks\n",
              100 * state->metrics.robots[0].max_torque_ratio,
              static_cast<long long>(state->metrics.robots[0].saturated_ticks));
}

TEST(WholeBodyControllerTest, TwistsTheWaistThirtyDegreesAndSpinsWithoutFalling) {
  SceneOptions options;
  options.robots = 1;
  auto scene = Scene::Build(options);
  WholeBodyOptions controller;
  controller.stand_sway_amplitude = 30 * M_PI / 180;  // rad
  controller.stand_sway_frequency = 1.0;              // Hz
  controller.stand_hanky_rate = 3.0;                  // rev/s
  auto state = StartRun(*scene, MakeWholeBodyControllerFactory(controller), 5);
  const mjModel* m = scene->model();
  const int torso = m->jnt_qposadr[mj_name2id(m, mjOBJ_JOINT, "r00/torso")];
  double lo = 0, hi = 0, phase_error_sq = 0;
  int samples = 0;
  while (state->data->time < 20.0) {
    Step(*scene, state.get());
    lo = std::min(lo, state->data->qpos[torso]);
    hi = std::max(hi, state->data->qpos[torso]);
    if (state->data->time > 1.0) {
      for (double e : Controller(*state, 0)->diagnostics().hanky_phase_error) phase_error_sq += e * e;
      samples += 2;
    }
  }
  EXPECT_EQ(state->metrics.falls(), 0);
  EXPECT_GT(hi, 0.8 * controller.stand_sway_amplitude);
  EXPECT_LT(lo, -0.8 * controller.stand_sway_amplitude);
  const double phase_rms_deg = std::sqrt(phase_error_sq / samples) * 180 / M_PI;
  EXPECT_LT(phase_rms_deg, 10.0);
  EXPECT_EQ(state->metrics.robots[0].saturated_ticks, 0);
}

TEST(WholeBodyControllerTest, HandkerchiefsStayInPhaseAcrossRobots) {
  SceneOptions options;
  options.robots = 4;
  auto scene = Scene::Build(options);
  WholeBodyOptions controller;
  controller.stand_hanky_rate = 3.0;
  auto state = StartRun(*scene, MakeWholeBodyControllerFactory(controller), 9);
  RunUntil(*scene, state.get(), 3.0);
  const mjModel* m = scene->model();
  const double reference = 2 * M_PI * 3.0 * state->data->time;
  for (int i = 0; i < 4; ++i) {
    const int adr = m->jnt_qposadr[mj_name2id(m, mjOBJ_JOINT, (Scene::Prefix(i) + "left_hanky").c_str())];
    const double error = std::remainder(state->data->qpos[adr] - reference, 2 * M_PI);
    EXPECT_LT(std::abs(error), 10 * M_PI / 180) << "robot " << i;
  }
}

TEST(WholeBodyControllerTest, SixteenRobotsStandAndSway) {
  SceneOptions options;
  options.robots = 16;
  auto scene = Scene::Build(options);
  WholeBodyOptions controller;
  controller.stand_sway_amplitude = 0.2;
  controller.stand_hanky_rate = 2.0;
  auto state = StartRun(*scene, MakeWholeBodyControllerFactory(controller), 1);
  RunUntil(*scene, state.get(), 6.0);
  EXPECT_EQ(state->metrics.falls(), 0);
  EXPECT_EQ(state->metrics.mujoco_warnings, 0);
  for (int i = 0; i < 16; ++i) EXPECT_GT(state->metrics.robots[i].min_pelvis_height, 0.9);
}

// The first 0.3 s of 16 robots standing from their noisy start posture (seeds 1-4): no
// pelvis rises more than 1 cm. With the stance feet as hard 6-D equalities a foot rocking
// on a sole edge made the QP give up the CoM task, and 1-2 robots of 16 jumped 1-10 cm
// in 7 of seeds 1-8 (WholeBodyGains::w_stance).
TEST(WholeBodyControllerTest, SixteenRobotsStartWithoutAJump) {
  SceneOptions options;
  options.robots = 16;
  auto scene = Scene::Build(options);
  for (uint64_t seed = 1; seed <= 4; ++seed) {
    auto state = StartRun(*scene, MakeWholeBodyControllerFactory(WholeBodyOptions{}), seed);
    std::vector<double> start(16), highest(16);
    for (int i = 0; i < 16; ++i) start[i] = highest[i] = state->data->qpos[scene->robot(i).qpos_begin + 2];
    while (state->data->time < 0.3) {
      Step(*scene, state.get());
      for (int i = 0; i < 16; ++i) {
        highest[i] = std::max(highest[i], state->data->qpos[scene->robot(i).qpos_begin + 2]);
      }
    }
    for (int i = 0; i < 16; ++i) {
      EXPECT_LT(highest[i] - start[i], 0.01) << "seed " << seed << ", robot " << i;
    }
  }
}

TEST(WholeBodyControllerTest, ReadsMassesFromTheModelNotConstants) {
  // A robot 10% heavier in the torso still stands.
  const std::string path = testing::HeavyTorsoRobotPath("heavy_h1.xml");
  SceneOptions options;
  options.robots = 1;
  options.robot_path = path;
  auto scene = Scene::Build(options);
  ASSERT_NEAR(scene->robot_info().mass, 51.5 + 1.779, 0.01);
  auto state = StartRun(*scene, MakeWholeBodyControllerFactory(), 2);
  RunUntil(*scene, state.get(), 10.0);
  EXPECT_EQ(state->metrics.falls(), 0);
  EXPECT_GT(state->metrics.robots[0].min_pelvis_height, 0.93);
}

TEST(WholeBodyControllerTest, FallenRobotRelaxesAndStaysOnTheFloor) {
  SceneOptions options;
  options.robots = 1;
  auto scene = Scene::Build(options);
  Fault push;
  push.kind = Fault::Kind::kPush;
  push.time = 0.5;
  push.duration = 0.3;
  push.force[0] = 600;  // N: far beyond recovery
  auto state = StartRun(*scene, MakeWholeBodyControllerFactory(), 1, {push});
  RunUntil(*scene, state.get(), 5.0);
  EXPECT_TRUE(Controller(*state, 0)->fallen());
  EXPECT_EQ(state->metrics.falls(), 1);
  // Relaxed: it lies still and low, it does not fly or thrash.
  EXPECT_LT(PelvisHeight(*scene, *state->data, 0), 0.5);
  double speed = 0;
  for (int k = 0; k < scene->robot_info().nv; ++k) speed = std::max(speed, std::abs(state->data->qvel[k]));
  EXPECT_LT(speed, 1.0);
}

// Scenario 5: waist twist ±30° at 1 Hz with both arms swinging (shoulder pitch ±0.5 rad
// in antiphase, elbows bending 0-0.6 rad), 20 s: no fall, no saturated torque. The arms
// swing against the twist (left arm back while the torso turns left), as people do: their
// yaw momentum then cancels the torso's. Swinging with the twist adds them and the feet
// spin out after ~7 s (measured: falls at 7.5 s).
constexpr double kSwing = 0.5;  // rad, shoulder pitch amplitude
constexpr double kElbow = 0.3;  // rad, half the elbow bend
class TwistAndSwing : public ReferenceSource {
 public:
  explicit TwistAndSwing(RobotReference stand) : stand_(std::move(stand)) {}
  void Sample(double t, RobotReference* out) const override {
    *out = stand_;
    out->time = t;
    const double w = 2 * M_PI * 1.0;  // 1 Hz
    const double twist = 30 * M_PI / 180;
    out->torso_yaw = twist * std::sin(w * t);
    out->torso_yaw_rate = twist * w * std::cos(w * t);
    for (int side = 0; side < 2; ++side) {
      const double sign = side == 0 ? -1 : 1;  // antiphase, against the twist
      const int base = 4 * side;
      out->arm_q[base + 0] = stand_.arm_q[base + 0] + sign * kSwing * std::sin(w * t);  // shoulder pitch
      out->arm_qd[base + 0] = sign * kSwing * w * std::cos(w * t);
      out->arm_q[base + 3] = stand_.arm_q[base + 3] + kElbow * (1 - std::cos(w * t));  // elbow
      out->arm_qd[base + 3] = kElbow * w * std::sin(w * t);
    }
  }
  double end_time() const override { return 1e9; }

 private:
  RobotReference stand_;
};

TEST(WholeBodyControllerTest, TwistsTheWaistWithBothArmsSwingingForTwentySeconds) {
  SceneOptions options;
  options.robots = 1;
  auto scene = Scene::Build(options);
  // The standing reference the controller latches by itself, read from a probe run.
  auto probe = StartRun(*scene, MakeWholeBodyControllerFactory(), 4);
  Step(*scene, probe.get());
  auto source = std::make_shared<TwistAndSwing>(Controller(*probe, 0)->last_reference());
  auto state = StartRun(*scene, MakeWholeBodyControllerFactory({}, {source}), 4);
  const mjModel* m = scene->model();
  const int torso = m->jnt_qposadr[mj_name2id(m, mjOBJ_JOINT, "r00/torso")];
  const int shoulder = m->jnt_qposadr[mj_name2id(m, mjOBJ_JOINT, "r00/left_shoulder_pitch")];
  double twist_lo = 0, twist_hi = 0, arm_lo = 1e9, arm_hi = -1e9;
  while (state->data->time < 20.0) {
    Step(*scene, state.get());
    twist_lo = std::min(twist_lo, state->data->qpos[torso]);
    twist_hi = std::max(twist_hi, state->data->qpos[torso]);
    arm_lo = std::min(arm_lo, state->data->qpos[shoulder]);
    arm_hi = std::max(arm_hi, state->data->qpos[shoulder]);
  }
  const RobotMetrics& r = state->metrics.robots[0];
  std::printf("twist %.1f..%.1f deg, shoulder swing %.2f rad, max tilt %.1f deg, %lld saturated ticks, "
              "max torque %.0f%% of the limit, fell at %.2f s, %d recovery steps\n", twist_lo * 180 / M_PI, twist_hi * 180 / M_PI,
              arm_hi - arm_lo, r.max_tilt * 180 / M_PI, static_cast<long long>(r.saturated_ticks),
              100 * r.max_torque_ratio, r.fall_time, Controller(*state, 0)->diagnostics().recovery_steps);
  EXPECT_EQ(state->metrics.falls(), 0);
  EXPECT_FALSE(Controller(*state, 0)->fallen());
  EXPECT_GT(twist_hi, 0.8 * 30 * M_PI / 180);
  EXPECT_LT(twist_lo, -0.8 * 30 * M_PI / 180);
  EXPECT_GT(arm_hi - arm_lo, 0.8);  // of the 1.0 rad commanded
  EXPECT_EQ(r.saturated_ticks, 0);
  EXPECT_EQ(Controller(*state, 0)->diagnostics().saturated_ticks, 0);
  EXPECT_EQ(Controller(*state, 0)->diagnostics().recovery_steps, 0);
}

// The controller reads the base orientation and rate from the IMU sensors, not from qpos:
// a sensor reading of a 70° tilt (beyond sim/fall.h's 60°) makes it declare a fall although
// the robot stands.
TEST(WholeBodyControllerTest, ReadsTheBaseOrientationFromTheImu) {
  SceneOptions options;
  options.robots = 2;
  auto scene = Scene::Build(options);
  auto state = StartRun(*scene, MakeWholeBodyControllerFactory(), 1);
  RunUntil(*scene, state.get(), 0.2);
  mjData* d = state->data;
  const mjModel* m = scene->model();
  mj_step1(m, d);
  const RobotLayout layout = RobotLayout::Resolve(scene->robot_info());
  ASSERT_GE(layout.imu_quat_sensor, 0);
  for (int robot = 0; robot < 2; ++robot) {
    RobotState sensed;
    sensed.Read(*scene, robot, *d, layout);
    EXPECT_TRUE(sensed.from_imu);
    const int q0 = scene->robot(robot).qpos_begin, v0 = scene->robot(robot).dof_begin;
    for (int k = 3; k < 7; ++k) EXPECT_NEAR(sensed.q[k], d->qpos[q0 + k], 1e-9);
    for (int k = 3; k < 6; ++k) EXPECT_NEAR(sensed.v[k], d->qvel[v0 + k], 1e-9);
  }
  // Robot 1's IMU reports a 70° roll and a 1 rad/s spin; its qpos is unchanged.
  const int quat_adr = m->sensor_adr[scene->robot(1).sensor_begin + layout.imu_quat_sensor];
  const int gyro_adr = m->sensor_adr[scene->robot(1).sensor_begin + layout.imu_gyro_sensor];
  d->sensordata[quat_adr + 0] = std::cos(35 * M_PI / 180);
  d->sensordata[quat_adr + 1] = std::sin(35 * M_PI / 180);
  d->sensordata[quat_adr + 2] = d->sensordata[quat_adr + 3] = 0;
  d->sensordata[gyro_adr + 2] = 1.0;
  RobotState sensed;
  sensed.Read(*scene, 1, *d, layout);
  EXPECT_NEAR(sensed.BaseRotation()(2, 2), std::cos(70 * M_PI / 180), 1e-9);
  EXPECT_NEAR(sensed.v[5], 1.0, 1e-9);
  std::vector<double> ctrl(scene->robot_info().nu);
  state->controllers[0]->Compute(*scene, 0, *d, ctrl.data());
  state->controllers[1]->Compute(*scene, 1, *d, ctrl.data());
  EXPECT_FALSE(Controller(*state, 0)->fallen());
  EXPECT_TRUE(Controller(*state, 1)->fallen());
}

TEST(WholeBodyControllerTest, RejectsARobotWithoutFeet) {
  const std::string path = ::testing::TempDir() + "/footless.xml";
  std::ofstream(path) << R"(<mujoco><compiler autolimits="true"/><worldbody><body name="b" pos="0 0 1">
      <freejoint/><geom size="0.1" mass="1"/><body><joint name="j"/><geom size="0.05" mass="1"/></body>
      </body></worldbody><actuator><motor joint="j" ctrlrange="-1 1"/></actuator></mujoco>)";
  SceneOptions options;
  options.robots = 1;
  options.robot_path = path;
  auto scene = Scene::Build(options);
  try {
    WholeBodyController controller(*scene, 0, {});
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("not an H1 layout"), std::string::npos) << e.what();
  }
}

// The catch-up rule at each planned lift-off after recovery steps (offsets from the plan,
// heading +x, default gains: 5 cm a step, 5 cm ahead / 2 cm behind the other foot, 10 cm
// travel).
TEST(CatchUpStepTest, ShrinksTheOffsetByCatchUpStepWithTheFeetSquare) {
  const WholeBodyGains k;
  const CatchUpStep sideways = PlanCatchUpStep({0, 0.1}, {0, 0.1}, 0, k);
  EXPECT_FALSE(sideways.hold);
  EXPECT_NEAR(sideways.land_offset.x(), 0, 1e-12);
  EXPECT_NEAR(sideways.land_offset.y(), 0.1 - k.catch_up_step, 1e-12);
  const CatchUpStep near = PlanCatchUpStep({0.03, 0}, {0.01, 0}, 0, k);  // within one step: onto the plan
  EXPECT_NEAR(near.land_offset.norm(), 0.0, 1e-12);
}

TEST(CatchUpStepTest, StepsBackNoFurtherThanReachBackBehindTheOtherFoot) {
  const WholeBodyGains k;
  // Both feet 0.3 m ahead of the plan: 5 cm back would land 5 cm behind the other foot.
  const CatchUpStep step = PlanCatchUpStep({0.3, 0}, {0.3, 0}, 0, k);
  EXPECT_FALSE(step.hold);
  EXPECT_NEAR(step.land_offset.x(), 0.3 - k.catch_up_walk_reach_back, 1e-12);
}

TEST(CatchUpStepTest, TheRearFootOfAStaggerStepsUpAndTheFrontOneStaysDown) {
  const WholeBodyGains k;
  // Recovery steps left the left foot 0.45 m and the right 0.25 m ahead of the plan.
  const CatchUpStep front = PlanCatchUpStep({0.45, 0}, {0.25, 0}, 0, k);
  EXPECT_TRUE(front.hold);
  const CatchUpStep rear = PlanCatchUpStep({0.25, 0}, {0.45, 0}, 0, k);
  EXPECT_FALSE(rear.hold);
  // Toward the front foot, by at most catch_up_walk_along a step (away from the plan).
  EXPECT_NEAR(rear.land_offset.x(), 0.25 + k.catch_up_walk_along, 1e-12);
  // The same along a heading of 90 degrees.
  const CatchUpStep turned = PlanCatchUpStep({0, 0.25}, {0, 0.45}, M_PI / 2, k);
  EXPECT_NEAR(turned.land_offset.y(), 0.25 + k.catch_up_walk_along, 1e-12);
  EXPECT_NEAR(turned.land_offset.x(), 0, 1e-12);
  // Within reach of the other foot it shrinks toward the plan again.
  const CatchUpStep close = PlanCatchUpStep({0.35, 0}, {0.33, 0}, 0, k);
  EXPECT_FALSE(close.hold);
  EXPECT_NEAR(close.land_offset.x(), 0.33 - k.catch_up_walk_reach_back, 1e-12);
}

}  // namespace
}  // namespace yangbot
