#include "sim/runner.h"

#include <gtest/gtest.h>

#include <cmath>

#include "sim/error.h"
#include "sim/recording.h"

namespace yangbot {
namespace {

// A controller that commands nothing: the robot is a passive body.
class ZeroController : public RobotController {
 public:
  std::unique_ptr<RobotController> Clone() const override {
    return std::make_unique<ZeroController>(*this);
  }
  void Compute(const Scene& scene, int, const mjData&, double* ctrl) override {
    for (int a = 0; a < scene.robot_info().nu; ++a) ctrl[a] = 1e6;  // clamped to the limits
  }
};

ControllerFactory ZeroFactory() {
  return [](const Scene&, int) { return std::make_unique<ZeroController>(); };
}

std::unique_ptr<Scene> TwoRobots() {
  SceneOptions options;
  options.robots = 2;
  return Scene::Build(options);
}

TEST(RunnerTest, ClampsCommandsToTheTorqueLimitsAndCountsSaturation) {
  auto scene = TwoRobots();
  auto state = StartRun(*scene, ZeroFactory(), 1);
  Step(*scene, state.get());
  const RobotInfo& info = scene->robot_info();
  for (int a = 0; a < info.nu; ++a) EXPECT_DOUBLE_EQ(state->data->ctrl[a], info.ctrl_max[a]);
  EXPECT_EQ(state->metrics.robots[0].saturated_ticks, 1);
}

TEST(RunnerTest, SameSeedGivesTheSameStateBitForBit) {
  auto scene = TwoRobots();
  auto a = StartRun(*scene, ZeroFactory(), 42);
  auto b = StartRun(*scene, ZeroFactory(), 42);
  auto c = StartRun(*scene, ZeroFactory(), 43);
  RunUntil(*scene, a.get(), 0.5);
  RunUntil(*scene, b.get(), 0.5);
  RunUntil(*scene, c.get(), 0.5);
  EXPECT_EQ(StateHash(scene->model(), *a->data), StateHash(scene->model(), *b->data));
  EXPECT_NE(StateHash(scene->model(), *a->data), StateHash(scene->model(), *c->data));
}

TEST(RunnerTest, CloneContinuesExactlyLikeTheOriginal) {
  auto scene = TwoRobots();
  auto a = StartRun(*scene, ZeroFactory(), 3);
  RunUntil(*scene, a.get(), 0.2);
  auto b = a->Clone(*scene);
  RunUntil(*scene, a.get(), 0.4);
  RunUntil(*scene, b.get(), 0.4);
  EXPECT_EQ(StateHash(scene->model(), *a->data), StateHash(scene->model(), *b->data));
  EXPECT_EQ(a->steps, b->steps);
}

TEST(RunnerTest, PushFaultMovesOnlyTheTargetRobot) {
  auto scene = TwoRobots();
  Fault push;
  push.kind = Fault::Kind::kPush;
  push.robot = 1;
  push.time = 0.0;
  push.duration = 0.2;
  push.force[1] = 400;  // N, sideways
  auto pushed = StartRun(*scene, ZeroFactory(), 1, {push}, 0.0);
  auto calm = StartRun(*scene, ZeroFactory(), 1, {}, 0.0);
  RunUntil(*scene, pushed.get(), 0.2);
  RunUntil(*scene, calm.get(), 0.2);
  const int qy1 = scene->robot(1).qpos_begin + 1;
  EXPECT_GT(pushed->data->qpos[qy1] - calm->data->qpos[qy1], 0.01);
  EXPECT_NEAR(pushed->data->qpos[1], calm->data->qpos[1], 1e-9);
}

TEST(RunnerTest, DropoutPowersTheRobotDown) {
  auto scene = TwoRobots();
  Fault dropout;
  dropout.kind = Fault::Kind::kDropout;
  dropout.robot = 0;
  dropout.time = 0.1;
  auto state = StartRun(*scene, ZeroFactory(), 1, {dropout});
  RunUntil(*scene, state.get(), 0.2);
  EXPECT_FALSE(state->powered[0]);
  EXPECT_TRUE(state->powered[1]);
  for (int a = 0; a < scene->robot_info().nu; ++a) EXPECT_EQ(state->data->ctrl[a], 0.0);
}

TEST(RunnerTest, PassiveRobotsFallAndAreCounted) {
  auto scene = TwoRobots();
  Fault d0, d1;
  d0.kind = d1.kind = Fault::Kind::kDropout;
  d1.robot = 1;
  auto state = StartRun(*scene, ZeroFactory(), 1, {d0, d1});
  RunUntil(*scene, state.get(), 3.0);
  EXPECT_EQ(state->metrics.falls(), 2);
  EXPECT_GT(state->metrics.robots[0].fall_time, 0.0);
  EXPECT_EQ(state->metrics.mujoco_warnings, 0);  // fallen robots fit the constraint memory
}

TEST(RunnerTest, SixteenFallenRobotsFitTheConstraintMemory) {
  SceneOptions options;
  options.robots = 16;
  auto scene = Scene::Build(options);
  std::vector<Fault> faults;
  for (int i = 0; i < 16; ++i) {
    Fault dropout;
    dropout.kind = Fault::Kind::kDropout;
    dropout.robot = i;
    faults.push_back(dropout);
  }
  auto state = StartRun(*scene, ZeroFactory(), 1, faults);
  RunUntil(*scene, state.get(), 3.0);
  EXPECT_EQ(state->metrics.falls(), 16);
  EXPECT_EQ(state->metrics.mujoco_warnings, 0);
}

TEST(FaultTest, ParsesDropoutAndPush) {
  const Fault d = ParseFault("dropout:3@12.5");
  EXPECT_EQ(d.kind, Fault::Kind::kDropout);
  EXPECT_EQ(d.robot, 3);
  EXPECT_DOUBLE_EQ(d.time, 12.5);
  const Fault p = ParseFault("push:0@1:150,0,-10:0.2");
  EXPECT_EQ(p.kind, Fault::Kind::kPush);
  EXPECT_DOUBLE_EQ(p.force[0], 150);
  EXPECT_DOUBLE_EQ(p.force[2], -10);
  EXPECT_DOUBLE_EQ(p.duration, 0.2);
}

TEST(FaultTest, RejectsMalformedFaults) {
  for (const char* bad : {"", "push", "dropout:", "dropout:x@1", "dropout:1", "dropout:1@",
                          "dropout:1@nan", "dropout:1@-1", "push:1@1", "push:1@1:1,2:0.2",
                          "push:1@1:1,2,3:0", "push:1@1:1,2,3x:0.2", "kick:1@1",
                          "dropout:1@1:2", "push:-1@1:1,2,3:1", "push:1@1:1e9,0,0:1"}) {
    EXPECT_THROW(ParseFault(bad), Error) << bad;
  }
}

TEST(FaultTest, FaultOnAMissingRobotIsAnError) {
  auto scene = TwoRobots();
  EXPECT_THROW(StartRun(*scene, ZeroFactory(), 1, {ParseFault("dropout:5@1")}), Error);
}

}  // namespace
}  // namespace yangbot
