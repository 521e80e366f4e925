// One robot throws its spinning handkerchief and catches it (the throw mode of the stage,
// sim/handkerchief_throw.h): the release, the flight and the catch asserted on the state.
#include "sim/handkerchief_throw.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "controllers/posture_controller.h"
#include "sim/metrics.h"
#include "sim/runner.h"
#include "sim/scene.h"

namespace yangbot {
namespace {

constexpr double kSpinRate = 2 * M_PI * 3;  // rad/s: PostureController's 3 rev/s

std::unique_ptr<Scene> ThrowStage() {
  SceneOptions options;
  options.robots = 1;
  options.throwing_hankies = true;
  return Scene::Build(options);
}

TEST(HandkerchiefThrowTest, TheFlyingBodyIsTheAssemblys) {
  auto scene = ThrowStage();
  ASSERT_EQ(scene->hankies().size(), 2u);
  const mjModel* m = scene->model();
  EXPECT_NEAR(m->body_mass[scene->hankies()[1].body], kHankyMass, 1e-9);
  EXPECT_NEAR(m->tendon_range[2 * scene->hankies()[1].tether_tendon + 1], kHankyTetherLength, 1e-9);
  // Seated, the pin and the flying body weigh what the spinner alone weighs without throws.
  auto plain = Scene::Build(SceneOptions{.robots = 1});
  const int pin = scene->hankies()[1].pin_body;
  EXPECT_NEAR(m->body_mass[pin] + kHankyMass, plain->model()->body_mass[pin], 1e-9);
}

TEST(HandkerchiefThrowTest, PlansAFlightTheEjectorCanGive) {
  const HankyFlight flight = PlanHankyFlight(0.8);
  EXPECT_GT(flight.speed, 3.0);
  EXPECT_LT(flight.speed, kHankyMaxLaunchSpeed);
  EXPECT_NEAR(HankyFlightHeight(flight.speed, 0.8), 0, 1e-3);
  EXPECT_GT(flight.apex, 0.5);
  EXPECT_NEAR(HankyFlightHeight(flight.speed, flight.apex_time), flight.apex, 1e-9);
}

// Throws the right handkerchief 0.8 s up and catches it: a free body that leaves its pin,
// rises to the planned apex spinning by its own inertia, and is seated again on its beat.
TEST(HandkerchiefThrowTest, ThrowsFliesAndCatchesOnTheBeat) {
  auto scene = ThrowStage();
  const mjModel* m = scene->model();
  auto state = StartRun(*scene, MakePostureControllerFactory(), 1);
  const HandkerchiefProp& right = scene->hankies()[1];
  const HankyThrow plan{0, 1, 1.0, 1.8};
  state->throws.push_back(plan);
  const HankyFlight flight = PlanHankyFlight(plan.catch_time - plan.release);
  double launch = 0, apex = 0, apex_time = 0, apex_spin = 0, latched = -1, caught = -1;
  while (state->data->time < 2.6) {
    Step(*scene, state.get());
    const mjData* d = state->data;
    const HankyState pose = MeasureHanky(m, d, right);
    const double t = d->time;
    if (t < plan.release) ASSERT_TRUE(pose.seated) << "at " << t << " s";
    if (t < plan.release + 0.1) launch = std::max(launch, d->qvel[right.dof_begin + 2]);
    if (t > plan.release && pose.height > apex) {
      apex = pose.height;
      apex_time = t - plan.release;
      apex_spin = pose.spin_rate;
    }
    if (latched < 0 && t > plan.release + 0.1 && pose.in_reach) latched = t;
    if (caught < 0 && t > plan.release + 0.1 && pose.seated) caught = t;
  }
  const HankyState end = MeasureHanky(m, state->data, right);
  std::printf("launch %.2f m/s (plan %.2f), apex %.3f m at %.3f s (plan %.3f at %.3f) spinning "
              "%.1f rad/s, latched at %.3f s, seated at %.3f s (beat %.3f), then spinning %.1f rad/s\n",
              launch, flight.speed, apex, apex_time, flight.apex, flight.apex_time, apex_spin,
              latched, caught, plan.catch_time, end.spin_rate);
  // Release: it left the pin upwards at the planned speed.
  EXPECT_NEAR(launch, flight.speed, 0.1 * flight.speed);
  // Apex: as planned (gravity and drag), still spinning.
  EXPECT_NEAR(apex, flight.apex, 0.1 * flight.apex);
  EXPECT_NEAR(apex_time, flight.apex_time, 0.05);
  EXPECT_GT(std::abs(apex_spin), 0.8 * kSpinRate);
  // Catch: seated on the pin near its beat, spinning with it again.
  ASSERT_GT(caught, 0) << "never seated again";
  EXPECT_NEAR(latched, plan.catch_time, 0.03);
  EXPECT_NEAR(caught, plan.catch_time, 0.15);
  EXPECT_TRUE(end.seated);
  EXPECT_NEAR(end.spin_rate, kSpinRate, 0.2 * kSpinRate);
  EXPECT_EQ(state->metrics.falls(), 0);
}

}  // namespace
}  // namespace yangbot
