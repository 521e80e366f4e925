#include "controllers/walking_pattern.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "controllers/footstep_planner.h"
#include "controllers/step_timing.h"
#include "sim/error.h"

namespace yangbot {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kTick = 0.002;  // s, the control tick

Stance StartStance() { return Stance::FromCenter({0, 0, 0}, 0.2); }

FootstepPlan Timed(FootstepPlan plan, const BeatTiming& timing = {}) {
  AssignBeatTimes(timing, &plan);
  return plan;
}

// Alternating steps in place, enough for timing tests of any length.
FootstepPlan MarchInPlace(int count) {
  FootstepPlan plan;
  plan.start = StartStance();
  for (int i = 0; i < count; ++i) {
    Footstep step;
    step.foot = i % 2 == 0 ? Foot::kLeft : Foot::kRight;
    step.pose = plan.start.foot(step.foot);
    plan.steps.push_back(step);
  }
  return plan;
}

// ---------------------------------------------------------------------------------
// Geometry helpers for support-polygon checks.

using Point = Eigen::Vector2d;

std::vector<Point> FootCorners(const Pose2& p, double inset = 0) {
  const double hx = 0.11 - inset, hy = 0.04 - inset;
  std::vector<Point> out;
  for (const auto& [lx, ly] : {std::pair{hx, hy}, {-hx, hy}, {-hx, -hy}, {hx, -hy}}) {
    const Pose2 c = ComposePose(p, {lx, ly, 0});
    out.emplace_back(c.x, c.y);
  }
  return out;
}

double Cross(const Point& o, const Point& a, const Point& b) {
  return (a.x() - o.x()) * (b.y() - o.y()) - (a.y() - o.y()) * (b.x() - o.x());
}

// Convex hull, counter-clockwise (Andrew's monotone chain).
std::vector<Point> Hull(std::vector<Point> pts) {
  std::sort(pts.begin(), pts.end(), [](const Point& a, const Point& b) {
    return a.x() < b.x() || (a.x() == b.x() && a.y() < b.y());
  });
  std::vector<Point> hull(2 * pts.size());
  size_t k = 0;
  for (size_t i = 0; i < pts.size(); ++i) {
    while (k >= 2 && Cross(hull[k - 2], hull[k - 1], pts[i]) <= 0) --k;
    hull[k++] = pts[i];
  }
  for (size_t i = pts.size() - 1, t = k + 1; i > 0; --i) {
    while (k >= t && Cross(hull[k - 2], hull[k - 1], pts[i - 1]) <= 0) --k;
    hull[k++] = pts[i - 1];
  }
  hull.resize(k - 1);
  return hull;
}

bool InsideConvex(const std::vector<Point>& hull, const Point& p) {
  for (size_t i = 0; i < hull.size(); ++i) {
    if (Cross(hull[i], hull[(i + 1) % hull.size()], p) < 0) return false;
  }
  return true;
}

Pose2 FootPose(const FootState& f) { return {f.position.x(), f.position.y(), f.yaw}; }

// ---------------------------------------------------------------------------------
// Beat-locked timing.

TEST(StepTimingTest, TouchdownsLandExactlyOnBeatsOverALongWalk) {
  BeatTiming timing;
  timing.bpm = 120;
  timing.start_time = 12.37;
  const FootstepPlan plan = Timed(MarchInPlace(4000), timing);  // over half an hour
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const double k = 4 + static_cast<double>(i);
    EXPECT_NEAR(plan.steps[i].touchdown_time, 12.37 + k * 60 / 120, 1e-9) << i;
    EXPECT_EQ(plan.steps[i].touchdown_beat, k);
    EXPECT_NEAR(plan.steps[i].liftoff_time, plan.steps[i].touchdown_time - 0.75 * 0.5, 1e-9) << i;
  }
  EXPECT_NEAR(plan.start_time, 12.37, 0);
  EXPECT_NEAR(plan.end_time, 12.37 + (4 + 3999 + 4) * 0.5, 1e-9);
}

TEST(StepTimingTest, HalfBeatStepsAndOddTempo) {
  BeatTiming timing;
  timing.bpm = 97;
  timing.steps_per_beat = 2;
  timing.double_support_ratio = 0.3;
  const FootstepPlan plan = Timed(MarchInPlace(1001), timing);
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const double beat = 4 + 0.5 * static_cast<double>(i);
    EXPECT_NEAR(plan.steps[i].touchdown_time, beat * 60 / 97, 1e-9) << i;
    EXPECT_NEAR(plan.steps[i].touchdown_time - plan.steps[i].liftoff_time, 0.7 * 0.5 * 60 / 97,
                1e-9);
  }
}

