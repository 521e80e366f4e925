// The run's metrics from simulated state: bumps between robots (robot_contacts) and the
// fall definition (sim/fall.h) that the metrics and the controllers share.
#include "sim/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

#include "controllers/whole_body_controller.h"
#include "sim/recording.h"
#include "sim/runner.h"
#include "tests/sim/sim_fixtures.h"

namespace yangbot {
namespace {

constexpr double kDeg = M_PI / 180;

// Two 6 kg tiny test robots (tests/sim/testdata/tiny_robot.xml: a 0.2 m box with an arm),
// 0.5 m apart on x; robot 0 is shoved towards robot 1 (150 N for 0.2 s against mu 1
// friction: about 3 m/s after 0.3 m) and runs into it.
TEST(RobotContactTest, ABoxShovedIntoAnotherIsOneBumpWithItsMomentum) {
  SceneOptions options;
  options.robots = 2;
  options.robot_path = testing::SimTestdata("tiny_robot.xml");
  options.placements = {{0, 0, 0}, {0.5, 0, 0}};
  auto scene = Scene::Build(options);
  const mjModel* m = scene->model();
  double mass = 0;
  for (int b = 1; b <= scene->robot_info().nbody; ++b) mass += m->body_mass[b];
  Fault shove;
  shove.kind = Fault::Kind::kPush;
  shove.robot = 0;
  shove.time = 0.2;  // after settling on the floor
  shove.duration = 0.2;
  shove.force[0] = 150;  // N
  auto state = StartRun(*scene, testing::Passive(), 1, {shove}, 0.0);
  // The speed of robot 0 just before the first contact between the two.
  double speed = 0;
  while (state->data->time < 1.0 && state->metrics.robot_contacts.empty()) {
    speed = state->data->qvel[scene->robot(0).dof_begin];
    Step(*scene, state.get());
  }
  ASSERT_EQ(state->metrics.robot_contacts.size(), 1u) << "no bump within 1 s";
  const double x1 = state->data->qpos[scene->robot(1).qpos_begin];
  RunUntil(*scene, state.get(), 1.5);
  ASSERT_EQ(state->metrics.robot_contacts.size(), 1u);
  const RobotContact& bump = state->metrics.robot_contacts[0];
  std::printf("bump at %.3f-%.3f s: %.2f m/s, peak %.0f N, impulse %.2f N·s (momentum %.2f)\n",
              bump.start_time, bump.end_time, speed, bump.peak_force, bump.impulse, mass * speed);
  EXPECT_EQ(bump.robot_a, 0);
  EXPECT_EQ(bump.robot_b, 1);
  EXPECT_GT(speed, 1.0);
  EXPECT_GT(bump.start_time, shove.time);
  EXPECT_GE(bump.end_time, bump.start_time);
  // Equal masses: robot 1 takes at least half the momentum (a plastic bump); after it the
  // boxes rest against each other, one leaning on the other with at most its weight.
  const double duration = bump.end_time - bump.start_time + m->opt.timestep;
  EXPECT_GT(bump.impulse, 0.4 * mass * speed);
  EXPECT_LT(bump.impulse, 1.5 * mass * speed + shove.force[0] * 0.1 + mass * 9.81 * duration);
  EXPECT_GT(bump.peak_force, bump.impulse / duration);
  EXPECT_LT(bump.peak_force, 2e4);
  // The contact moved robot 1: the bump is physics, not only a record.
  EXPECT_GT(state->data->qpos[scene->robot(1).qpos_begin] - x1, 0.05);
  ASSERT_FALSE(state->metrics.events.empty());
  EXPECT_EQ(state->metrics.events.back().kind, "bump");
  // The report carries it.
  const auto report = MakeReport(*scene, *state, 1.0);
  ASSERT_EQ(report["robot_contacts"].size(), 1u);
  EXPECT_EQ(report["robot_collisions"], 1);
  EXPECT_EQ(report["robot_contacts"][0]["robots"], nlohmann::json::array({0, 1}));
  EXPECT_DOUBLE_EQ(report["robot_contacts"][0]["peak_force_n"].get<double>(), bump.peak_force);
}

// Two H1s face each other 0.8 m apart under the whole-body controller; robot 0 is pushed
// into robot 1 (60 N·s) and stumbles into it. The bump is recorded with a plausible force,
// and whatever happens after is physics: no bad state, no MuJoCo warning, no overflow.
TEST(RobotContactTest, AnH1PushedIntoAnotherBumpsIt) {
  SceneOptions options;
  options.robots = 2;
  options.placements = {{0, 0, 0}, {0.8, 0, M_PI}};
  auto scene = Scene::Build(options);
  Fault push;
  push.kind = Fault::Kind::kPush;
  push.robot = 0;
  push.time = 0.5;
  push.duration = 0.2;
  push.force[0] = 300;  // N, towards robot 1
  auto state = StartRun(*scene, MakeWholeBodyControllerFactory(), 1, {push});
  RunUntil(*scene, state.get(), 3.0);
  const Metrics& metrics = state->metrics;
  ASSERT_FALSE(metrics.robot_contacts.empty());
  const RobotContact& bump = metrics.robot_contacts[0];
  std::printf("H1 bump at %.3f-%.3f s: peak %.0f N, impulse %.1f N·s; falls %d\n",
              bump.start_time, bump.end_time, bump.peak_force, bump.impulse, metrics.falls());
  EXPECT_EQ(bump.robot_a, 0);
  EXPECT_EQ(bump.robot_b, 1);
  EXPECT_GT(bump.start_time, push.time);
  EXPECT_GT(bump.peak_force, 10);
  EXPECT_LT(bump.peak_force, 2e4);
  EXPECT_GT(bump.impulse, 0);
  EXPECT_LT(bump.impulse, 60 + 51.5 * 9.81 * 2.5);  // the push and at most the robot's weight
  EXPECT_EQ(metrics.mujoco_warnings, 0);
  for (const RunEvent& e : metrics.events) {
    EXPECT_TRUE(e.kind == "push" || e.kind == "bump" || e.kind == "fall") << e.kind << ": " << e.message;
  }
}

// Robots at the stage's separation (0.6 m pelvis to pelvis, side by side) stand 2 s
// without touching: arms and handkerchiefs keep clear, so no bump is reported.
TEST(RobotContactTest, RobotsStandingApartReportNoBump) {
  SceneOptions options;
  options.robots = 2;
  options.placements = {{0, 0.3, 0}, {0, -0.3, 0}};
  auto scene = Scene::Build(options);
  auto state = StartRun(*scene, MakeWholeBodyControllerFactory(), 1);
  RunUntil(*scene, state.get(), 2.0);
  EXPECT_EQ(state->metrics.falls(), 0);
  EXPECT_TRUE(state->metrics.robot_contacts.empty());
  const auto report = MakeReport(*scene, *state, 1.0);
  EXPECT_TRUE(report["robot_contacts"].is_array());
  EXPECT_EQ(report["robot_contacts"].size(), 0u);
  EXPECT_EQ(report["robot_collisions"], 0);
}

// The one fall definition: the deepest poses the dances and recoveries reach are not
// falls, a robot on its knees or on the floor is.
TEST(FallTest, DeepDancePosesAreNotFallsLyingAndKneelingAre) {
  EXPECT_FALSE(IsFallen(0.98, 0));           // standing
  EXPECT_FALSE(IsFallen(0.65, 40 * kDeg));   // lowest and most tilted survivor of the pushes
  EXPECT_FALSE(IsFallen(0.85, 50 * kDeg));   // the move library's deepest bow (45 deg) overshot
  EXPECT_TRUE(IsFallen(0.45, 5 * kDeg));     // down on a knee, trunk upright
  EXPECT_TRUE(IsFallen(0.2, 85 * kDeg));     // lying on the floor
  EXPECT_TRUE(IsFallen(0.7, 65 * kDeg));     // toppling over
}

// The metrics and the whole-body controller call the same robot fallen at the same step:
// a robot pushed far beyond recovery is declared fallen by both within one tick.
TEST(FallTest, TheMetricsAndTheControllerAgreeOnTheFall) {
  SceneOptions options;
  options.robots = 1;
  auto scene = Scene::Build(options);
  Fault push;
  push.kind = Fault::Kind::kPush;
  push.time = 0.3;
  push.duration = 0.3;
  push.force[0] = 600;  // N
  auto state = StartRun(*scene, MakeWholeBodyControllerFactory(), 1, {push});
  double controller_time = -1;
  while (state->data->time < 3.0 && (controller_time < 0 || !state->metrics.robots[0].fallen)) {
    Step(*scene, state.get());
    if (controller_time < 0 && state->controllers[0]->fallen()) controller_time = state->data->time;
  }
  ASSERT_TRUE(state->metrics.robots[0].fallen);
  ASSERT_GE(controller_time, 0);
  std::printf("fall: metrics %.3f s, controller %.3f s\n", state->metrics.robots[0].fall_time,
              controller_time);
  // The controller reads the state at the start of a step, the metrics at its end.
  EXPECT_NEAR(state->metrics.robots[0].fall_time, controller_time, 2.5 * scene->model()->opt.timestep);
}

}  // namespace
}  // namespace yangbot
