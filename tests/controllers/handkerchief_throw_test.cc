// One robot throws its spinning handkerchief and catches it (the throw mode of the stage,
// sim/handkerchief_throw.h): the release, the flight and the catch asserted on the state.
#include "sim/handkerchief_throw.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "controllers/posture_controller.h"
#include "controllers/whole_body_controller.h"
#include "sim/metrics.h"
#include "sim/runner.h"
#include "sim/scene.h"
#include "sim/throw_metrics.h"

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
  EXPECT_NEAR(flight.tension, kHankyDescentTension, 1e-12);
  // A shorter throw flown higher than it would fly on its own: the winch pulls it down
  // harder to bring it back on time.
  const HankyFlight high = PlanHankyFlight(0.5, 0.5);
  EXPECT_NEAR(high.apex, 0.5, 0.01);
  EXPECT_GT(high.tension, kHankyDescentTension);
  EXPECT_LT(high.tension, kHankyMaxTension);
  EXPECT_LT(high.speed, kHankyMaxLaunchSpeed);
  EXPECT_NEAR(HankyFlightHeight(high.speed, 0.5, nullptr, high.tension), 0, 1e-3);
  // Lower than its length's own flight: it would fall back early (the tether cannot hold
  // it up).
  EXPECT_LT(PlanHankyFlight(0.8, 0.5).tension, 0);
}

// What one throw of the right handkerchief did, measured on the state.
struct ThrowRecord {
  double launch = 0;        // m/s, fastest rise along z in the launch
  double left_pin = -1;     // s, first time out of the latch's reach
  double apex = 0;          // m above the pin's hub
  double apex_time = 0;     // s after release
  double apex_spin = 0;     // rad/s about its own axis at the apex
  double apex_tilt = 0;     // rad, between its axis and the pin's at the apex
  double latched = -1;      // s, back within the latch's reach
  double caught = -1;       // s, seated again
  double seated_before = 1; // 1 when seated at every step before the release
  double spin_error = 0;    // rad, RMS of the cloth's phase error in [0.5 s, release)
  double torso_turn = 0;    // rad/s, the torso's fastest turn from the release to 0.3 s
                            // after the catch
  double torso_swing = 0;   // rad, its largest rotation from its pose at the release then
  HankyState end;           // at the end of the run
};