TEST(StepTimingTest, StepsWithTheirOwnBeats) {
  FootstepPlan plan = MarchInPlace(6);
  const double beats[6] = {0, 2, 0.5, 0, 1.5, 0};
  for (int i = 0; i < 6; ++i) plan.steps[i].beats = beats[i];
  BeatTiming timing;
  timing.start_time = 1.0;
  plan = Timed(plan, timing);
  const double expected_beat[6] = {4, 6, 6.5, 7.5, 9, 10};
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(plan.steps[i].touchdown_beat, expected_beat[i]) << i;
    EXPECT_NEAR(plan.steps[i].touchdown_time, 1.0 + expected_beat[i] * 0.5, 1e-12) << i;
    const double duration = beats[i] > 0 ? beats[i] : 1.0;
    EXPECT_NEAR(plan.steps[i].liftoff_time, plan.steps[i].touchdown_time - 0.75 * duration * 0.5,
                1e-12)
        << i;
  }
}

TEST(StepTimingTest, RejectsBadTimings) {
  FootstepPlan plan = MarchInPlace(3);
  BeatTiming t;
  t.bpm = 0;
  EXPECT_THROW(AssignBeatTimes(t, &plan), Error);
  t = {};
  t.double_support_ratio = 1;
  EXPECT_THROW(AssignBeatTimes(t, &plan), Error);
  t = {};
  t.first_touchdown_beat = 0.5;  // no time for the weight shift
  EXPECT_THROW(AssignBeatTimes(t, &plan), Error);
  t = {};
  plan.steps[1].beats = -1;
  EXPECT_THROW(AssignBeatTimes(t, &plan), Error);
  EXPECT_NEAR(BeatTime(BeatTiming{}, 3), 1.5, 0);
  EXPECT_NEAR(BeatPeriod(BeatTiming{}), 0.5, 0);
}

// ---------------------------------------------------------------------------------
// The pattern.

struct NamedPlan {
  const char* name;
  FootstepPlan plan;
};

std::vector<NamedPlan> WalkingPlans() {
  const FootstepPlanner planner;
  FootstepPlannerParams cross_params;
  cross_params.limits.max_backward = 0.25;
  std::vector<ExplicitStep> cross = {
      {Foot::kRight, {0.24, 0.1, 0}, StepFrame::kStartStance, true, 0, 0.1},
      {Foot::kLeft, {0.24, -0.1, 0}, StepFrame::kStartStance, true, 0, 0.1},
      {Foot::kRight, {0, -0.1, 0}, StepFrame::kStartStance, true, 0, 0.1},
      {Foot::kLeft, {0, 0.1, 0}, StepFrame::kStartStance, false, 0, 0}};
  std::vector<ExplicitStep> three_one;
  for (int cycle = 0; cycle < 2; ++cycle) {
    three_one.push_back({Foot::kLeft, {0.2, 0, 0}});
    three_one.push_back({Foot::kRight, {0.2, 0, 0}});
    three_one.push_back({Foot::kLeft, {0.2, 0, 0}});
    three_one.push_back({Foot::kRight, {-0.1, 0, 0}, StepFrame::kBesideSupport, false, 2.0});
  }
  const Stance s = StartStance();
  return {{"forward", planner.PlanForward(s, 2.0)},
          {"backward", planner.PlanForward(s, -1.0)},
          {"sideways", planner.PlanSideways(s, 1.0)},
          {"turn", planner.PlanTurn(s, kPi / 2)},
          {"arc", planner.PlanArc(s, 1.5, -kPi / 2)},
          {"omni", planner.PlanToPose(Stance::FromCenter({1, 2, 3}, 0.2), {0, 0, -2})},
          {"cross", FootstepPlanner(cross_params).PlanExplicit(s, cross)},
          {"three_one", planner.PlanExplicit(s, three_one)}};
}

TEST(WalkingPatternTest, ZmpTracksTheReferenceInsideTheSupportPolygon) {
  for (const NamedPlan& named : WalkingPlans()) {
    SCOPED_TRACE(named.name);
    const WalkingPattern pattern(Timed(named.plan));
    double max_error = 0;
    for (double t = pattern.start_time(); t <= pattern.end_time(); t += kTick) {
      const WalkingSample s = pattern.Sample(t);
      max_error = std::max(max_error, (s.zmp - s.zmp_reference).norm());
      const Point zmp = s.zmp;
      if (s.phase == WalkPhase::kLeftSwing || s.phase == WalkPhase::kRightSwing) {
        // Single support: on the stance foot, 1 cm inside its edges.
        const FootState& stance = s.phase == WalkPhase::kLeftSwing ? s.right : s.left;
        ASSERT_TRUE(InsideConvex(FootCorners(FootPose(stance), 0.01), zmp)) << t;
      } else {
        std::vector<Point> corners = FootCorners(FootPose(s.left));
        const std::vector<Point> right = FootCorners(FootPose(s.right));
        corners.insert(corners.end(), right.begin(), right.end());
        ASSERT_TRUE(InsideConvex(Hull(corners), zmp)) << t;
      }
    }
    EXPECT_LT(max_error, 0.02);
  }
}

