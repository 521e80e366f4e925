#include "tools/viewer/transport.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "controllers/posture_controller.h"
#include "sim/error.h"
#include "sim/recording.h"
#include "sim/runner.h"
#include "sim/scene.h"

namespace yangbot {
namespace {

class TransportTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    SceneOptions options;
    options.robots = 2;
    scene_ = Scene::Build(options).release();
  }
  static void TearDownTestSuite() {
    delete scene_;
    scene_ = nullptr;
  }

  const Scene& scene() const { return *scene_; }
  double dt() const { return scene_->model()->opt.timestep; }

  // StateHash of a straight run (no transport) after `steps` physics steps.
  std::string StraightHash(int64_t steps, const std::vector<Fault>& faults = {}) const {
    auto state = StartRun(*scene_, MakePostureControllerFactory(), kSeed, faults);
    for (int64_t i = 0; i < steps; ++i) Step(*scene_, state.get());
    return StateHash(scene_->model(), *state->data);
  }

  std::unique_ptr<Transport> MakeTransport() const {
    return std::make_unique<Transport>(*scene_, MakePostureControllerFactory(), kSeed);
  }

  std::string Hash(const Transport& transport) const {
    return StateHash(scene_->model(), *transport.state().data);
  }

  // Aims the transport's mouse perturbation at `body`, `offset` (m) from where it is now.
  static void Pull(Transport* transport, int body, double dx, double dz) {
    mjvPerturb* perturb = transport->mutable_perturb();
    const mjData* d = transport->state().data;
    perturb->select = body;
    mju_zero3(perturb->localpos);
    mju_copy3(perturb->refpos, d->xpos + 3 * body);
    mju_copy4(perturb->refquat, d->xquat + 4 * body);
    perturb->refpos[0] += dx;
    perturb->refpos[2] += dz;
    perturb->active = mjPERT_TRANSLATE;
  }

  // Plays at full speed until `steps` steps have been taken.
  static void PlayTo(Transport* transport, int64_t steps) {
    transport->Play();
    transport->SetSpeed(Transport::kAsFastAsPossible);
    while (transport->steps() < steps) transport->Update(0, 1);
    transport->Pause();
  }

  static constexpr uint64_t kSeed = 7;
  static Scene* scene_;
};

Scene* TransportTest::scene_ = nullptr;

TEST_F(TransportTest, StartsPausedAtTimeZero) {
  auto transport = MakeTransport();
  EXPECT_FALSE(transport->playing());
  EXPECT_EQ(transport->time(), 0);
  EXPECT_EQ(transport->snapshot_count(), 1);
  EXPECT_EQ(Hash(*transport), StraightHash(0));
}

TEST_F(TransportTest, SeekForwardLandsOnTheStraightRunState) {
  auto transport = MakeTransport();
  transport->Seek(5.0);
  EXPECT_TRUE(transport->seeking());
  transport->FinishSeek();
  EXPECT_FALSE(transport->seeking());
  EXPECT_EQ(transport->steps(), 2500);
  EXPECT_EQ(Hash(*transport), StraightHash(2500));
  // Snapshots every 2 s of sim time were kept on the way.
  const std::vector<double> times = transport->snapshot_times();
  ASSERT_EQ(times.size(), 3u);
  EXPECT_EQ(times[0], 0);
  EXPECT_NEAR(times[1], 2.0, 1e-9);
  EXPECT_NEAR(times[2], 4.0, 1e-9);
}

TEST_F(TransportTest, SeekBackAndForthLandsOnTheStraightRunState) {
  auto transport = MakeTransport();
  PlayTo(transport.get(), 2600);  // 5.2 s
  const std::string at_5_2 = Hash(*transport);
  EXPECT_EQ(at_5_2, StraightHash(2600));

  transport->Seek(3.1);  // restores the 2 s snapshot, re-simulates 1.1 s
  transport->FinishSeek();
  EXPECT_EQ(transport->steps(), 1550);
  EXPECT_EQ(Hash(*transport), StraightHash(1550));

  transport->Seek(0.5);  // back to the start snapshot
  transport->FinishSeek();
  EXPECT_EQ(Hash(*transport), StraightHash(250));

  transport->Seek(5.2);  // forward again, through the 4 s snapshot
  transport->FinishSeek();
  EXPECT_EQ(Hash(*transport), at_5_2);

  transport->Seek(0);
  EXPECT_FALSE(transport->seeking());
  EXPECT_EQ(transport->steps(), 0);
  EXPECT_EQ(Hash(*transport), StraightHash(0));
  EXPECT_DOUBLE_EQ(transport->horizon(), 5.2);
}

