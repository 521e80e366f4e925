#include "controllers/footstep_planner.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <random>
#include <vector>

#include "sim/error.h"

namespace yangbot {
namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kHalfDegree = 0.5 * kPi / 180;

using Corners = std::array<std::array<double, 2>, 4>;

// Corners of a footprint, counter-clockwise.
Corners FootCorners(const Pose2& p, double length, double width) {
  Corners out;
  const double c = std::cos(p.yaw), s = std::sin(p.yaw);
  const double lx[4] = {length / 2, -length / 2, -length / 2, length / 2};
  const double ly[4] = {width / 2, width / 2, -width / 2, -width / 2};
  for (int i = 0; i < 4; ++i) out[i] = {p.x + c * lx[i] - s * ly[i], p.y + s * lx[i] + c * ly[i]};
  return out;
}

double Cross(const std::array<double, 2>& o, const std::array<double, 2>& a,
             const std::array<double, 2>& b) {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

bool Inside(const Corners& poly, const std::array<double, 2>& p) {
  for (int i = 0; i < 4; ++i) {
    if (Cross(poly[i], poly[(i + 1) % 4], p) < 0) return false;
  }
  return true;
}

bool SegmentsCross(const std::array<double, 2>& a, const std::array<double, 2>& b,
                   const std::array<double, 2>& c, const std::array<double, 2>& d) {
  return Cross(a, b, c) * Cross(a, b, d) < 0 && Cross(c, d, a) * Cross(c, d, b) < 0;
}

// Independent footprint overlap test (vertex containment and edge crossings), so the
// planner's own separating-axis test is not checked against itself.
bool PolygonsOverlap(const Pose2& a, const Pose2& b, double length, double width) {
  const Corners pa = FootCorners(a, length, width), pb = FootCorners(b, length, width);
  for (int i = 0; i < 4; ++i) {
    if (Inside(pa, pb[i]) || Inside(pb, pa[i])) return true;
    for (int j = 0; j < 4; ++j) {
      if (SegmentsCross(pa[i], pa[(i + 1) % 4], pb[j], pb[(j + 1) % 4])) return true;
    }
  }
  return false;
}

Stance StartStance() { return Stance::FromCenter({0, 0, 0}, 0.2); }

void ExpectReaches(const FootstepPlan& plan, const Pose2& goal) {
  const Pose2 c = plan.Final().Center();
  EXPECT_LT(std::hypot(c.x - goal.x, c.y - goal.y), 0.01) << c.x << ", " << c.y;
  EXPECT_LT(std::abs(WrapAngle(c.yaw - goal.yaw)), kHalfDegree) << c.yaw;
}

// Checks every step against the limits, recomputed here from the relative poses.
void ExpectWithinLimits(const FootstepPlanner& planner, const FootstepPlan& plan) {
  const FootstepLimits& l = planner.params().limits;
  const double w = planner.params().nominal_width;
  constexpr double kEps = 1e-7;
  Stance stance = plan.start;
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const Footstep& step = plan.steps[i];
    const Pose2 support = stance.foot(OtherFoot(step.foot));
    const Pose2 rel = RelativePose(support, step.pose);
    const double side = step.foot == Foot::kLeft ? 1 : -1;
    SCOPED_TRACE("step " + std::to_string(i));
    EXPECT_LE(rel.x, l.max_forward + kEps);
    EXPECT_GE(rel.x, -l.max_backward - kEps);
    EXPECT_LE(side * rel.y, w + l.max_lateral + kEps);
    if (!step.allow_cross) {
      EXPECT_GE(side * rel.y, l.min_separation - kEps);
    }
    EXPECT_LE(side * rel.yaw, l.max_turn + kEps);
    EXPECT_GE(side * rel.yaw, -l.max_turn_in - kEps);
    EXPECT_FALSE(PolygonsOverlap(support, step.pose, l.foot_length, l.foot_width));
    stance.foot(step.foot) = step.pose;
  }
  EXPECT_EQ(planner.CheckPlan(plan), "");
}

void ExpectAlternates(const FootstepPlan& plan) {
  for (size_t i = 1; i < plan.steps.size(); ++i) {
    EXPECT_NE(plan.steps[i].foot, plan.steps[i - 1].foot) << "step " << i;
  }
}

TEST(PoseMathTest, ComposeAndRelativeAreInverse) {
  const Pose2 frame{1.0, -2.0, 2.5};
  const Pose2 local{0.3, 0.4, -1.0};
  const Pose2 world = ComposePose(frame, local);
  const Pose2 back = RelativePose(frame, world);
  EXPECT_NEAR(back.x, local.x, 1e-12);
  EXPECT_NEAR(back.y, local.y, 1e-12);
  EXPECT_NEAR(back.yaw, local.yaw, 1e-12);
  EXPECT_NEAR(WrapAngle(3 * kPi / 2), -kPi / 2, 1e-12);
  EXPECT_NEAR(WrapAngle(-5 * kPi / 2), -kPi / 2, 1e-12);
  for (double a = -20; a < 20; a += 0.37) {
    EXPECT_GE(WrapAngle(a), -kPi);
    EXPECT_LT(WrapAngle(a), kPi);
    EXPECT_NEAR(std::remainder(WrapAngle(a) - a, 2 * kPi), 0, 1e-12);
  }
}

TEST(PoseMathTest, StanceCenterAndFromCenter) {
  const Pose2 center{0.5, 0.25, 3.0};
  const Stance s = Stance::FromCenter(center, 0.22);
  EXPECT_NEAR(std::hypot(s.left.x - s.right.x, s.left.y - s.right.y), 0.22, 1e-12);
  const Pose2 c = s.Center();
  EXPECT_NEAR(c.x, 0.5, 1e-12);
  EXPECT_NEAR(c.y, 0.25, 1e-12);
  EXPECT_NEAR(c.yaw, 3.0, 1e-12);
  // The left foot is on the left: +y in the centre frame.
  EXPECT_NEAR(RelativePose(center, s.left).y, 0.11, 1e-12);
  // Heading halfway between feet whose yaws straddle +-pi.
  const Stance wrapped{{0, 0.1, kPi - 0.1}, {0, -0.1, -kPi + 0.1}};
  EXPECT_NEAR(std::abs(WrapAngle(wrapped.Center().yaw - kPi)), 0, 1e-12);
}

TEST(FootprintsOverlapTest, MatchesPolygonTest) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> pos(-0.3, 0.3), yaw(-kPi, kPi);
  int overlaps = 0;
  for (int i = 0; i < 2000; ++i) {
    const Pose2 a{pos(rng), pos(rng), yaw(rng)}, b{pos(rng), pos(rng), yaw(rng)};
    const bool expected = PolygonsOverlap(a, b, 0.22, 0.08);
    EXPECT_EQ(FootprintsOverlap(a, b, 0.22, 0.08), expected) << i;
    overlaps += expected;
  }
  EXPECT_GT(overlaps, 100);  // both outcomes exercised
  // Side by side 0.085 apart: clear, but not by a 1 cm clearance.
  EXPECT_FALSE(FootprintsOverlap({0, 0, 0}, {0, 0.085, 0}, 0.22, 0.08));
  EXPECT_TRUE(FootprintsOverlap({0, 0, 0}, {0, 0.085, 0}, 0.22, 0.08, 0.01));
}

