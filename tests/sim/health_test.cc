// Simulation health (sim/runner.h): bad numbers and divergence are caught per robot, that
// robot's dance ends, and the others go on untouched.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "sim/error.h"
#include "sim/recording.h"
#include "sim/runner.h"
#include "tests/sim/sim_fixtures.h"

namespace yangbot {
namespace {

using testing::Passive;
using testing::SimTestdata;

std::unique_ptr<Scene> Stage(const std::string& robot_path, int robots, double timestep) {
  SceneOptions options;
  options.robots = robots;
  options.robot_path = robot_path;
  options.timestep = timestep;
  return Scene::Build(options);
}

bool AllFinite(const mjModel* m, const mjData& d) {
  for (int i = 0; i < m->nq; ++i) {
    if (!std::isfinite(d.qpos[i])) return false;
  }
  for (int i = 0; i < m->nv; ++i) {
    if (!std::isfinite(d.qvel[i])) return false;
  }
  return true;
}

// The events other than falls (the tiny test robot counts as fallen by the H1 criteria).
std::vector<RunEvent> HealthEvents(const RunState& state) {
  std::vector<RunEvent> out;
  for (const RunEvent& e : state.metrics.events) {
    if (e.kind != "fall") out.push_back(e);
  }
  return out;
}

int EventsOfKind(const RunState& state, int robot, const std::string& kind) {
  int count = 0;
  for (const RunEvent& e : state.metrics.events) count += e.robot == robot && e.kind == kind;
  return count;
}

TEST(HealthTest, AStiffRobotIsHealthyAtASmallTimeStep) {
  auto scene = Stage(SimTestdata("stiff_spring_robot.xml"), 2, 0.002);
  auto state = StartRun(*scene, Passive(), 1);
  RunUntil(*scene, state.get(), 1.0);
  EXPECT_EQ(FailedRobots(*state), 0);
  EXPECT_TRUE(HealthEvents(*state).empty());
}

TEST(HealthTest, ATimeStepTooLargeIsReportedPerRobotAndTheRunGoesOn) {
  // The same robot at 50 ms: its explicit spring (omega ~100 rad/s) diverges.
  auto scene = Stage(SimTestdata("stiff_spring_robot.xml"), 2, 0.05);
  auto state = StartRun(*scene, Passive(), 1);
  RunUntil(*scene, state.get(), 2.0);
  EXPECT_NEAR(state->data->time, 2.0, 1e-9);
  EXPECT_EQ(FailedRobots(*state), 2);
  for (int i = 0; i < 2; ++i) {
    EXPECT_TRUE(state->health[i].failed);
    EXPECT_FALSE(state->powered[i]);
    EXPECT_EQ(state->health[i].failure, "diverged");
    ASSERT_EQ(EventsOfKind(*state, i, "diverged"), 1) << "one event per robot";
  }
  for (const RunEvent& e : HealthEvents(*state)) {
    // The message names the robot's own joint and the divergence.
    EXPECT_NE(e.message.find(Scene::Prefix(e.robot)), std::string::npos) << e.message;
    EXPECT_NE(e.message.find("diverged"), std::string::npos) << e.message;
    EXPECT_LT(e.time, 1.0);
  }
  EXPECT_TRUE(AllFinite(scene->model(), *state->data));
  EXPECT_EQ(state->metrics.mujoco_warnings, 0) << "MuJoCo never had to reset the stage";
  const nlohmann::json report = MakeReport(*scene, *state, 1.0);
  EXPECT_EQ(report["failed_robots"], nlohmann::json({0, 1}));
  EXPECT_EQ(report["per_robot"][1]["failed"], true);
  EXPECT_EQ(report["per_robot"][1]["failure"], "diverged");
  int diverged = 0;
  for (const auto& e : report["events"]) diverged += e["kind"] == "diverged";
  EXPECT_EQ(diverged, 2);
}

class InjectedFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SceneOptions options;
    options.robots = 2;
    scene_ = Scene::Build(options);
  }
  std::unique_ptr<Scene> scene_;
};

TEST_F(InjectedFaultTest, ANanInOneRobotsVelocityFailsOnlyThatRobot) {
  auto hurt = StartRun(*scene_, Passive(), 1, {}, 0.0);
  auto calm = StartRun(*scene_, Passive(), 1, {}, 0.0);
  RunUntil(*scene_, hurt.get(), 0.2);
  RunUntil(*scene_, calm.get(), 0.2);
  const RobotIndex& r1 = scene_->robot(1);
  std::vector<mjtNum> pose(hurt->data->qpos + r1.qpos_begin,
                           hurt->data->qpos + r1.qpos_begin + scene_->robot_info().nq);
  hurt->data->qvel[r1.dof_begin + 8] = std::numeric_limits<double>::quiet_NaN();
  RunUntil(*scene_, hurt.get(), 0.6);
  RunUntil(*scene_, calm.get(), 0.6);
  EXPECT_TRUE(hurt->health[1].failed);
  EXPECT_FALSE(hurt->health[0].failed);
  EXPECT_EQ(hurt->health[1].failure, "bad_state");
  ASSERT_EQ(EventsOfKind(*hurt, 1, "bad_state"), 1);
  EXPECT_NEAR(hurt->metrics.events[0].time, 0.2, 1e-9);
  EXPECT_NE(hurt->metrics.events[0].message.find("qvel of r01/"), std::string::npos)
      << hurt->metrics.events[0].message;
  EXPECT_TRUE(AllFinite(scene_->model(), *hurt->data));
  EXPECT_EQ(hurt->metrics.mujoco_warnings, 0);
  // Robot 1 is held at its last healthy pose, at rest.
  for (size_t k = 0; k < pose.size(); ++k) EXPECT_EQ(hurt->data->qpos[r1.qpos_begin + k], pose[k]);
  for (int k = 0; k < scene_->robot_info().nv; ++k) EXPECT_EQ(hurt->data->qvel[r1.dof_begin + k], 0);
  // Robot 0 went on as if nothing happened (the contact solver couples the robots only
  // through its iterations).
  for (int k = 0; k < scene_->robot_info().nq; ++k) {
    EXPECT_NEAR(hurt->data->qpos[k], calm->data->qpos[k], 1e-6) << k;
  }
}

