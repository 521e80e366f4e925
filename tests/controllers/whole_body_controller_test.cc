// Scenario tests of the whole-body controller: real simulations, headless, 2 ms
// physics, asserting on the simulated state.
#include "controllers/whole_body_controller.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <regex>

#include "sim/error.h"
#include "sim/metrics.h"
#include "sim/runner.h"
#include "sim/scene.h"

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

TEST(WholeBodyControllerTest, ReadsMassesFromTheModelNotConstants) {
  // A robot 10% heavier in the torso still stands.
  std::string xml = ReadFileOrThrow(DefaultRobotPath());
  xml = std::regex_replace(xml, std::regex(R"(mass="17.79")"), R"(mass="19.569")");
  const std::string path = ::testing::TempDir() + "/heavy_h1.xml";
  std::ofstream(path) << xml;
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
    EXPECT_NE(std::string(e.what()).find("left_sole"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace yangbot