TEST(FootstepPlannerTest, ForwardTwoMetres) {
  const FootstepPlanner planner;
  const FootstepPlan plan = planner.PlanForward(StartStance(), 2.0);
  ExpectReaches(plan, {2.0, 0, 0});
  ExpectWithinLimits(planner, plan);
  ExpectAlternates(plan);
  // 0.25 m per step: eight steps to put a foot on the goal, one to close.
  EXPECT_EQ(plan.steps.size(), 9u);
  const Stance final = plan.Final();
  EXPECT_NEAR(final.left.x, 2.0, 1e-9);
  EXPECT_NEAR(final.right.x, 2.0, 1e-9);
  EXPECT_NEAR(final.left.y - final.right.y, 0.2, 1e-9);
}

TEST(FootstepPlannerTest, BackwardOneMetre) {
  const FootstepPlanner planner;
  const FootstepPlan plan = planner.PlanForward(StartStance(), -1.0);
  ExpectReaches(plan, {-1.0, 0, 0});
  ExpectWithinLimits(planner, plan);
  ExpectAlternates(plan);
  EXPECT_EQ(plan.steps.size(), 8u);  // ceil(1 / 0.15) = 7, plus the closing step
}

TEST(FootstepPlannerTest, SidewaysOneMetreBothWays) {
  const FootstepPlanner planner;
  for (double d : {1.0, -1.0}) {
    SCOPED_TRACE(d);
    const FootstepPlan plan = planner.PlanSideways(StartStance(), d);
    ExpectReaches(plan, {0, d, 0});
    ExpectWithinLimits(planner, plan);
    ExpectAlternates(plan);
    // The leading foot is the one on the side walked to.
    EXPECT_EQ(plan.steps.front().foot, d > 0 ? Foot::kLeft : Foot::kRight);
    for (const Footstep& s : plan.steps) EXPECT_NEAR(s.pose.x, 0, 1e-9);
  }
}

