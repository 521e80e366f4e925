// A show walked in physics on the built-in robot (line soles): the scheduler plans with the
// line-foot gait's envelope and ShowReference compiles the walk with that gait, so a robot
// crosses 1.6 m with a sideways part and a turn in 6 beats (the box-foot gait would need
// over 40) and arrives on its slot standing, on the cue's last beat (the downbeat the show's
// formation error is measured on) as well as once it stands. One robot, about 8 s of physics.
#include <gtest/gtest.h>

#include <cmath>

#include "choreography/choreography.h"
#include "controllers/whole_body_controller.h"
#include "sim/runner.h"
#include "sim/scene.h"
#include "tests/choreography/show_run.h"

namespace yangbot {
namespace {

constexpr const char* kShow = R"(tempo: 120
offset: 1
troupe: {robots: 1, start: here}
formations:
  here: {shape: line, spacing: 1}
timeline:
  - section: cross
    at: 2:1
    beats: 8
    cues:
      - move: walk_to
        x: 1.5 m
        y: 0.5 m
        facing: 30 deg
      - hanky: spin
        hand: both
        rate: 1 turns/beat
)";

TEST(ShowWalkingTest, TheBuiltInRobotWalksAShowsChangeOnTheLineFootGaitAndArrives) {
  const LoadedShow loaded = CheckShowText(kShow, ".");  // the built-in robot
  ASSERT_TRUE(loaded.ok()) << loaded.diagnostics.Format("walk");
  ASSERT_TRUE(loaded.schedule.gait.line_soles);
  ASSERT_FALSE(CheckShowText(kShow, ".", GaitParamsForSoles(false)).ok())
      << "too far for the box-foot gait: the line-foot envelope planned it";
  auto [show, scene, state] = StartShow(loaded.schedule);
  // The walk_to cue's last beat: the line gait's CoM sways across the feet over each step,
  // so a walk whose last step lands on it measures the pelvis 11 cm off the slot there
  // (GaitEnvelope::arrival_beats lands it earlier).
  const Schedule& schedule = loaded.schedule;
  double downbeat = -1;
  for (const ScheduledCue& c : schedule.robots.at(0).cues) {
    if (c.move->spec().name == "walk_to") downbeat = schedule.clock.Time(c.start + c.length);
  }
  ASSERT_GT(downbeat, 0);
  Eigen::Vector2d at_downbeat(1e9, 1e9);
  const double end = show.end_time + 1.0;
  while (state->data->time < end && !state->metrics.robots[0].fallen) {
    Step(*scene, state.get());
    const mjtNum* pelvis = state->data->qpos + scene->robot(0).qpos_begin;
    if (at_downbeat.x() > 1e8 && state->data->time >= downbeat) at_downbeat = {pelvis[0], pelvis[1]};
  }
  ASSERT_FALSE(state->metrics.robots[0].fallen) << "fell at " << state->data->time << " s";
  EXPECT_LT((at_downbeat - Eigen::Vector2d(1.5, 0.5)).norm(), 0.05)
      << "pelvis at the downbeat " << downbeat << " s: " << at_downbeat.transpose();
  // Arrival: the pelvis on the slot, facing its way.
  const mjtNum* q = state->data->qpos + scene->robot(0).qpos_begin;
  const double yaw = std::atan2(2 * (q[3] * q[6] + q[4] * q[5]), 1 - 2 * (q[5] * q[5] + q[6] * q[6]));
  EXPECT_NEAR(q[0], 1.5, 0.05);
  EXPECT_NEAR(q[1], 0.5, 0.05);
  EXPECT_NEAR(yaw, 30 * M_PI / 180, 5 * M_PI / 180);
}

}  // namespace
}  // namespace yangbot