TEST_F(InjectedFaultTest, ANanForceIsCaughtBeforeTheSolverSpreadsIt) {
  auto state = StartRun(*scene_, Passive(), 1, {}, 0.0);
  RunUntil(*scene_, state.get(), 0.1);
  // qfrc_applied is where the viewer's mouse push goes; a NaN there makes qacc NaN.
  state->data->qfrc_applied[scene_->robot(0).dof_begin + 10] =
      std::numeric_limits<double>::quiet_NaN();
  Step(*scene_, state.get());
  state->data->qfrc_applied[scene_->robot(0).dof_begin + 10] = 0;
  RunUntil(*scene_, state.get(), 0.3);
  EXPECT_TRUE(state->health[0].failed);
  EXPECT_FALSE(state->health[1].failed);
  EXPECT_EQ(state->health[0].failure, "bad_qacc");
  EXPECT_TRUE(AllFinite(scene_->model(), *state->data));
  EXPECT_EQ(state->metrics.mujoco_warnings, 0);
}

TEST_F(InjectedFaultTest, AFailedRobotStaysFailedInAClone) {
  auto state = StartRun(*scene_, Passive(), 1);
  Step(*scene_, state.get());
  state->data->qpos[scene_->robot(1).qpos_begin + 2] = std::numeric_limits<double>::infinity();
  Step(*scene_, state.get());
  auto copy = state->Clone(*scene_);
  EXPECT_TRUE(copy->health[1].failed);
  EXPECT_EQ(copy->metrics.events.size(), state->metrics.events.size());
  RunUntil(*scene_, copy.get(), 0.1);
  EXPECT_EQ(FailedRobots(*copy), 1);
  EXPECT_TRUE(AllFinite(scene_->model(), *copy->data));
}

// A robot standing on 140 little feet: more contacts than the stage's contact memory
// (nconmax 20·N + 100) holds for one robot.
std::string CentipedeRobot() {
  std::string feet;
  for (int i = 0; i < 14; ++i) {
    for (int j = 0; j < 10; ++j) {
      feet += "<geom type=\"sphere\" size=\"0.02\" mass=\"0.05\" pos=\"" +
              std::to_string(-0.26 + 0.04 * i) + " " + std::to_string(-0.18 + 0.04 * j) +
              " -0.08\" contype=\"2\" conaffinity=\"1\"/>\n";
    }
  }
  const std::string path = ::testing::TempDir() + "/centipede.xml";
  WriteFileAtomic(path, R"(<mujoco><compiler autolimits="true"/><worldbody>
      <body name="base" pos="0 0 0.099"><freejoint name="root"/>
      <geom type="box" size="0.3 0.2 0.05" mass="5" contype="2" conaffinity="1"/>)" + feet +
      R"(<body name="arm" pos="0 0 0.1"><joint name="swing" axis="0 0 1"/>
      <geom type="capsule" fromto="0 0 0 0.3 0 0" size="0.03" mass="1"/></body></body>
      </worldbody><actuator><motor name="swing" joint="swing" ctrlrange="-1 1"/></actuator>
      </mujoco>)");
  return path;
}

int warnings_seen = 0;

TEST(HealthTest, AContactOverflowEndsTheDanceOfTheRobotThatCausedIt) {
  auto scene = Stage(CentipedeRobot(), 1, 0.002);
  // MuJoCo warns about the full contact memory; here that is expected (test_main.cc fails
  // tests on warnings), so count them instead.
  void (*saved)(const char*) = mju_user_warning;
  warnings_seen = 0;
  mju_user_warning = [](const char*) { ++warnings_seen; };
  auto state = StartRun(*scene, Passive(), 1);
  RunUntil(*scene, state.get(), 0.05);
  mju_user_warning = saved;
  EXPECT_GT(warnings_seen, 0);
  EXPECT_GT(state->metrics.mujoco_warnings, 0);
  EXPECT_TRUE(state->health[0].failed);
  EXPECT_EQ(state->health[0].failure, "contact_overflow");
  const std::vector<RunEvent> events = HealthEvents(*state);
  ASSERT_EQ(events.size(), 1u) << "one event, not one per step";
  EXPECT_NE(events[0].message.find("contact memory (nconmax 120) is full"), std::string::npos)
      << events[0].message;
  EXPECT_TRUE(AllFinite(scene->model(), *state->data));
}

}  // namespace
}  // namespace yangbot