TEST(FootstepPlannerTest, TurnNinetyDegreesInPlaceBothWays) {
  const FootstepPlanner planner;
  for (double angle : {kPi / 2, -kPi / 2}) {
    SCOPED_TRACE(angle);
    const FootstepPlan plan = planner.PlanTurn(StartStance(), angle);
    ExpectReaches(plan, {0, 0, angle});
    ExpectWithinLimits(planner, plan);
    ExpectAlternates(plan);
    EXPECT_EQ(plan.steps.front().foot, angle > 0 ? Foot::kLeft : Foot::kRight);
    for (const Footstep& s : plan.steps) EXPECT_LT(std::hypot(s.pose.x, s.pose.y), 0.11);
  }
}

TEST(FootstepPlannerTest, FullTurnKeepsYawContinuous) {
  const FootstepPlanner planner;
  const FootstepPlan plan = planner.PlanTurn(StartStance(), 2 * kPi);
  ExpectReaches(plan, {0, 0, 0});
  ExpectWithinLimits(planner, plan);
  // Yaws are not wrapped: the final feet point at 2 pi.
  EXPECT_NEAR(plan.Final().left.yaw, 2 * kPi, 1e-9);
  EXPECT_NEAR(plan.Final().right.yaw, 2 * kPi, 1e-9);
}

TEST(FootstepPlannerTest, QuarterArcRadiusOneAndAHalfBothWays) {
  const FootstepPlanner planner;
  for (double angle : {kPi / 2, -kPi / 2}) {
    SCOPED_TRACE(angle);
    const double side = angle > 0 ? 1 : -1;
    const FootstepPlan plan = planner.PlanArc(StartStance(), 1.5, angle);
    ExpectReaches(plan, {1.5, side * 1.5, angle});
    ExpectWithinLimits(planner, plan);
    ExpectAlternates(plan);
    // Every foot lands at +-width/2 about a centre on the circle, heading tangent.
    for (const Footstep& s : plan.steps) {
      const double r_foot = std::hypot(s.pose.x, s.pose.y - side * 1.5);
      const bool inner = (s.foot == Foot::kLeft) == (angle > 0);
      EXPECT_NEAR(r_foot, inner ? 1.4 : 1.6, 1e-9);
      const double phi = std::atan2(s.pose.x, side * (side * 1.5 - s.pose.y));
      EXPECT_NEAR(WrapAngle(s.pose.yaw - side * phi), 0, 1e-9);
    }
  }
}

