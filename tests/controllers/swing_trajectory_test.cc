#include "controllers/swing_trajectory.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "sim/error.h"

namespace yangbot {
namespace {

SwingTrajectory MakeSwing(double apex = 0.07) {
  return SwingTrajectory(Eigen::Vector3d(0.1, 0.1, 0), 0.2, Eigen::Vector3d(0.6, -0.1, 0), 0.5, 1.0,
                         1.4, apex);
}

TEST(QuinticBlendTest, EndsAndSymmetry) {
  EXPECT_EQ(QuinticBlend(0), Eigen::Vector3d(0, 0, 0));
  EXPECT_EQ(QuinticBlend(1), Eigen::Vector3d(1, 0, 0));
  EXPECT_DOUBLE_EQ(QuinticBlend(0.5)(0), 0.5);
  EXPECT_DOUBLE_EQ(QuinticBlend(0.5)(1), 1.875);  // peak rate 15/8
  for (double s = 0; s <= 1; s += 0.05) {
    EXPECT_NEAR(QuinticBlend(s)(0) + QuinticBlend(1 - s)(0), 1, 1e-12);
    EXPECT_GE(QuinticBlend(s)(1), 0);  // monotone
  }
  EXPECT_EQ(QuinticBlend(-1), QuinticBlend(0));
  EXPECT_EQ(QuinticBlend(2), QuinticBlend(1));
}

TEST(SwingTrajectoryTest, EndpointsAreExactAndAtRest) {
  const SwingTrajectory swing = MakeSwing();
  const FootState a = swing.Sample(1.0), b = swing.Sample(1.4);
  EXPECT_EQ(a.position, Eigen::Vector3d(0.1, 0.1, 0));
  EXPECT_EQ(b.position, Eigen::Vector3d(0.6, -0.1, 0));
  EXPECT_EQ(a.yaw, 0.2);
  EXPECT_EQ(b.yaw, 0.5);
  for (const FootState& f : {a, b}) {
    EXPECT_EQ(f.velocity, Eigen::Vector3d::Zero());
    EXPECT_EQ(f.acceleration, Eigen::Vector3d::Zero());
    EXPECT_EQ(f.yaw_rate, 0);
    EXPECT_EQ(f.yaw_acceleration, 0);
  }
  // Just inside the interval the foot is still nearly at rest (velocity ~ s^2, accel ~ s).
  const FootState a1 = swing.Sample(1.0 + 1e-6), b1 = swing.Sample(1.4 - 1e-6);
  EXPECT_LT((a1.position - a.position).norm(), 1e-12);
  EXPECT_LT(a1.velocity.norm(), 1e-6);
  EXPECT_LT(b1.velocity.norm(), 1e-6);
  EXPECT_LT(a1.acceleration.norm(), 1e-2);
  EXPECT_LT(b1.acceleration.norm(), 1e-2);
}

TEST(SwingTrajectoryTest, ClampsOutsideTheSwing) {
  const SwingTrajectory swing = MakeSwing();
  EXPECT_EQ(swing.Sample(-5).position, swing.Sample(1.0).position);
  EXPECT_EQ(swing.Sample(99).position, swing.Sample(1.4).position);
  EXPECT_EQ(swing.Sample(99).velocity, Eigen::Vector3d::Zero());
  EXPECT_EQ(swing.Sample(99).yaw, 0.5);
}

TEST(SwingTrajectoryTest, ReachesTheApexHeightAtMidSwing) {
  for (double apex : {0.06, 0.08, 0.0}) {
    const SwingTrajectory swing = MakeSwing(apex);
    const FootState mid = swing.Sample(1.2);
    EXPECT_NEAR(mid.position.z(), apex, 1e-15);
    EXPECT_NEAR(mid.velocity.z(), 0, 1e-12);
    EXPECT_NEAR(mid.position.x(), 0.35, 1e-12);  // halfway
    EXPECT_NEAR(mid.yaw, 0.35, 1e-12);
    double highest = 0;
    for (double t = 1.0; t <= 1.4; t += 1e-4) {
      const double z = swing.Sample(t).position.z();
      EXPECT_GE(z, 0);
      highest = std::max(highest, z);
    }
    EXPECT_NEAR(highest, apex, 1e-9);
  }
}

TEST(SwingTrajectoryTest, UnevenGroundPeaksAboveTheLine) {
  const SwingTrajectory swing(Eigen::Vector3d(0, 0, 0), 0, Eigen::Vector3d(0.3, 0, 0.1), 0, 0, 1,
                              0.07);
  EXPECT_NEAR(swing.Sample(0.5).position.z(), 0.05 + 0.07, 1e-12);
  EXPECT_EQ(swing.Sample(1).position.z(), 0.1);
}

TEST(SwingTrajectoryTest, DerivativesMatchFiniteDifferences) {
  const SwingTrajectory swing = MakeSwing();
  const double h = 1e-6;
  for (double t = 1.01; t < 1.39; t += 0.013) {
    const FootState f = swing.Sample(t), p = swing.Sample(t + h), m = swing.Sample(t - h);
    EXPECT_LT((f.velocity - (p.position - m.position) / (2 * h)).norm(), 1e-6) << t;
    EXPECT_LT((f.acceleration - (p.velocity - m.velocity) / (2 * h)).norm(), 1e-5) << t;
    EXPECT_NEAR(f.yaw_rate, (p.yaw - m.yaw) / (2 * h), 1e-6) << t;
    EXPECT_NEAR(f.yaw_acceleration, (p.yaw_rate - m.yaw_rate) / (2 * h), 1e-5) << t;
  }
}

TEST(SwingTrajectoryTest, HorizontalMotionIsAStraightLine) {
  const SwingTrajectory swing = MakeSwing();
  for (double t = 1.0; t <= 1.4; t += 0.01) {
    const Eigen::Vector3d p = swing.Sample(t).position;
    // On the segment (0.1, 0.1) -> (0.6, -0.1): cross product with its direction is 0.
    EXPECT_NEAR((p.x() - 0.1) * -0.2 - (p.y() - 0.1) * 0.5, 0, 1e-12);
  }
}

TEST(SwingTrajectoryTest, RejectsBadArguments) {
  EXPECT_THROW(SwingTrajectory(Eigen::Vector3d::Zero(), 0, Eigen::Vector3d::Zero(), 0, 1, 1, 0.07),
               Error);
  EXPECT_THROW(SwingTrajectory(Eigen::Vector3d::Zero(), 0, Eigen::Vector3d::Zero(), 0, 0, 1, -0.1),
               Error);
}

}  // namespace
}  // namespace yangbot
