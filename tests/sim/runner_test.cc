#include "sim/runner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "sim/error.h"
#include "sim/recording.h"
#include "tests/sim/sim_fixtures.h"

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

// Friction as hard as rubber on a stage (sim/scene.cc: elliptic cones, impratio 100): a
// 6 kg box (tests/sim/testdata/tiny_robot.xml) shoved sideways with half the force that
// would slide it (mu 1) for 1 s creeps 0.07 mm. With MuJoCo's defaults (pyramidal cones,
// impratio 1) it crept 3.7 mm; on a robot's lightly loaded foot on its sole's
// edge such creep came to 10-20 cm while settling after recovery steps (NOTES.md,
// "Feet that crept were the contact model's").
TEST(RunnerTest, ContactsDoNotCreepInsideTheFrictionCone) {
  SceneOptions options;
  options.robots = 1;
  options.robot_path = testing::SimTestdata("tiny_robot.xml");
  auto scene = Scene::Build(options);
  const mjModel* m = scene->model();
  double mass = 0;
  for (int b = 1; b < m->nbody; ++b) mass += m->body_mass[b];
  Fault push;
  push.kind = Fault::Kind::kPush;
  push.time = 0.5;  // after settling onto the floor
  push.duration = 1.0;
  push.force[1] = 0.5 * mass * 9.81;  // N, half of mu * weight
  auto state = StartRun(*scene, testing::Passive(), 1, {push}, 0.0);
  RunUntil(*scene, state.get(), push.time);
  const double y0 = state->data->qpos[1];
  RunUntil(*scene, state.get(), push.time + push.duration);
  const double creep = std::abs(state->data->qpos[1] - y0);
  std::printf("creep under half the sliding force for 1 s: %.4f mm\n", 1e3 * creep);
  EXPECT_LT(creep, 0.5e-3);
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

TEST(FaultTest, ParsesImuAndMotorFaults) {
  const Fault imu = ParseFault("imu:1@2.5:0.5");
  EXPECT_EQ(imu.kind, Fault::Kind::kImuFreeze);
  EXPECT_EQ(imu.robot, 1);
  EXPECT_DOUBLE_EQ(imu.time, 2.5);
  EXPECT_DOUBLE_EQ(imu.duration, 0.5);
  const Fault motor = ParseFault("motor:0@1:left_knee:0.5");
  EXPECT_EQ(motor.kind, Fault::Kind::kWeakMotor);
  EXPECT_EQ(motor.joint, "left_knee");
  EXPECT_DOUBLE_EQ(motor.fraction, 0.5);
}

// Each malformed fault names the problem and the form expected for its kind.
TEST(FaultTest, ErrorsSayWhatIsWrongAndWhatWasExpected) {
  const std::pair<const char*, const char*> cases[] = {
      {"kick:1@1", "unknown fault kind 'kick'"},
      {"imu:1@1", "imu needs a DURATION (expected imu:ROBOT@TIME:DURATION)"},
      {"imu:1@1:0", "duration must be in (0, 1e4] s"},
      {"imu:1@1:0.5:2", "imu needs a DURATION"},
      {"imu:x@1:0.5", "bad robot index 'x'"},
      {"motor:1@1:left_knee", "motor needs a JOINT and a FRACTION (expected "
                              "motor:ROBOT@TIME:JOINT:FRACTION)"},
      {"motor:1@1::0.5", "missing JOINT"},
      {"motor:1@1:left_knee:1.5", "FRACTION must be in [0, 1]"},
      {"motor:1@1:left_knee:half", "bad fraction 'half'"},
      {"motor:1@1:left_knee:", "bad fraction ''"},
      {"dropout:1@1:", "dropout takes only a time"},
      {"push:1@1:1,2,3:", "bad duration ''"},
      {"imu:1@-2:0.5", "time must be >= 0"},
  };
  for (const auto& [text, expected] : cases) {
    try {
      ParseFault(text);
      ADD_FAILURE() << text << " was accepted";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    }
  }
}

TEST(FaultTest, StageChecksNameTheRobotAndTheMotor) {
  auto scene = TwoRobots();
  auto message = [&](const std::string& fault) {
    try {
      CheckFault(*scene, ParseFault(fault));
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  EXPECT_NE(message("imu:2@1:0.5").find("robot 2 but the stage has 2 robots (0 to 1)"),
            std::string::npos);
  EXPECT_NE(message("motor:0@1:left_kneee:0.5").find("'left_kneee' but the robot's motors are "
                                                     "left_hip_yaw, "),
            std::string::npos);
  EXPECT_EQ(message("motor:1@1:right_knee:0.5"), "accepted");
  EXPECT_EQ(message("imu:1@1:0.5"), "accepted");
}

TEST(FaultTest, AFrozenImuHoldsItsReadingsForTheDurationOnly) {
  auto scene = TwoRobots();
  const RobotInfo& info = scene->robot_info();
  ASSERT_EQ(info.imu_sensors.size(), 3u);  // framequat, gyro, accelerometer on the "imu" site
  auto state = StartRun(*scene, ZeroFactory(), 1, {ParseFault("imu:1@0.1:0.2")});
  const mjModel* m = scene->model();
  // The readings of robot 1's IMU (and robot 0's, which must keep changing).
  auto readings = [&](int robot) {
    std::vector<double> out;
    for (int local : info.imu_sensors) {
      const int id = scene->robot(robot).sensor_begin + local;
      for (int k = 0; k < m->sensor_dim[id]; ++k) out.push_back(state->data->sensordata[m->sensor_adr[id] + k]);
    }
    return out;
  };
  RunUntil(*scene, state.get(), 0.12);  // the fault started at 0.1 s
  const std::vector<double> held = readings(1);
  const std::vector<double> other = readings(0);
  RunUntil(*scene, state.get(), 0.25);  // the robot falls meanwhile (full torques, no balance)
  EXPECT_EQ(readings(1), held);
  EXPECT_NE(readings(0), other);
  RunUntil(*scene, state.get(), 0.35);
  EXPECT_NE(readings(1), held) << "the IMU works again after the fault";
  ASSERT_FALSE(state->metrics.events.empty());  // then falls (no balance here)
  EXPECT_EQ(state->metrics.events[0].kind, "imu_freeze");
  EXPECT_EQ(state->metrics.events[0].robot, 1);
}

TEST(FaultTest, AWeakMotorIsClampedToItsShareOfTheTorqueLimit) {
  auto scene = TwoRobots();
  const RobotInfo& info = scene->robot_info();
  const int knee = RobotInfo::IndexOf(info.actuator_names, "left_knee");
  auto state = StartRun(*scene, ZeroFactory(), 1, {ParseFault("motor:1@0.01:left_knee:0.5")});
  Step(*scene, state.get());  // before the fault: full torque (the controller asks for 1e6)
  EXPECT_DOUBLE_EQ(state->data->ctrl[scene->robot(1).ctrl_begin + knee], info.ctrl_max[knee]);
  RunUntil(*scene, state.get(), 0.05);
  EXPECT_DOUBLE_EQ(state->data->ctrl[scene->robot(1).ctrl_begin + knee], 0.5 * info.ctrl_max[knee]);
  EXPECT_DOUBLE_EQ(state->data->ctrl[scene->robot(0).ctrl_begin + knee], info.ctrl_max[knee]);
  EXPECT_DOUBLE_EQ(state->data->ctrl[scene->robot(1).ctrl_begin + knee + 1], info.ctrl_max[knee + 1]);
  EXPECT_EQ(state->metrics.events.at(0).kind, "weak_motor");
}

TEST(FaultTest, FaultsAndFallsAreEvents) {
  auto scene = TwoRobots();
  auto state = StartRun(*scene, ZeroFactory(), 1,
                        {ParseFault("dropout:0@0.1"), ParseFault("push:1@0.2:100,0,0:0.1")});
  RunUntil(*scene, state.get(), 3.0);
  std::vector<std::string> kinds;
  for (const RunEvent& e : state->metrics.events) kinds.push_back(e.kind + std::to_string(e.robot));
  ASSERT_GE(kinds.size(), 3u);
  EXPECT_EQ(kinds[0], "dropout0");
  EXPECT_EQ(kinds[1], "push1");
  EXPECT_NE(std::find(kinds.begin(), kinds.end(), "fall0"), kinds.end());
  EXPECT_NEAR(state->metrics.events[0].time, 0.1, 0.002);
}

}  // namespace
}  // namespace yangbot