// The bar's arc (1 m radius, half a turn) on line-foot limits turning 0.52 rad a step: the
// three steps between the ramps turn the most the limits allow (1.004 rad/s at one step
// each 0.5 s), the first two about 0.9 of it. Evening out every step, the plan turned
// 0.45 rad a step.
TEST(FootstepPlannerTest, AnArcTurnsFullStepsBetweenItsRamps) {
  FootstepPlannerParams params;
  params.nominal_width = 0.3;
  params.limits.max_forward = 0.5;
  params.limits.max_lateral = 0.25;
  params.limits.max_turn = params.limits.max_turn_in = 0.52;
  params.limits.foot_width = 0.03;
  params.limits.reach_between_headings = true;
  const FootstepPlanner planner(params);
  const FootstepPlan plan = planner.PlanArc(Stance::FromCenter({0, 0, 0}, 0.4), 1.0, kPi);
  ExpectReaches(plan, {0, 2.0, kPi});
  EXPECT_EQ(planner.CheckPlan(plan), "");
  ASSERT_EQ(plan.steps.size(), 8u);
  std::vector<double> turn;  // each step's yaw from the foot it swings past
  Stance stance = plan.start;
  for (const Footstep& s : plan.steps) {
    turn.push_back(std::abs(RelativePose(stance.foot(OtherFoot(s.foot)), s.pose).yaw));
    stance.foot(s.foot) = s.pose;
  }
  // Full steps: the inner foot's bound by the reach (the centre's chord, 0.5 m at 0.505
  // rad), the outer foot's by min_separation (0.499 rad).
  for (int i : {2, 3, 4}) {
    EXPECT_GT(turn[i], 0.495) << i;
    EXPECT_LT(turn[i], 2 * std::asin(0.25) + 1e-6) << i;
  }
  // The pelvis (between the feet) turns this much from touch-down 2 to 4: 1 s at 120 bpm.
  EXPECT_GE(0.5 * (turn[2] + 2 * turn[3] + turn[4]), 1.0);
  for (int i : {0, 1}) EXPECT_GT(turn[i], 0.4) << i;
  for (int i : {5, 6}) EXPECT_LT(turn[i], turn[3]) << i;  // the stop takes the spare
  EXPECT_NEAR(turn[7], 0, 1e-9);                          // and the feet square up
}

// A turning step's reach is measured along the heading between the two feet when asked:
// the outer foot of a 0.5 rad step on a 1 m arc lands 0.55 m ahead of the inner foot in
// the inner foot's frame, 0.49 m along the mean heading.
TEST(FootstepPlannerTest, MeasuresReachBetweenTheHeadingsWhenAsked) {
  FootstepPlannerParams params;
  params.nominal_width = 0.3;
  params.limits.max_forward = 0.5;
  params.limits.max_turn = params.limits.max_turn_in = 0.6;
  params.limits.min_separation = 0.1;
  const Pose2 support{0, 0.15, 0};  // left foot on a circle of 0.85 m about (0, 1)
  const Pose2 target{1.15 * std::sin(0.5), 1 - 1.15 * std::cos(0.5), 0.5};  // right foot, 1.15 m
  EXPECT_NE(FootstepPlanner(params).CheckStep(Foot::kRight, target, support), "");
  params.limits.reach_between_headings = true;
  EXPECT_EQ(FootstepPlanner(params).CheckStep(Foot::kRight, target, support), "");
}

TEST(FootstepPlannerTest, ZeroRadiusArcIsATurn) {
  const FootstepPlanner planner;
  const FootstepPlan arc = planner.PlanArc(StartStance(), 0, 1.0);
  const FootstepPlan turn = planner.PlanTurn(StartStance(), 1.0);
  ASSERT_EQ(arc.steps.size(), turn.steps.size());
  for (size_t i = 0; i < arc.steps.size(); ++i) {
    EXPECT_NEAR(arc.steps[i].pose.x, turn.steps[i].pose.x, 1e-9);
    EXPECT_NEAR(arc.steps[i].pose.y, turn.steps[i].pose.y, 1e-9);
    EXPECT_NEAR(arc.steps[i].pose.yaw, turn.steps[i].pose.yaw, 1e-9);
  }
}