TEST_F(TransportTest, SeekingSurvivesSteppingInSlices) {
  // The physics thread steps a seek a few steps at a time, releasing its lock between.
  auto transport = MakeTransport();
  transport->Seek(1.0);
  int slices = 0;
  while (transport->seeking()) {
    transport->Update(0.001, 7);
    ++slices;
  }
  EXPECT_GT(slices, 10);
  EXPECT_EQ(Hash(*transport), StraightHash(500));
  EXPECT_FALSE(transport->playing());
}

TEST_F(TransportTest, InjectedFaultIsReplayedBySeeks) {
  auto transport = MakeTransport();
  PlayTo(transport.get(), 600);  // 1.2 s
  Fault push;
  push.kind = Fault::Kind::kPush;
  push.robot = 1;
  push.time = transport->time();
  push.duration = 0.2;
  push.force[0] = -150;
  transport->InjectFault(push);
  EXPECT_EQ(transport->state().faults.size(), 1u);
  PlayTo(transport.get(), 1500);  // 3 s
  const std::string with_push = Hash(*transport);
  EXPECT_EQ(with_push, StraightHash(1500, {push}));
  EXPECT_NE(with_push, StraightHash(1500));

  transport->Seek(0.3);  // before the push: the start snapshot now carries it
  transport->FinishSeek();
  transport->Seek(3.0);
  transport->FinishSeek();
  EXPECT_EQ(Hash(*transport), with_push);
}

// "kind@time:robot" of each event, to compare event lists.
std::vector<std::string> EventsOf(const RunState& state) {
  std::vector<std::string> events;
  for (const RunEvent& e : state.metrics.events) {
    events.push_back(e.kind + "@" + std::to_string(e.time) + ":" + std::to_string(e.robot));
  }
  return events;
}

TEST_F(TransportTest, SeeksAcrossFaultsAndAFailedRobotEqualPlayingFromTheStart) {
  // An IMU freeze and a weak motor on robot 0, and on robot 1 a push hard enough that its
  // simulation diverges (> kMaxHealthySpeed; beyond what ParseFault accepts): the health
  // checks end its dance at 1.0 s.
  Fault blow = ParseFault("push:1@1.0:1e5,0,0:0.01");
  blow.force[0] = 1e9;
  const std::vector<Fault> faults = {ParseFault("imu:0@0.6:0.8"),
                                     ParseFault("motor:0@0.7:left_knee:0.3"), blow};
  Transport transport(scene(), MakePostureControllerFactory(), kSeed, faults);
  auto straight = StartRun(scene(), MakePostureControllerFactory(), kSeed, faults);
  // Straight-run state after `steps` steps (it only moves forward).
  auto straight_at = [&](int64_t steps) -> const RunState& {
    EXPECT_LE(straight->steps, steps);
    while (straight->steps < steps) Step(scene(), straight.get());
    return *straight;
  };
  auto straight_from_start = [&](int64_t steps) -> const RunState& {
    straight = StartRun(scene(), MakePostureControllerFactory(), kSeed, faults);
    return straight_at(steps);
  };
  auto expect_as_straight = [&](int64_t steps, const RunState& expected) {
    transport.Seek(steps * dt());
    transport.FinishSeek();
    ASSERT_EQ(transport.steps(), steps);
    EXPECT_EQ(Hash(transport), StateHash(scene().model(), *expected.data)) << steps;
    EXPECT_EQ(EventsOf(transport.state()), EventsOf(expected)) << steps;
    EXPECT_EQ(FailedRobots(transport.state()), FailedRobots(expected)) << steps;
    EXPECT_EQ(transport.state().powered, expected.powered) << steps;
  };

  PlayTo(&transport, 1500);  // 3 s: every fault has acted, snapshots at 2 s with the failure
  const RunState& at_3 = straight_at(1500);
  ASSERT_EQ(FailedRobots(at_3), 1);
  ASSERT_TRUE(at_3.health[1].failed);
  EXPECT_EQ(Hash(transport), StateHash(scene().model(), *at_3.data));
  EXPECT_EQ(EventsOf(transport.state()).size(), 4u);  // imu, motor, push, diverged

  // Back before every fault: nothing has started, robot 1 dances again.
  expect_as_straight(250, straight_from_start(250));
  EXPECT_FALSE(transport.state().health[1].failed);
  EXPECT_TRUE(EventsOf(transport.state()).empty());
  // Inside the IMU freeze, after the motor fault: re-simulated from the current state.
  expect_as_straight(400, straight_at(400));
  // After the failure, through the 2 s snapshot.
  expect_as_straight(1100, straight_from_start(1100));
  // Between the faults' starts, from the start snapshot.
  expect_as_straight(320, straight_from_start(320));
  expect_as_straight(1250, straight_at(1250));
}