TEST(WalkingPatternTest, ComEndsAtTheFinalStanceCentreAndStays) {
  for (const NamedPlan& named : WalkingPlans()) {
    SCOPED_TRACE(named.name);
    const WalkingPattern pattern(Timed(named.plan));
    const Pose2 c = named.plan.Final().Center();
    const WalkingSample end = pattern.Sample(pattern.end_time());
    EXPECT_LT(std::hypot(end.com_position.x() - c.x, end.com_position.y() - c.y), 1e-3);
    EXPECT_LT(end.com_velocity.norm(), 2e-3);
    const WalkingSample later = pattern.Sample(pattern.end_time() + 10);
    EXPECT_EQ(later.phase, WalkPhase::kStanding);
    EXPECT_LT((later.com_position - end.com_position).norm(), 1e-5);
    EXPECT_EQ(later.com_velocity, Eigen::Vector3d::Zero());
    EXPECT_EQ(later.step_index, static_cast<int>(named.plan.steps.size()));
  }
}

TEST(WalkingPatternTest, ComIsContinuousAtTheControlTick) {
  // A dance-tempo walk (0.2 m steps at 100 bpm, 0.33 m/s): under 1 mm per 2 ms tick.
  FootstepPlannerParams params;
  params.limits.max_forward = 0.2;
  BeatTiming timing;
  timing.bpm = 100;
  const WalkingPattern pattern(
      Timed(FootstepPlanner(params).PlanForward(StartStance(), 2.0), timing));
  WalkingSample previous = pattern.Sample(pattern.start_time() - 0.1);
  for (double t = pattern.start_time() - 0.1; t < pattern.end_time() + 0.1; t += kTick) {
    const WalkingSample s = pattern.Sample(t);
    EXPECT_LT((s.com_position - previous.com_position).norm(), 1e-3) << t;
    // The step matches the mean velocity (trapezoid rule, error ~ jerk * h^3).
    const Eigen::Vector3d mean_velocity = 0.5 * (s.com_velocity + previous.com_velocity);
    EXPECT_LT((s.com_position - previous.com_position - kTick * mean_velocity).norm(), 1e-6) << t;
    EXPECT_LT((s.com_acceleration - previous.com_acceleration).norm(), 0.2) << t;
    previous = s;
  }
}

TEST(WalkingPatternTest, ComHasNoJumpsAtSampleBoundaries) {
  const WalkingPattern pattern(Timed(FootstepPlanner().PlanForward(StartStance(), 2.0)));
  const double dt = pattern.com_trajectory().dt;
  const int samples = static_cast<int>(pattern.com_trajectory().states.size());
  // (After the last sample the CoM is held: its tiny residual velocity is dropped.)
  for (int k = 1; k + 1 < samples; ++k) {
    const double t = pattern.start_time() + k * dt;
    const WalkingSample before = pattern.Sample(t - 1e-9), after = pattern.Sample(t + 1e-9);
    EXPECT_LT((after.com_position - before.com_position).norm(), 1e-8) << k;
    EXPECT_LT((after.com_velocity - before.com_velocity).norm(), 1e-7) << k;
    EXPECT_LT((after.com_acceleration - before.com_acceleration).norm(), 1e-6) << k;
  }
}