// Runs one robot of `scene` with `factory` to `until` s with the throw `plan`.
ThrowRecord RunThrow(const Scene& scene, const ControllerFactory& factory, const HankyThrow& plan,
                     double until, std::unique_ptr<RunState>* out) {
  const mjModel* m = scene.model();
  auto state = StartRun(scene, factory, 1);
  const HandkerchiefProp& hanky = scene.hankies()[2 * plan.robot + plan.side];
  state->throws.push_back(plan);
  ThrowRecord r;
  const int spin_qpos = m->jnt_qposadr[hanky.spin_joint];
  mjtNum torso_at_release[4] = {1, 0, 0, 0};
  const int torso = mj_name2id(m, mjOBJ_BODY, (scene.robot(plan.robot).prefix + "torso_link").c_str());
  double error_squares = 0;
  int samples = 0;
  while (state->data->time < until) {
    Step(scene, state.get());
    const mjData* d = state->data;
    const HankyState pose = MeasureHanky(m, d, hanky);
    const double t = d->time;
    if (t < plan.release && !pose.seated) r.seated_before = 0;
    if (t > 0.5 && t < plan.release) {
      // The cloth's angle: the spinner's plus its own on the pin (x axes).
      const mjtNum* a = d->xmat + 9 * hanky.pin_body;
      const mjtNum* b = d->xmat + 9 * hanky.body;
      const double on_pin = std::atan2(a[1] * b[0] + a[4] * b[3] + a[7] * b[6],
                                       a[0] * b[0] + a[3] * b[3] + a[6] * b[6]);
      const double error = std::remainder(d->qpos[spin_qpos] + on_pin - kSpinRate * t, 2 * M_PI);
      error_squares += error * error;
      ++samples;
    }
    if (t < plan.release) mju_copy4(torso_at_release, d->xquat + 4 * torso);
    if (t >= plan.release && t < plan.catch_time + 0.3) {
      r.torso_turn = std::max(r.torso_turn, mju_norm3(d->cvel + 6 * torso));  // angular, world
      mjtNum inverse[4], turn[4];
      mju_negQuat(inverse, torso_at_release);
      mju_mulQuat(turn, inverse, d->xquat + 4 * torso);
      r.torso_swing = std::max(r.torso_swing, 2 * std::acos(std::min(1.0, std::abs(turn[0]))));
    }
    if (t > plan.release && t < plan.release + 0.1) {
      r.launch = std::max(r.launch, d->qvel[hanky.dof_begin + 2]);
    }
    if (r.left_pin < 0 && t > plan.release && !pose.in_reach) r.left_pin = t;
    if (t > plan.release && pose.height > r.apex) {
      r.apex = pose.height;
      r.apex_time = t - plan.release;
      r.apex_spin = pose.spin_rate;
      r.apex_tilt = pose.tilt;
    }
    if (r.latched < 0 && t > plan.release + 0.1 && pose.in_reach) r.latched = t;
    if (r.caught < 0 && t > plan.release + 0.1 && pose.seated) r.caught = t;
  }
  r.end = MeasureHanky(m, state->data, hanky);
  r.spin_error = std::sqrt(error_squares / std::max(samples, 1));
  std::printf("from the release to 0.3 s after the catch the torso turned at most %.3f rad/s "
              "and %.2f deg from its pose at the release\n", r.torso_turn, r.torso_swing * 180 / M_PI);
  std::printf("launch %.2f m/s, left the pin at %.3f s, apex %.3f m at %.3f s spinning %.1f "
              "rad/s tilted %.2f rad (spin phase error %.1f deg RMS before), latched at %.3f s, seated at %.3f s (beat %.3f), then "
              "spinning %.1f rad/s\n",
              r.launch, r.left_pin, r.apex, r.apex_time, r.apex_spin, r.apex_tilt,
              r.spin_error * 180 / M_PI, r.latched,
              r.caught, plan.catch_time, r.end.spin_rate);
  *out = std::move(state);
  return r;
}

// Throws the right handkerchief 0.8 s up and catches it: a free body that leaves its pin,
// rises to the planned apex spinning by its own inertia, and is seated again on its beat.
TEST(HandkerchiefThrowTest, ThrowsFliesAndCatchesOnTheBeat) {
  auto scene = ThrowStage();
  const HankyThrow plan{0, 1, 1.0, 1.8};
  const HankyFlight flight = PlanHankyFlight(plan.catch_time - plan.release);
  std::unique_ptr<RunState> state;
  const ThrowRecord r = RunThrow(*scene, MakePostureControllerFactory(), plan, 2.3, &state);
  std::printf("plan: launch %.2f m/s, apex %.3f m at %.3f s\n", flight.speed, flight.apex,
              flight.apex_time);
  EXPECT_EQ(r.seated_before, 1);
  // Release: it left the pin upwards at the planned speed, at once.
  EXPECT_NEAR(r.launch, flight.speed, 0.1 * flight.speed);
  EXPECT_NEAR(r.left_pin, plan.release, 0.05);
  // Apex: as planned (gravity and drag), still spinning flat.
  EXPECT_NEAR(r.apex, flight.apex, 0.1 * flight.apex);
  EXPECT_NEAR(r.apex_time, flight.apex_time, 0.05);
  EXPECT_GT(std::abs(r.apex_spin), 0.8 * kSpinRate);
  EXPECT_LT(r.apex_tilt, 0.2);
  // Catch: seated on the pin within 50 ms of its beat, spinning with it again.
  ASSERT_GT(r.caught, 0) << "never seated again";
  EXPECT_NEAR(r.caught, plan.catch_time, 0.05);
  EXPECT_TRUE(r.end.seated);
  EXPECT_NEAR(r.end.spin_rate, kSpinRate, 0.2 * kSpinRate);
  EXPECT_EQ(state->metrics.falls(), 0);
  // The run's tally says the same (sim/throw_metrics.h).
  const std::vector<HankyThrowTally> tally =
      TallyHankyThrows(1, state->throws, state->throw_log, state->data->time);
  EXPECT_EQ(tally[1].throws, 1);
  EXPECT_EQ(tally[1].catches, 1);
  EXPECT_NEAR(tally[1].TimingRms(), 1000 * std::abs(r.caught - plan.catch_time), 1e-6);
}

