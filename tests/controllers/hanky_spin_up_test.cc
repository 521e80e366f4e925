// HankySpinUp (controllers/hanky_spinner.h): a still pin is spun up ahead of a spin that
// starts after a pause, so that it has the spin's phase and rate when the spin starts.
// Pure reference arithmetic: a plan still until 1 s and spinning from then on.
#include <gtest/gtest.h>

#include <cmath>

#include "controllers/angles.h"
#include "controllers/hanky_spinner.h"

namespace yangbot {
namespace {

constexpr double kStart = 1.0;         // s, the spin's start
constexpr double kRate = 4 * M_PI;     // rad/s, one turn a beat at 120 bpm
constexpr double kPhase = 0.75 * M_PI;  // rad, the spin's phase at its start

// The left handkerchief still until kStart, then spinning at kRate from kPhase.
class PauseThenSpin : public ReferenceSource {
 public:
  void Sample(double t, RobotReference* out) const override {
    *out = RobotReference();
    out->time = t;
    if (t >= kStart) out->hanky[0] = {true, kPhase + kRate * (t - kStart), kRate};
  }
  double end_time() const override { return 3; }
};

TEST(HankySpinUpTest, ReachesTheSpinsPhaseAndRateAsItStarts) {
  const PauseThenSpin plan;
  HankySpinUp spin_up;
  const double angle = 0.3;  // rad, where the pin rests
  RobotReference ref;
  double last_phase = angle;
  bool first = true;
  double before_start_phase = 0, before_start_rate = 0;
  bool spun_early = false;
  for (int tick = 0; tick < 1000; ++tick) {
    const double t = tick * 1e-3;
    plan.Sample(t, &ref);
    spin_up.Apply(&plan, t, {angle, 0}, {0, 0}, &ref);
    EXPECT_FALSE(ref.hanky[1].spinning);
    if (t < kStart - HankySpinUp::kLead - 1e-9) {
      spun_early |= ref.hanky[0].spinning;
      continue;
    }
    // The plan is looked at every kLook: the spin-up starts within kLook of kLead ahead.
    if (t < kStart - HankySpinUp::kLead + HankySpinUp::kLook) continue;
    ASSERT_TRUE(ref.hanky[0].spinning) << t;
    EXPECT_GE(ref.hanky[0].rate, -1e-9) << t;           // never against the spin
    if (!first) EXPECT_NEAR(ref.hanky[0].phase, last_phase, 0.05);  // continuous
    first = false;
    last_phase = ref.hanky[0].phase;
    before_start_phase = ref.hanky[0].phase;
    before_start_rate = ref.hanky[0].rate;
  }
  EXPECT_FALSE(spun_early);
  // One tick before the start: the spin's phase and rate, less one tick of it.
  EXPECT_NEAR(WrapAngle(before_start_phase + kRate * 1e-3 - kPhase), 0, 0.02);
  EXPECT_NEAR(before_start_rate, kRate, 0.2);
  // From the start on the plan's spin passes through.
  plan.Sample(kStart + 0.1, &ref);
  spin_up.Apply(&plan, kStart + 0.1, {0, 0}, {0, 0}, &ref);
  EXPECT_DOUBLE_EQ(ref.hanky[0].phase, kPhase + kRate * 0.1);
  EXPECT_DOUBLE_EQ(ref.hanky[0].acceleration, 0);
}

}  // namespace
}  // namespace yangbot