TEST(WalkingPatternTest, PhasesContactsAndFeetFollowThePlan) {
  const FootstepPlan plan = Timed(FootstepPlanner().PlanForward(StartStance(), 1.0));
  const WalkingPattern pattern(plan);
  const int n = static_cast<int>(plan.steps.size());
  for (double t = -1; t < pattern.end_time() + 1; t += kTick) {
    const WalkingSample s = pattern.Sample(t);
    SCOPED_TRACE(t);
    ASSERT_GE(s.phase_fraction, 0);
    ASSERT_LT(s.phase_fraction, 1);
    if (s.phase == WalkPhase::kLeftSwing || s.phase == WalkPhase::kRightSwing) {
      const Footstep& step = plan.steps[s.step_index];
      ASSERT_GE(t, step.liftoff_time);
      ASSERT_LT(t, step.touchdown_time);
      const bool left = s.phase == WalkPhase::kLeftSwing;
      EXPECT_EQ(step.foot, left ? Foot::kLeft : Foot::kRight);
      EXPECT_EQ(s.left_in_contact, !left);
      EXPECT_EQ(s.right_in_contact, left);
      const FootState& swing = left ? s.left : s.right;
      const FootState& stance = left ? s.right : s.left;
      if (t > step.liftoff_time + 0.01 && t < step.touchdown_time - 0.01) {
        EXPECT_GT(swing.position.z(), 0);
      }
      EXPECT_EQ(stance.position.z(), 0);
      EXPECT_EQ(stance.velocity, Eigen::Vector3d::Zero());
    } else {
      EXPECT_TRUE(s.left_in_contact && s.right_in_contact);
      EXPECT_EQ(s.left.position.z(), 0);
      EXPECT_EQ(s.right.position.z(), 0);
      EXPECT_EQ(s.left.velocity, Eigen::Vector3d::Zero());
      EXPECT_EQ(s.right.velocity, Eigen::Vector3d::Zero());
      const bool walking = t >= plan.start_time && t < plan.end_time;
      EXPECT_EQ(s.phase, walking ? WalkPhase::kDoubleSupport : WalkPhase::kStanding);
    }
    ASSERT_GE(s.step_index, 0);
    ASSERT_LE(s.step_index, n);
  }
  // At each touch-down the foot is on its target, at rest, and in contact.
  for (int i = 0; i < n; ++i) {
    const Footstep& step = plan.steps[i];
    const WalkingSample s = pattern.Sample(step.touchdown_time);
    const FootState& foot = step.foot == Foot::kLeft ? s.left : s.right;
    EXPECT_EQ(foot.position, Eigen::Vector3d(step.pose.x, step.pose.y, 0)) << i;
    EXPECT_EQ(foot.yaw, step.pose.yaw) << i;
    EXPECT_TRUE(step.foot == Foot::kLeft ? s.left_in_contact : s.right_in_contact) << i;
    EXPECT_EQ(s.phase, WalkPhase::kDoubleSupport) << i;
    EXPECT_EQ(s.step_index, i + 1) << i;
    // Just before, the same foot is arriving, nearly at rest.
    const WalkingSample before = pattern.Sample(step.touchdown_time - 1e-7);
    const FootState& arriving = step.foot == Foot::kLeft ? before.left : before.right;
    EXPECT_LT((arriving.position - foot.position).norm(), 1e-9) << i;
    EXPECT_LT(arriving.velocity.norm(), 1e-6) << i;
  }
}

TEST(WalkingPatternTest, SwingsReachTheirApexHeight) {
  FootstepPlan plan = FootstepPlanner().PlanForward(StartStance(), 1.0);
  plan.steps[2].swing_height = 0.1;
  plan = Timed(plan);
  WalkingPatternParams params;
  params.swing_height = 0.06;
  const WalkingPattern pattern(plan, params);
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const Footstep& step = plan.steps[i];
    const WalkingSample mid = pattern.Sample(0.5 * (step.liftoff_time + step.touchdown_time));
    const FootState& foot = step.foot == Foot::kLeft ? mid.left : mid.right;
    EXPECT_NEAR(foot.position.z(), i == 2 ? 0.1 : 0.06, 1e-9) << i;
  }
}

TEST(WalkingPatternTest, ZmpReferenceFollowsTheFeet) {
  const FootstepPlan plan = Timed(FootstepPlanner().PlanSideways(StartStance(), 0.5));
  const WalkingPattern pattern(plan);
  EXPECT_EQ(pattern.ZmpReference(plan.start_time - 1), Eigen::Vector2d(0, 0));
  EXPECT_EQ(pattern.ZmpReference(plan.start_time + 0.1), Eigen::Vector2d(0, 0));
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const Footstep& step = plan.steps[i];
    const Pose2 support = plan.StanceAfter(static_cast<int>(i)).foot(OtherFoot(step.foot));
    for (double f : {0.0, 0.5, 0.99}) {
      const double t = step.liftoff_time + f * (step.touchdown_time - step.liftoff_time);
      EXPECT_LT((pattern.ZmpReference(t) - Eigen::Vector2d(support.x, support.y)).norm(), 1e-12);
    }
  }
  const Pose2 c = plan.Final().Center();
  EXPECT_LT((pattern.ZmpReference(plan.end_time) - Eigen::Vector2d(c.x, c.y)).norm(), 1e-12);
}

