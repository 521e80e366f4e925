// A spin that starts after a pause, danced under the whole-body controller: the pin is
// spun up ahead of the cue (controllers/hanky_spinner.h HankySpinUp), so from the cue's
// first beat the measured spinner angle follows the cue's phase. One robot standing, the
// left handkerchief still for 3 s, then spinning a turn a beat from half a turn away
// from where it rests; 3.6 s of physics.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "choreography/choreography.h"
#include "controllers/angles.h"
#include "controllers/whole_body_controller.h"
#include "sim/runner.h"
#include "sim/scene.h"
#include "tests/choreography/show_run.h"

namespace yangbot {
namespace {

TEST(HankySpinUpShowTest, PinIsOnPhaseFromTheSpinsFirstBeat) {
  // Bar 2 starts at 1 s + 4 beats = 3 s.
  const std::string text = "tempo: 120\noffset: 1\ntroupe: {robots: 1, start: here}\n"
                           "formations:\n  here: {shape: line, spacing: 1}\ntimeline:\n"
                           "  - section: spin\n    at: 2:1\n    beats: 4\n    cues:\n"
                           "      - hanky: spin\n        hand: left\n"
                           "        rate: 1 turns/beat\n        phase: 180 deg\n";
  const LoadedShow loaded = CheckShowText(text, ".");
  ASSERT_TRUE(loaded.ok()) << loaded.diagnostics.Format("show");
  auto [show, scene, state] = StartShow(loaded.schedule);
  const RobotInfo& info = scene->robot_info();
  const int pin = scene->robot(0).qpos_begin + info.actuator_qpos[RobotLayout::Resolve(info).left_hanky];
  const int pin_dof = scene->robot(0).dof_begin + info.actuator_dof[RobotLayout::Resolve(info).left_hanky];
  double still_rate = 0;          // rad/s, largest |rate| of the pin 2-2.4 s
  double sum_squares = 0;         // rad², phase error over the first 0.3 s of the spin
  int samples = 0;
  RobotReference ref;
  while (state->data->time < 3.3) {
    Step(*scene, state.get());
    const mjData* d = state->data;
    if (d->time >= 2.0 && d->time < 2.4) still_rate = std::max(still_rate, std::abs(d->qvel[pin_dof]));
    if (d->time < 3.0) continue;
    show.references[0]->Sample(d->time, &ref);
    ASSERT_TRUE(ref.hanky[0].spinning);
    const double error = WrapAngle(d->qpos[pin] - ref.hanky[0].phase);
    sum_squares += error * error;
    ++samples;
  }
  const double rms_deg = std::sqrt(sum_squares / samples) * 180 / M_PI;
  std::printf("pin still at %.2f rad/s; phase error over the spin's first 0.3 s %.2f deg RMS\n",
              still_rate, rms_deg);
  EXPECT_EQ(state->metrics.falls(), 0);
  EXPECT_LT(still_rate, 0.1);  // still until the spin-up
  EXPECT_LT(rms_deg, 2.0);
}

}  // namespace
}  // namespace yangbot
