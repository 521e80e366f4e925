// The runner's controller threads (SetThreads): robots' controllers really run at the
// same time, change no number, and report a controller's exception on the caller.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <thread>

#include "sim/recording.h"
#include "sim/runner.h"
#include "tests/sim/sim_fixtures.h"

namespace yangbot {
namespace {

// A joint PD towards a pose that moves with time and the robot index, with an integral
// term: its torques depend on the state and on its own memory, so any mix-up of robots,
// memories or steps between threads changes the trajectory.
class WobbleController : public RobotController {
 public:
  std::unique_ptr<RobotController> Clone() const override {
    return std::make_unique<WobbleController>(*this);
  }
  void Compute(const Scene& scene, int robot, const mjData& d, double* ctrl) override {
    const RobotInfo& info = scene.robot_info();
    const RobotIndex& r = scene.robot(robot);
    integral_.resize(info.nu, 0.0);
    for (int a = 0; a < info.nu; ++a) {
      const double q = d.qpos[r.qpos_begin + info.actuator_qpos[a]];
      const double v = d.qvel[r.dof_begin + info.actuator_dof[a]];
      const double target = 0.2 * std::sin(3 * d.time + robot + 0.5 * a);
      integral_[a] += 0.002 * (target - q);
      ctrl[a] = 80 * (target - q) - 4 * v + 20 * integral_[a];
    }
  }

 private:
  std::vector<double> integral_;
};

ControllerFactory Wobble() {
  return [](const Scene&, int) { return std::make_unique<WobbleController>(); };
}

std::unique_ptr<Scene> FourRobots() {
  SceneOptions options;
  options.robots = 4;
  return Scene::Build(options);
}

// The trajectory hash of 0.3 s of four wobbling robots on `threads` threads.
std::string TrajectoryOn(const Scene& scene, int threads, uint64_t seed = 5) {
  auto state = StartRun(scene, Wobble(), seed);
  SetThreads(state.get(), threads);
  EXPECT_EQ(Threads(*state), threads);
  TrajectoryHash hash(scene.model());
  hash.Add(*state->data);
  while (state->data->time < 0.3) {
    Step(scene, state.get());
    hash.Add(*state->data);
  }
  return hash.Hex();
}

TEST(ControllerThreadsTest, ThreadsChangeNoNumberOfTheTrajectory) {
  auto scene = FourRobots();
  const std::string one = TrajectoryOn(*scene, 1);
  EXPECT_EQ(TrajectoryOn(*scene, 2), one);
  EXPECT_EQ(TrajectoryOn(*scene, 3), one);
  EXPECT_NE(TrajectoryOn(*scene, 2, 6), one);  // the hash tells trajectories apart
}

// Robots 0 and 1 each wait in Compute until the other has entered it too, and count a
// meeting when it came before the timeout: both meet only when two threads run their
// controllers at the same time (on one thread the first waits out the timeout alone).
class MeetingController : public RobotController {
 public:
  MeetingController(std::atomic<int>* arrived, std::atomic<int>* met)
      : arrived_(arrived), met_count_(met) {}
  std::unique_ptr<RobotController> Clone() const override {
    return std::make_unique<MeetingController>(*this);
  }
  void Compute(const Scene& scene, int robot, const mjData&, double* ctrl) override {
    std::fill(ctrl, ctrl + scene.robot_info().nu, 0.0);
    if (robot > 1 || met_) return;
    met_ = true;
    arrived_->fetch_add(1);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (arrived_->load() < 2 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::yield();
    }
    if (arrived_->load() == 2) met_count_->fetch_add(1);
  }

 private:
  std::atomic<int>* arrived_;
  std::atomic<int>* met_count_;
  bool met_ = false;
};

TEST(ControllerThreadsTest, TwoThreadsRunTwoRobotsControllersAtTheSameTime) {
  auto scene = FourRobots();
  std::atomic<int> arrived{0}, met{0};
  auto state = StartRun(
      *scene,
      [&](const Scene&, int) { return std::make_unique<MeetingController>(&arrived, &met); }, 1);
  SetThreads(state.get(), 2);
  Step(*scene, state.get());
  EXPECT_EQ(met.load(), 2);
}

class ThrowingController : public testing::PassiveController {
 public:
  std::unique_ptr<RobotController> Clone() const override {
    return std::make_unique<ThrowingController>(*this);
  }
  void Compute(const Scene& scene, int robot, const mjData& d, double* ctrl) override {
    PassiveController::Compute(scene, robot, d, ctrl);
    if (robot == 2) throw std::runtime_error("robot 2's controller failed");
  }
};

TEST(ControllerThreadsTest, AControllersExceptionReachesTheCallerAndThePoolGoesOn) {
  auto scene = FourRobots();
  auto state = StartRun(
      *scene, [](const Scene&, int) { return std::make_unique<ThrowingController>(); }, 1);
  SetThreads(state.get(), 2);
  EXPECT_THROW(Step(*scene, state.get()), std::runtime_error);
  // The workers are still there for the next step.
  state->controllers[2] = std::make_unique<testing::PassiveController>();
  Step(*scene, state.get());
  SetThreads(state.get(), 1);
  EXPECT_EQ(Threads(*state), 1);
  Step(*scene, state.get());
}

TEST(ControllerThreadsTest, TheProfileAddsUpEveryPartOfEveryStep) {
  auto scene = FourRobots();
  auto state = StartRun(*scene, Wobble(), 1);
  StepProfile profile;
  state->profile = &profile;
  for (int k = 0; k < 20; ++k) Step(*scene, state.get());
  EXPECT_EQ(profile.steps, 20);
  EXPECT_GT(profile.physics_ns, 0);
  EXPECT_GT(profile.controllers_ns, 0);
  EXPECT_GT(profile.metrics_ns, 0);
  EXPECT_GT(profile.runner_ns, 0);
  auto copy = state->Clone(*scene);
  EXPECT_EQ(copy->profile, nullptr);  // a clone is not profiled
}

}  // namespace
}  // namespace yangbot
