#include "controllers/foot_placement.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>

namespace yangbot {
namespace {

// The left foot swings from 0 to `duration` s, turning by `turn` (rad); the right stands.
class OneSwing : public ReferenceSource {
 public:
  OneSwing(double duration, double turn) : duration_(duration), turn_(turn) {}
  void Sample(double t, RobotReference* out) const override {
    *out = RobotReference{};
    out->feet[0].in_contact = t < 0 || t >= duration_;
    out->feet[0].yaw = turn_ * std::clamp(t / duration_, 0.0, 1.0);
    out->feet[1].position.y() = -0.2;
  }
  double end_time() const override { return 1.0; }

 private:
  double duration_, turn_;
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

}  // namespace
}  // namespace yangbot
