// Spin planes of hanky_flower (`plane: flat | wheel | audience`): the arm pose sets the
// plane the handkerchief spins in, the spinner keeps it phase locked. One robot under the
// whole-body controller per plane, the spin axis (the pin's z axis) measured in the world
// in the robot's heading frame; about 3.5 s of physics each.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "choreography/choreography.h"
#include "controllers/whole_body_controller.h"
#include "sim/runner.h"
#include "sim/scene.h"
#include "tests/choreography/show_run.h"

namespace yangbot {
namespace {

struct Spin {
  double axis[3] = {0, 0, 0};  // mean spin axis, heading frame (x forward, y left, z up)
  double phase_error = 0;      // rad, mean |phase error| of the left spinner
  int falls = 0;
};

// Runs a 1-robot show whose left hand spins in `plane` and averages from 2.5 s to 3.5 s.
Spin SpinIn(const std::string& plane) {
  const std::string text = "tempo: 120\noffset: 1\ntroupe: {robots: 1, start: here}\n"
                           "formations:\n  here: {shape: line, spacing: 1}\ntimeline:\n"
                           "  - section: spin\n    at: 1:1\n    beats: 8\n    cues:\n"
                           "      - move: hanky_flower\n        hand: left\n"
                           "        rate: 1 turns/beat\n        plane: " + plane + "\n";
  const LoadedShow loaded = CheckShowText(text, ".");
  EXPECT_TRUE(loaded.ok()) << loaded.diagnostics.Format("show");
  auto [show, scene, state] = StartShow(loaded.schedule);
  const mjModel* m = scene->model();
  const int pin = mj_name2id(m, mjOBJ_BODY, "r00/left_hanky");
  const int pelvis = scene->robot(0).body_begin;
  const auto* controller = dynamic_cast<const WholeBodyController*>(state->controllers[0].get());
  Spin out;
  int samples = 0;
  while (state->data->time < 3.5) {
    Step(*scene, state.get());
    const mjData* d = state->data;
    if (d->time < 2.5) continue;
    const mjtNum* R = d->xmat + 9 * pin;
    const mjtNum* P = d->xmat + 9 * pelvis;
    const double yaw = std::atan2(P[3], P[0]);
    const double c = std::cos(yaw), s = std::sin(yaw);
    out.axis[0] += c * R[2] + s * R[5];
    out.axis[1] += -s * R[2] + c * R[5];
    out.axis[2] += R[8];
    out.phase_error += std::abs(controller->diagnostics().hanky_phase_error[0]);
    ++samples;
  }
  const double norm = std::hypot(out.axis[0], out.axis[1], out.axis[2]);
  for (double& a : out.axis) a /= norm;
  out.phase_error /= samples;
  out.falls = state->metrics.falls();
  std::printf("%s: axis %.2f %.2f %.2f, phase error %.1f deg\n", plane.c_str(), out.axis[0],
              out.axis[1], out.axis[2], out.phase_error * 180 / M_PI);
  return out;
}

// The angle (rad) between the measured axis and `x y z` (unit), either sense.
double AxisError(const Spin& spin, double x, double y, double z) {
  return std::acos(std::min(1.0, std::abs(spin.axis[0] * x + spin.axis[1] * y + spin.axis[2] * z)));
}

constexpr double kTolerance = 15 * M_PI / 180;

TEST(HankyPlaneTest, FlatSpinsAboutTheVertical) {
  const Spin spin = SpinIn("flat");
  EXPECT_EQ(spin.falls, 0);
  EXPECT_LT(AxisError(spin, 0, 0, 1), kTolerance);
  EXPECT_LT(spin.phase_error, 10 * M_PI / 180);
}

TEST(HankyPlaneTest, WheelSpinsInTheVerticalPlaneBesideTheBody) {
  const Spin spin = SpinIn("wheel");
  EXPECT_EQ(spin.falls, 0);
  EXPECT_LT(AxisError(spin, 0, 1, 0), kTolerance);  // axis across the body
  EXPECT_LT(spin.phase_error, 10 * M_PI / 180);
}

TEST(HankyPlaneTest, AudienceTiltsTheFaceForward) {
  const Spin spin = SpinIn("audience");
  EXPECT_EQ(spin.falls, 0);
  EXPECT_LT(AxisError(spin, -M_SQRT1_2, 0, M_SQRT1_2), kTolerance);  // 45 deg back from up
  EXPECT_LT(spin.phase_error, 10 * M_PI / 180);
}

}  // namespace
}  // namespace yangbot
