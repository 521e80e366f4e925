// Scenario tests: real simulations, headless, asserting on the simulated state.
#include "controllers/posture_controller.h"

#include <gtest/gtest.h>

#include <cmath>

#include "sim/metrics.h"
#include "sim/runner.h"
#include "sim/scene.h"

namespace yangbot {
namespace {

TEST(PostureControllerTest, SixteenRobotsStandAndSwayWithoutFalling) {
  SceneOptions options;
  options.robots = 16;
  auto scene = Scene::Build(options);
  auto state = StartRun(*scene, MakePostureControllerFactory(), /*seed=*/7);
  RunUntil(*scene, state.get(), 8.0);
  EXPECT_EQ(state->metrics.falls(), 0);
  EXPECT_EQ(state->metrics.mujoco_warnings, 0);
  for (int i = 0; i < scene->robot_count(); ++i) {
    EXPECT_GT(state->metrics.robots[i].min_pelvis_height, 0.8) << "robot " << i;
  }
  // The torso really sways: its joint moved through most of the commanded ±0.2 rad.
  const int torso = mj_name2id(scene->model(), mjOBJ_JOINT, "r03/torso");
  double lo = 1e9, hi = -1e9;
  for (int k = 0; k < 1000; ++k) {  // two more sway periods
    Step(*scene, state.get());
    const double q = state->data->qpos[scene->model()->jnt_qposadr[torso]];
    lo = std::min(lo, q);
    hi = std::max(hi, q);
  }
  EXPECT_GT(hi - lo, 0.3);
}

TEST(PostureControllerTest, HandkerchiefsTurnAtTheCommandedRate) {
  SceneOptions options;
  options.robots = 2;
  auto scene = Scene::Build(options);
  PostureControllerOptions controller;
  controller.hanky_rate = 3.0;  // rev/s
  auto state = StartRun(*scene, MakePostureControllerFactory(controller), 1);
  RunUntil(*scene, state.get(), 1.0);
  const mjModel* m = scene->model();
  std::vector<double> start;
  std::vector<int> adr;
  for (const char* name : {"r00/left_hanky", "r00/right_hanky", "r01/left_hanky"}) {
    adr.push_back(m->jnt_qposadr[mj_name2id(m, mjOBJ_JOINT, name)]);
    start.push_back(state->data->qpos[adr.back()]);
  }
  RunUntil(*scene, state.get(), 5.0);
  for (size_t k = 0; k < adr.size(); ++k) {
    const double rev_per_s = (state->data->qpos[adr[k]] - start[k]) / (2 * M_PI) / 4.0;
    EXPECT_NEAR(rev_per_s, 3.0, 0.15) << "spinner " << k;  // ±5%
  }
}

TEST(PostureControllerTest, APlainJointHoldWithoutBalanceWouldFall) {
  // Guards the reason the balance term exists: with the capture-point term removed
  // (zero ctrl from a dropout at t=0) the robot does fall, so the metric can fail.
  SceneOptions options;
  options.robots = 1;
  auto scene = Scene::Build(options);
  Fault dropout;
  dropout.kind = Fault::Kind::kDropout;
  auto state = StartRun(*scene, MakePostureControllerFactory(), 1, {dropout});
  RunUntil(*scene, state.get(), 4.0);
  EXPECT_EQ(state->metrics.falls(), 1);
}

}  // namespace
}  // namespace yangbot
