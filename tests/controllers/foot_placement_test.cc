#include "controllers/foot_placement.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>

namespace yangbot {
namespace {

// The left foot swings from 0 to `duration` s, turning by `turn` (rad); the right stands,
// or lifts `next_lift` s after the left lands (> 0: the walk goes on).
class OneSwing : public ReferenceSource {
 public:
  OneSwing(double duration, double turn, double next_lift = 0)
      : duration_(duration), turn_(turn), next_lift_(next_lift) {}
  void Sample(double t, RobotReference* out) const override {
    *out = RobotReference{};
    out->feet[0].in_contact = t < 0 || t >= duration_;
    out->feet[0].yaw = turn_ * std::clamp(t / duration_, 0.0, 1.0);
    out->feet[1].position.y() = -0.2;
    out->feet[1].in_contact = next_lift_ <= 0 || t < duration_ + next_lift_;
  }
  double end_time() const override { return 1.0; }

 private:
  double duration_, turn_, next_lift_;
};

// The planned swing meets the floor moving down: long straight swings at
// straight_landing_speed; swings that turn, or short ones, at landing_speed (landing
// faster, the arc's turning steps miss their touch-downs and two steps a beat land short).
TEST(FootPlacementTest, LongStraightSwingsLandFasterThanTurningOrShortOnes) {
  FootPlacementParams params;
  ASSERT_GT(params.straight_landing_speed, params.landing_speed);
  const std::array<Eigen::Vector2d, 2> no_shift{Eigen::Vector2d::Zero(), Eigen::Vector2d::Zero()};
  // The descent rate 10 ms before the touch-down, as a share of the landing speed: over
  // the last window W the swing adds v (2 s - 3 s²) to the height's rate.
  auto descent = [&](double duration, double turn) {
    const OneSwing source(duration, turn);
    FootPlacement placement(params);
    RobotReference ref;
    for (double t : {0.0, duration - 0.01}) {  // lift-off, then 10 ms before the touch-down
      source.Sample(t, &ref);
      placement.Shift(source, t, no_shift, &ref);
    }
    const double window = std::min(params.landing_window, 0.5 * duration);
    const double s = 1 - 0.01 / window;
    return ref.feet[0].velocity.z() / (2 * s - 3 * s * s);
  };
  EXPECT_NEAR(descent(0.5, 0.0), params.straight_landing_speed, 1e-9);
  EXPECT_NEAR(descent(0.5, 0.5), params.landing_speed, 1e-9);
  EXPECT_NEAR(descent(0.2, 0.0), params.landing_speed, 1e-9);
}

// A walk's final step (no foot lifts after it) lands with the stance centre under the
// DCM predicted at its touch-down along the stance foot, at most final_centre_cap from the
// plan's, and by the error across; a step the walk goes on from lands by the predicted
// error (a 0.5 s swing takes no extra share).
TEST(FootPlacementTest, TheFinalStepCentresTheStanceUnderTheDcm) {
  FootPlacementParams params;
  ASSERT_EQ(LandingGain(params, 0.5), 0);
  const std::array<Eigen::Vector2d, 2> no_shift{Eigen::Vector2d::Zero(), Eigen::Vector2d::Zero()};
  // The left foot's landing offset from the plan, sent by a DCM error `error` (m, along
  // the heading) that the ankle holds (gain 0, CoP unclamped) until the touch-down.
  auto landing = [&](double error, double next_lift, double across = 0) {
    const OneSwing source(0.5, 0.0, next_lift);
    FootPlacement placement(params);
    RobotReference ref;
    source.Sample(0, &ref);
    placement.Shift(source, 0, no_shift, &ref);
    FootPlacementInput in;
    in.time = 0.1;
    in.dcm_gain = 0;
    in.dcm_error = Eigen::Vector2d(error, across);
    in.sole = {Eigen::Vector2d(0, 0), Eigen::Vector2d(0, -0.2)};
    placement.Replan(in);
    EXPECT_TRUE(placement.swinging(0));
    return placement.offset(0);
  };
  // The stance centre (the right foot on its plan) at the error: the left lands at twice it.
  EXPECT_NEAR(landing(0.01, 0).x(), 0.02, 1e-9);
  EXPECT_NEAR(landing(0.01, 0).y(), 0.0, 1e-9);
  EXPECT_NEAR(landing(0.1, 0).x(), 2 * params.final_centre_cap, 1e-9);
  EXPECT_NEAR(landing(0, 0, 0.02).y(), 0.02, 1e-9);  // across: by the error
  // The right foot lifts 0.3 s after the touch-down: not the final step.
  EXPECT_NEAR(landing(0.01, 0.3).x(), 0.01, 1e-9);
  EXPECT_NEAR(landing(0.1, 0.3).x(), 0.1, 1e-9);
}

}  // namespace
}  // namespace yangbot