TEST(FootstepPlannerTest, PlanToPoseReachesRandomGoalsFromRandomStarts) {
  const FootstepPlanner planner;
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> pos(-3, 3), yaw(-kPi, kPi);
  for (int i = 0; i < 40; ++i) {
    SCOPED_TRACE(i);
    const Stance start = Stance::FromCenter({pos(rng), pos(rng), yaw(rng)}, 0.2);
    const Pose2 goal{pos(rng), pos(rng), yaw(rng)};
    const FootstepPlan plan = planner.PlanToPose(start, goal);
    ExpectReaches(plan, goal);
    ExpectWithinLimits(planner, plan);
    ExpectAlternates(plan);
  }
}

TEST(FootstepPlannerTest, RelativeMotionIsInTheStartFrame) {
  const FootstepPlanner planner;
  const Pose2 c0{3.0, -2.0, 2.5};
  const FootstepPlan plan = planner.PlanForward(Stance::FromCenter(c0, 0.2), 2.0);
  ExpectReaches(plan, ComposePose(c0, {2.0, 0, 0}));
  ExpectWithinLimits(planner, plan);
}

TEST(FootstepPlannerTest, EvenStepsShareTheDistance) {
  const FootstepPlanner planner;
  const FootstepPlan plan = planner.PlanForward(StartStance(), 1.9);
  ExpectReaches(plan, {1.9, 0, 0});
  ASSERT_EQ(plan.steps.size(), 9u);
  // Eight advancing steps of 1.9 / 8 each (support-relative), then the closing step.
  Stance stance = plan.start;
  for (size_t i = 0; i + 1 < plan.steps.size(); ++i) {
    const Footstep& s = plan.steps[i];
    EXPECT_NEAR(RelativePose(stance.foot(OtherFoot(s.foot)), s.pose).x, 1.9 / 8, 1e-3) << i;
    stance.foot(s.foot) = s.pose;
  }

  FootstepPlannerParams uneven;
  uneven.even_steps = false;
  const FootstepPlan greedy = FootstepPlanner(uneven).PlanForward(StartStance(), 1.9);
  ASSERT_EQ(greedy.steps.size(), 9u);
  EXPECT_NEAR(greedy.steps[0].pose.x, 0.25, 1e-9);  // greedy: full steps, short last one
  EXPECT_NEAR(greedy.steps[7].pose.x, 1.9, 1e-9);
}

TEST(FootstepPlannerTest, CustomLimitsAreRespected) {
  FootstepPlannerParams params;
  params.limits.max_forward = 0.1;
  params.limits.max_turn = 0.15;
  params.limits.max_turn_in = 0.05;
  params.nominal_width = 0.22;
  const FootstepPlanner planner(params);
  const FootstepPlan plan = planner.PlanToPose(StartStance(), {1.0, 0.3, 0.8});
  ExpectReaches(plan, {1.0, 0.3, 0.8});
  ExpectWithinLimits(planner, plan);
  EXPECT_GE(plan.steps.size(), 11u);  // at least 1 / 0.1 steps
  EXPECT_NEAR(plan.Final().left.y - plan.Final().right.y, 0.22 * std::cos(0.8), 1e-9);
}

TEST(FootstepPlannerTest, NoMotionNoSteps) {
  const FootstepPlanner planner;
  EXPECT_TRUE(planner.PlanForward(StartStance(), 0).steps.empty());
  // A narrower start stance is squared up to the nominal width in place.
  const Stance narrow = Stance::FromCenter({0, 0, 0}, 0.18);
  const FootstepPlan squared = planner.PlanForward(narrow, 0);
  EXPECT_EQ(squared.steps.size(), 2u);
  ExpectReaches(squared, {0, 0, 0});
  EXPECT_NEAR(squared.Final().left.y - squared.Final().right.y, 0.2, 1e-9);
}

TEST(FootstepPlannerTest, TooTightLimitsThrow) {
  FootstepPlannerParams params;
  params.limits.max_forward = 0;
  params.limits.max_backward = 0;
  EXPECT_THROW(FootstepPlanner(params).PlanForward(StartStance(), 1.0), Error);
  params = {};
  params.nominal_width = 0.1;  // below min_separation
  EXPECT_THROW(FootstepPlanner{params}, Error);
}