TEST_F(TransportTest, InjectFaultRejectsBadRobot) {
  auto transport = MakeTransport();
  Fault fault;
  fault.kind = Fault::Kind::kDropout;
  fault.robot = 2;
  EXPECT_THROW(transport->InjectFault(fault), Error);
  EXPECT_TRUE(transport->state().faults.empty());
}

TEST_F(TransportTest, PauseStopsTime) {
  auto transport = MakeTransport();
  transport->Play();
  transport->Update(0.1);
  const double t = transport->time();
  EXPECT_GT(t, 0);
  transport->Pause();
  EXPECT_FALSE(transport->StepDue());
  EXPECT_EQ(transport->Update(1.0), 0);
  EXPECT_EQ(transport->Update(5.0), 0);
  EXPECT_EQ(transport->time(), t);
  transport->TogglePlay();
  EXPECT_TRUE(transport->playing());
  EXPECT_GT(transport->Update(0.01), 0);
}

TEST_F(TransportTest, StepAdvancesOneTimestepWhenPaused) {
  auto transport = MakeTransport();
  transport->RequestStep();
  EXPECT_EQ(transport->Update(0), 1);
  EXPECT_EQ(transport->steps(), 1);
  EXPECT_DOUBLE_EQ(transport->time(), dt());
  EXPECT_EQ(transport->Update(1.0), 0);  // one request, one step
  transport->RequestStep();
  transport->RequestStep();
  EXPECT_EQ(transport->Update(0), 2);
  EXPECT_EQ(Hash(*transport), StraightHash(3));
}

TEST_F(TransportTest, StepRequestIsIgnoredWhilePlaying) {
  auto transport = MakeTransport();
  transport->Play();
  transport->RequestStep();
  EXPECT_FALSE(transport->StepDue());
  EXPECT_EQ(transport->Update(0), 0);
}

TEST_F(TransportTest, SpeedScalesRealTime) {
  auto transport = MakeTransport();
  transport->Play();
  transport->SetSpeed(0.5);
  for (int i = 0; i < 100; ++i) transport->Update(0.01);  // 1 s of real time
  EXPECT_EQ(transport->steps(), 250);                     // 0.5 s of sim time
  EXPECT_NEAR(transport->realtime_factor(), 0.5, 0.02);

  transport->SetSpeed(1);
  for (int i = 0; i < 100; ++i) transport->Update(0.01);
  EXPECT_EQ(transport->steps(), 750);

  transport->SetSpeed(0.1);
  for (int i = 0; i < 100; ++i) transport->Update(0.01);
  EXPECT_EQ(transport->steps(), 800);

  // As fast as possible: only the caller's step limit holds it back.
  transport->SetSpeed(Transport::kAsFastAsPossible);
  EXPECT_TRUE(std::isinf(transport->speed()));
  EXPECT_EQ(transport->Update(0.0, 37), 37);
  EXPECT_TRUE(transport->StepDue());

  transport->SetSpeed(0.0001);
  EXPECT_DOUBLE_EQ(transport->speed(), Transport::kMinSpeed);
}

