#include "tools/viewer/session.h"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <thread>

#include "controllers/posture_controller.h"
#include "sim/scene.h"

namespace yangbot {
namespace {

std::unique_ptr<Scene> OneRobot() {
  SceneOptions options;
  options.robots = 1;
  return Scene::Build(options);
}

Action Make(Action::Kind kind, double value = 0) {
  Action action;
  action.kind = kind;
  action.value = value;
  return action;
}

TEST(ApplyActionTest, DrivesTheTransport) {
  auto scene = OneRobot();
  Transport transport(*scene, MakePostureControllerFactory(), 1);
  EXPECT_EQ(ApplyAction(Make(Action::Kind::kPlay), &transport), "");
  EXPECT_TRUE(transport.playing());
  ApplyAction(Make(Action::Kind::kTogglePlay), &transport);
  EXPECT_FALSE(transport.playing());
  ApplyAction(Make(Action::Kind::kStep), &transport);
  EXPECT_EQ(transport.Update(0), 1);
  ApplyAction(Make(Action::Kind::kSetSpeed, 0.2), &transport);
  EXPECT_DOUBLE_EQ(transport.speed(), 0.2);
  ApplyAction(Make(Action::Kind::kSeek, 0.1), &transport);
  transport.FinishSeek();
  EXPECT_EQ(transport.steps(), 50);

  Action push = Make(Action::Kind::kInjectFault);
  push.fault.kind = Fault::Kind::kPush;
  push.fault.robot = 0;
  push.fault.duration = 0.1;
  push.fault.force[1] = 50;
  push.fault.time = 99;  // replaced by the run's time
  EXPECT_EQ(ApplyAction(push, &transport), "");
  ASSERT_EQ(transport.state().faults.size(), 1u);
  EXPECT_DOUBLE_EQ(transport.state().faults[0].time, transport.time());

  push.fault.robot = 3;
  EXPECT_NE(ApplyAction(push, &transport).find("robot 3"), std::string::npos);
  EXPECT_EQ(transport.state().faults.size(), 1u);

  ApplyAction(Make(Action::Kind::kPlay), &transport);
  ApplyAction(Make(Action::Kind::kRestart), &transport);
  EXPECT_EQ(transport.steps(), 0);
  EXPECT_TRUE(transport.state().faults.empty());
  ApplyAction(Make(Action::Kind::kPause), &transport);
  EXPECT_FALSE(transport.playing());
}

TEST(SessionTest, PhysicsThreadPlaysAndPauses) {
  Session session(OneRobot(), MakePostureControllerFactory(), 1);
  double t0 = -1;
  session.Sync([&](Transport* t) {
    t0 = t->time();
    t->SetSpeed(Transport::kAsFastAsPossible);
    t->Play();
  });
  EXPECT_EQ(t0, 0);
  session.Start();
  double t1 = 0;
  for (int i = 0; i < 400 && t1 < 0.05; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    session.Sync([&](Transport* t) { t1 = t->time(); });
  }
  EXPECT_GE(t1, 0.05);
  double paused_at = 0;
  session.Sync([&](Transport* t) {
    t->Pause();
    paused_at = t->time();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  double later = 0;
  session.Sync([&](Transport* t) { later = t->time(); });
  EXPECT_EQ(later, paused_at);
  session.Stop();
}

TEST(SessionTest, StopWithoutStartIsFine) {
  Session session(OneRobot(), MakePostureControllerFactory(), 1);
  session.Stop();
  session.Start();
  session.Stop();
  session.Stop();
}

}  // namespace
}  // namespace yangbot