// Between throws a handkerchief knocked askew on its pin (tilted past the catch funnel's
// kHankyCaptureTilt, as a neighbour's brushing it does) stays latched and is righted; it
// does not drop onto its tether.
TEST(HandkerchiefThrowTest, AKnockedHandkerchiefStaysOnItsPinBetweenThrows) {
  auto scene = ThrowStage();
  const mjModel* m = scene->model();
  auto state = StartRun(*scene, MakePostureControllerFactory(), 1);
  const HandkerchiefProp& hanky = scene->hankies()[1];
  const double knock = 0.5;  // s
  bool knocked = false;
  double knocked_tilt = 0, farthest = 0;
  while (state->data->time < 1.5) {
    Step(*scene, state.get());
    mjData* d = state->data;
    if (!knocked && d->time >= knock) {
      // Tilt the cloth 0.6 rad about its own x axis through its hub (the body's origin).
      mjtNum* quat = d->qpos + hanky.qpos_begin + 3;
      const mjtNum axis[3] = {1, 0, 0};
      mjtNum turn[4], turned[4];
      mju_axisAngle2Quat(turn, axis, 0.6);
      mju_mulQuat(turned, quat, turn);
      mju_copy4(quat, turned);
      mj_kinematics(m, d);
      knocked_tilt = MeasureHanky(m, d, hanky).tilt;
      knocked = true;
    }
    if (knocked) farthest = std::max(farthest, MeasureHanky(m, d, hanky).distance);
  }
  const HankyState end = MeasureHanky(m, state->data, hanky);
  std::printf("knocked to %.2f rad, hub at most %.4f m from the pin, at the end %.4f m tilted "
              "%.3f rad\n", knocked_tilt, farthest, end.distance, end.tilt);
  EXPECT_GT(knocked_tilt, kHankyCaptureTilt);
  EXPECT_LT(farthest, 0.02);
  EXPECT_TRUE(end.seated);
  EXPECT_EQ(state->metrics.falls(), 0);
}

// The whole-body controller spins a handkerchief latched on its pin (its model holds the
// cloth: controllers/latched_hanky.h), throws it, stands through the tug and catches it.
TEST(HandkerchiefThrowTest, TheWholeBodyControllerSpinsThrowsAndCatches) {
  auto scene = ThrowStage();
  WholeBodyOptions options;
  options.stand_hanky_rate = 3.0;  // rev/s
  const HankyThrow plan{0, 1, 1.2, 1.9};
  std::unique_ptr<RunState> state;
  const ThrowRecord r =
      RunThrow(*scene, MakeWholeBodyControllerFactory(options), plan, 2.4, &state);
  EXPECT_EQ(state->metrics.falls(), 0);
  EXPECT_EQ(r.seated_before, 1);
  // Its model holds the latched cloth: the phase follows the beat (7 deg RMS without).
  EXPECT_LT(r.spin_error, 3 * M_PI / 180);
  EXPECT_GT(std::abs(r.apex_spin), 0.8 * kSpinRate);
  ASSERT_GT(r.caught, 0) << "never seated again";
  EXPECT_NEAR(r.caught, plan.catch_time, 0.05);
  EXPECT_TRUE(r.end.seated);
  EXPECT_NEAR(r.end.spin_rate, kSpinRate, 0.2 * kSpinRate);
  // The tug of the launch, the winch's retraction and the catch do not jerk the torso.
  EXPECT_LT(r.torso_swing, 1.0 * M_PI / 180);
}

}  // namespace
}  // namespace yangbot