TEST_F(TransportTest, FallingBehindDoesNotBurst) {
  auto transport = MakeTransport();
  transport->Play();
  // A long stall (a slow frame) owes at most kMaxLag of sim time.
  EXPECT_EQ(transport->Update(10.0), static_cast<int>(std::lround(Transport::kMaxLag / dt())));
}

TEST_F(TransportTest, RestartResets) {
  auto transport = MakeTransport();
  PlayTo(transport.get(), 1300);
  Fault dropout;
  dropout.kind = Fault::Kind::kDropout;
  dropout.robot = 0;
  dropout.time = transport->time();
  transport->InjectFault(dropout);
  transport->Play();
  transport->SetSpeed(0.5);
  transport->Restart();
  EXPECT_TRUE(transport->playing());
  EXPECT_DOUBLE_EQ(transport->speed(), 0.5);
  EXPECT_EQ(transport->steps(), 0);
  EXPECT_EQ(transport->time(), 0);
  EXPECT_TRUE(transport->state().faults.empty());
  EXPECT_TRUE(transport->state().powered[0]);
  EXPECT_EQ(transport->state().metrics.steps, 0);
  EXPECT_EQ(transport->snapshot_count(), 1);
  EXPECT_EQ(transport->horizon(), 0);
  EXPECT_EQ(Hash(*transport), StraightHash(0));
  transport->Pause();
  PlayTo(transport.get(), 400);
  EXPECT_EQ(Hash(*transport), StraightHash(400));
}

TEST_F(TransportTest, MousePushMovesOnlyTheSelectedRobot) {
  auto transport = MakeTransport();
  PlayTo(transport.get(), 1000);
  EXPECT_EQ(transport->snapshot_count(), 2);
  transport->Seek(1.0);  // keep the 2 s snapshot: the push must drop it
  transport->FinishSeek();
  const int torso = scene().robot(1).body_begin +
                    RobotInfo::IndexOf(scene().robot_info().body_names, "torso_link");
  Pull(transport.get(), torso, -0.3, 0);  // pull the torso 30 cm back
  PlayTo(transport.get(), 750);
  transport->mutable_perturb()->active = 0;
  EXPECT_EQ(transport->snapshot_count(), 1);  // the old future is gone
  const mjModel* m = scene().model();
  for (int v = 0; v < m->nv; ++v) EXPECT_EQ(transport->state().data->qfrc_applied[v], 0);

  auto straight = StartRun(scene(), MakePostureControllerFactory(), kSeed);
  for (int i = 0; i < 750; ++i) Step(scene(), straight.get());
  const int q1 = scene().robot(1).qpos_begin;
  EXPECT_LT(transport->state().data->qpos[q1], straight->data->qpos[q1] - 0.005);
  const int q0 = scene().robot(0).qpos_begin;
  for (int k = 0; k < scene().robot_info().nq; ++k) {
    EXPECT_NEAR(transport->state().data->qpos[q0 + k], straight->data->qpos[q0 + k], 1e-6);
  }
}

TEST_F(TransportTest, PausedPerturbationAppliesNoForce) {
  auto transport = MakeTransport();
  Pull(transport.get(), scene().robot(0).body_begin, 0, 1.0);
  // Seeks never push.
  transport->Seek(0.2);
  transport->FinishSeek();
  EXPECT_EQ(Hash(*transport), StraightHash(100));
}

TEST_F(TransportTest, SnapshotRestoreIsExact) {
  auto state = StartRun(scene(), MakePostureControllerFactory(), kSeed);
  for (int i = 0; i < 321; ++i) Step(scene(), state.get());
  const RunSnapshot snapshot = RunSnapshot::Capture(scene(), *state);
  EXPECT_EQ(snapshot.steps(), 321);
  for (int i = 0; i < 200; ++i) Step(scene(), state.get());
  snapshot.Restore(scene(), state.get());
  EXPECT_EQ(state->steps, 321);
  EXPECT_EQ(StateHash(scene().model(), *state->data), StraightHash(321));
  for (int i = 0; i < 200; ++i) Step(scene(), state.get());
  EXPECT_EQ(StateHash(scene().model(), *state->data), StraightHash(521));
}

}  // namespace
}  // namespace yangbot