TEST(FootstepPlannerTest, CheckStepNamesTheLimit) {
  const FootstepPlanner planner;
  const Pose2 right{0, -0.1, 0};
  EXPECT_EQ(planner.CheckStep(Foot::kLeft, {0.25, 0.1, 0}, right), "");
  EXPECT_NE(planner.CheckStep(Foot::kLeft, {0.3, 0.1, 0}, right).find("max_forward"),
            std::string::npos);
  EXPECT_NE(planner.CheckStep(Foot::kLeft, {-0.2, 0.1, 0}, right).find("max_backward"),
            std::string::npos);
  EXPECT_NE(planner.CheckStep(Foot::kLeft, {0, 0.03, 0}, right).find("min_separation"),
            std::string::npos);
  EXPECT_NE(planner.CheckStep(Foot::kLeft, {0, 0.25, 0}, right).find("max_lateral"),
            std::string::npos);
  EXPECT_NE(planner.CheckStep(Foot::kLeft, {0, 0.1, 0.4}, right).find("max_turn"),
            std::string::npos);
  EXPECT_NE(planner.CheckStep(Foot::kLeft, {0, 0.1, -0.2}, right).find("max_turn_in"),
            std::string::npos);
  // Mirrored for the right foot: toe-out is clockwise.
  const Pose2 left{0, 0.1, 0};
  EXPECT_EQ(planner.CheckStep(Foot::kRight, {0, -0.1, -0.3}, left), "");
  EXPECT_NE(planner.CheckStep(Foot::kRight, {0, -0.1, 0.2}, left).find("max_turn_in"),
            std::string::npos);
  // A cross step may land across the support foot, but never on it.
  EXPECT_EQ(planner.CheckStep(Foot::kRight, {0.24, 0.12, 0}, left, true), "");
  EXPECT_NE(planner.CheckStep(Foot::kRight, {0.15, 0.12, 0}, left, true).find("clearance"),
            std::string::npos);
}

// The yangge cross step (shizi bu): the feet trace an X. The right foot crosses in front
// of the left, the left crosses in front of it to the right, then each steps back home.
// The backward crossing steps need a longer max_backward than the walking default.
std::vector<ExplicitStep> YanggeCrossStep() {
  std::vector<ExplicitStep> steps(4);
  steps[0] = {Foot::kRight, {0.24, 0.1, 0}, StepFrame::kStartStance, true, 0, 0.1};
  steps[1] = {Foot::kLeft, {0.24, -0.1, 0}, StepFrame::kStartStance, true, 0, 0.1};
  steps[2] = {Foot::kRight, {0, -0.1, 0}, StepFrame::kStartStance, true, 0, 0.1};
  steps[3] = {Foot::kLeft, {0, 0.1, 0}, StepFrame::kStartStance, false, 0, 0};
  return steps;
}

TEST(FootstepPlannerTest, ExplicitYanggeCrossStep) {
  FootstepPlannerParams params;
  params.limits.max_backward = 0.25;
  const FootstepPlanner planner(params);
  const Stance start = Stance::FromCenter({1.0, 2.0, kPi / 2}, 0.2);  // any start pose
  const FootstepPlan plan = planner.PlanExplicit(start, YanggeCrossStep());
  ASSERT_EQ(plan.steps.size(), 4u);
  ExpectWithinLimits(planner, plan);
  // After two steps the feet have swapped sides (legs crossed).
  const Stance crossed = plan.StanceAfter(2);
  EXPECT_LT(RelativePose(start.Center(), crossed.left).y, 0);
  EXPECT_GT(RelativePose(start.Center(), crossed.right).y, 0);
  ExpectReaches(plan, start.Center());  // and back home
  EXPECT_DOUBLE_EQ(plan.steps[0].swing_height, 0.1);

  // Without allow_cross the same figure breaks min_separation.
  std::vector<ExplicitStep> uncrossed = YanggeCrossStep();
  uncrossed[0].allow_cross = false;
  try {
    planner.PlanExplicit(start, uncrossed);
    FAIL() << "expected a limit violation";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("step 0 (right)"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("min_separation"), std::string::npos) << e.what();
  }
  // With the walking limits the long backward crossing step is refused.
  EXPECT_THROW(FootstepPlanner().PlanExplicit(start, YanggeCrossStep()), Error);
  // Cross steps still may not land on the other foot.
  std::vector<ExplicitStep> onto = YanggeCrossStep();
  onto[0].pose = {0.15, 0.1, 0};
  EXPECT_THROW(planner.PlanExplicit(start, onto), Error);
}