TEST(WalkingPatternTest, SampleIsConsistentAndDeterministic) {
  const FootstepPlan plan = Timed(FootstepPlanner().PlanArc(StartStance(), 1.0, 1.0));
  const WalkingPattern a(plan), b(plan);
  const double zc = a.params().preview.com_height, g = a.params().preview.gravity;
  for (double t = -0.5; t < a.end_time() + 0.5; t += 0.0137) {
    const WalkingSample sa = a.Sample(t), sb = b.Sample(t), again = a.Sample(t);
    EXPECT_EQ(sa.com_position, sb.com_position);
    EXPECT_EQ(sa.com_position, again.com_position);
    EXPECT_EQ(sa.left.position, sb.left.position);
    EXPECT_EQ(sa.right.yaw, sb.right.yaw);
    EXPECT_NEAR(sa.com_position.z(), zc, 0);
    EXPECT_LT(
        (sa.zmp - (sa.com_position.head<2>() - zc / g * sa.com_acceleration.head<2>())).norm(),
        1e-12);
  }
}

TEST(WalkingPatternTest, StandsStillBeforeTheStart) {
  BeatTiming timing;
  timing.start_time = 3.0;
  const FootstepPlan plan = Timed(FootstepPlanner().PlanForward(StartStance(), 1.0), timing);
  const WalkingPattern pattern(plan);
  for (double t : {-100.0, 0.0, 2.999}) {
    const WalkingSample s = pattern.Sample(t);
    EXPECT_EQ(s.phase, WalkPhase::kStanding);
    EXPECT_EQ(s.step_index, 0);
    EXPECT_EQ(s.com_position, Eigen::Vector3d(0, 0, 0.95));
    EXPECT_EQ(s.com_velocity, Eigen::Vector3d::Zero());
    EXPECT_EQ(s.left.position, Eigen::Vector3d(0, 0.1, 0));
    EXPECT_EQ(s.right.position, Eigen::Vector3d(0, -0.1, 0));
  }
}

TEST(WalkingPatternTest, StartsFromAnOffsetCom) {
  WalkingPatternParams params;
  params.initial_com = Eigen::Vector2d(0.03, -0.02);
  params.ground_height = 0.01;
  const FootstepPlan plan = Timed(FootstepPlanner().PlanForward(StartStance(), 0.5));
  const WalkingPattern pattern(plan, params);
  const WalkingSample s = pattern.Sample(plan.start_time);
  EXPECT_EQ(s.com_position, Eigen::Vector3d(0.03, -0.02, 0.96));
  EXPECT_EQ(s.left.position.z(), 0.01);
  const Pose2 c = plan.Final().Center();
  const WalkingSample end = pattern.Sample(plan.end_time);
  EXPECT_LT(std::hypot(end.com_position.x() - c.x, end.com_position.y() - c.y), 1e-3);
}

TEST(WalkingPatternTest, FullTurnKeepsFootYawContinuous) {
  const FootstepPlan plan = Timed(FootstepPlanner().PlanTurn(StartStance(), 2 * kPi));
  const WalkingPattern pattern(plan);
  WalkingSample previous = pattern.Sample(0);
  for (double t = 0; t < pattern.end_time(); t += kTick) {
    const WalkingSample s = pattern.Sample(t);
    EXPECT_LT(std::abs(s.left.yaw - previous.left.yaw), 0.01) << t;
    EXPECT_LT(std::abs(s.right.yaw - previous.right.yaw), 0.01) << t;
    previous = s;
  }
  EXPECT_NEAR(previous.left.yaw, 2 * kPi, 1e-9);
}

TEST(WalkingPatternTest, EmptyPlanStandsStill) {
  const FootstepPlan plan = Timed(FootstepPlanner().PlanForward(StartStance(), 0));
  ASSERT_TRUE(plan.steps.empty());
  const WalkingPattern pattern(plan);
  for (double t : {-1.0, 0.0, 5.0}) {
    const WalkingSample s = pattern.Sample(t);
    EXPECT_EQ(s.phase, WalkPhase::kStanding);
    EXPECT_EQ(s.com_position, Eigen::Vector3d(0, 0, 0.95));
  }
}

TEST(WalkingPatternTest, RejectsUntimedPlans) {
  const FootstepPlan untimed = FootstepPlanner().PlanForward(StartStance(), 1.0);
  EXPECT_THROW(WalkingPattern{untimed}, Error);
  FootstepPlan overlapping = Timed(untimed);
  overlapping.steps[1].liftoff_time = overlapping.steps[0].touchdown_time - 0.01;
  EXPECT_THROW(WalkingPattern{overlapping}, Error);
  EXPECT_STREQ(WalkPhaseName(WalkPhase::kLeftSwing), "left_swing");
}

}  // namespace
}  // namespace yangbot