TEST(FootstepPlannerTest, ExplicitThreeForwardOneBack) {
  const FootstepPlanner planner;
  // Three steps forward, one back, twice; poses beside the support foot.
  std::vector<ExplicitStep> steps;
  for (int cycle = 0; cycle < 2; ++cycle) {
    steps.push_back({Foot::kLeft, {0.2, 0, 0}});
    steps.push_back({Foot::kRight, {0.2, 0, 0}});
    steps.push_back({Foot::kLeft, {0.2, 0, 0}});
    steps.push_back({Foot::kRight, {-0.1, 0, 0}, StepFrame::kBesideSupport, false, 2.0});
  }
  const Stance start = StartStance();
  const FootstepPlan plan = planner.PlanExplicit(start, steps);
  ASSERT_EQ(plan.steps.size(), 8u);
  ExpectWithinLimits(planner, plan);
  // Cycle 1: L 0.2, R 0.4, L 0.6, R back to 0.5; cycle 2: L 0.7, R 0.9, L 1.1, R 1.0.
  const double expected_x[8] = {0.2, 0.4, 0.6, 0.5, 0.7, 0.9, 1.1, 1.0};
  for (int i = 0; i < 8; ++i) {
    EXPECT_NEAR(plan.steps[i].pose.x, expected_x[i], 1e-12) << i;
    EXPECT_NEAR(std::abs(plan.steps[i].pose.y), 0.1, 1e-12) << i;
  }
  EXPECT_DOUBLE_EQ(plan.steps[3].beats, 2.0);
}

TEST(FootstepPlannerTest, ExplicitWorldStepsAreUnwrapped) {
  const FootstepPlanner planner;
  const Stance start = Stance::FromCenter({0, 0, kPi - 0.05}, 0.2);
  // A world yaw given as -pi + 0.15 is 0.2 rad from the left foot's yaw, not -2 pi + 0.2.
  Pose2 target = ComposePose(start.right, {0, 0.2, 0.2});
  target.yaw = WrapAngle(target.yaw);
  const FootstepPlan plan = planner.PlanExplicit(start, {{Foot::kLeft, target, StepFrame::kWorld}});
  EXPECT_NEAR(plan.steps[0].pose.yaw, kPi + 0.15, 1e-12);
}

// A walk appended to another can keep the feet alternating: asked for a first foot, the
// planner starts with it even where the other foot would lead (sideways to the left).
TEST(FootstepPlannerTest, StartsWithTheFootAskedFor) {
  FootstepPlannerParams params;
  EXPECT_EQ(FootstepPlanner(params).PlanSideways(StartStance(), 0.5).steps.front().foot, Foot::kLeft);
  params.first_foot = Foot::kRight;
  const FootstepPlanner planner(params);
  const FootstepPlan plan = planner.PlanSideways(StartStance(), 0.5);
  EXPECT_EQ(plan.steps.front().foot, Foot::kRight);
  ExpectReaches(plan, {0, 0.5, 0});
  ExpectWithinLimits(planner, plan);
}

TEST(FootstepPlannerTest, AppendChainsPlans) {
  const FootstepPlanner planner;
  FootstepPlan plan = planner.PlanForward(StartStance(), 1.0);
  plan.Append(planner.PlanTurn(plan.Final(), kPi / 2));
  plan.Append(planner.PlanForward(plan.Final(), 1.0));
  ExpectReaches(plan, {1.0, 1.0, kPi / 2});
  ExpectWithinLimits(planner, plan);
}

}  // namespace
}  // namespace yangbot
