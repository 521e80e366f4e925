// Slot assignment (bottleneck, then total), formation-change planning (transition.h):
// keep_groups and pins, separation of the compiled walks, quick turn-walk-turn steps and
// the errors of transitions that do not fit.
#include "choreography/transition.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

#include "choreography/assignment.h"
#include "choreography/choreography.h"
#include "choreography/show_compiler.h"
#include "sim/assets.h"
#include "tests/choreography/target_gait.h"

namespace yangbot {
namespace {

// The walking the controller can do (measured): quick short steps.
GaitParams Measured() {
  GaitParams gait;
  gait.walk = MeasuredGaitEnvelope();
  return gait;
}

// Largest and summed cost of an assignment.
std::pair<double, double> Costs(const CostMatrix& cost, const std::vector<int>& slot_of) {
  double most = 0, total = 0;
  for (size_t r = 0; r < slot_of.size(); ++r) {
    most = std::max(most, cost[r][static_cast<size_t>(slot_of[r])]);
    total += cost[r][static_cast<size_t>(slot_of[r])];
  }
  return {most, total};
}

TEST(AssignmentTest, BottleneckThenTotalIsOptimalAgainstBruteForce) {
  std::mt19937 random(5);
  for (int trial = 0; trial < 300; ++trial) {
    const int n = 1 + trial % 8;
    CostMatrix cost(n, std::vector<double>(n));
    for (auto& row : cost) {
      for (double& c : row) {
        // Small integers make ties; a few forbidden pairs.
        c = random() % 10 == 0 ? kForbidden : static_cast<double>(random() % 7);
      }
    }
    // Brute force: least largest cost, then least total among those.
    std::vector<int> perm(n);
    std::iota(perm.begin(), perm.end(), 0);
    double best_most = kForbidden, best_total = kForbidden, min_total = kForbidden;
    do {
      const auto [most, total] = Costs(cost, perm);
      if (most == kForbidden) continue;
      min_total = std::min(min_total, total);
      if (most < best_most || (most == best_most && total < best_total)) {
        best_most = most;
        best_total = total;
      }
    } while (std::next_permutation(perm.begin(), perm.end()));
    const auto bottleneck = BottleneckAssignment(cost);
    const auto least = MinTotalAssignment(cost);
    if (best_most == kForbidden) {
      EXPECT_FALSE(bottleneck.has_value()) << "trial " << trial;
      EXPECT_FALSE(least.has_value()) << "trial " << trial;
      continue;
    }
    ASSERT_TRUE(bottleneck.has_value()) << "trial " << trial;
    ASSERT_TRUE(least.has_value()) << "trial " << trial;
    std::vector<int> sorted = *bottleneck;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_TRUE(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
    const auto [most, total] = Costs(cost, *bottleneck);
    EXPECT_EQ(most, best_most) << "trial " << trial;
    EXPECT_EQ(total, best_total) << "trial " << trial;
    EXPECT_EQ(Costs(cost, *least).second, min_total) << "trial " << trial;
    EXPECT_EQ(*BottleneckValue(cost), best_most) << "trial " << trial;
  }
}

// Four robots in a line across the stage walk 1 m forward to a line whose slots are
// numbered out of order.
constexpr const char* kLineShow = R"(tempo: 120
offset: 2
troupe:
  robots: 4
  start: line
  groups:
    ends: [1, 4]
formations:
  line:
    slots: [[0, 1.5], [0, 0.5], [0, -0.5], [0, -1.5]]
  ahead:
    slots: [[1, 0.5], [1, 1.5], [1, -1.5], [1, -0.5]]
timeline:
  - section: forward
    at: 1:1
    beats: 64
    cues:
      - formation: ahead
)";

std::string WithAssign(const std::string& assign) {
  return std::string(kLineShow) + "        assign: " + assign + "\n";
}

// Target slot (x, y) of each robot's formation change.
std::vector<std::pair<double, double>> Targets(const Schedule& schedule) {
  std::vector<std::pair<double, double>> out;
  for (const RobotSchedule& robot : schedule.robots) {
    for (const ScheduledCue& c : robot.cues) {
      if (c.planned) out.push_back({c.params.Number(0), c.params.Number(1)});
    }
  }
  return out;
}

TEST(TransitionTest, OptimalAssignmentWalksStraightAhead) {
  const LoadedShow loaded = CheckShowText(WithAssign("optimal"), "", Measured());
  ASSERT_TRUE(loaded.ok()) << loaded.diagnostics.Format("f");
  const auto targets = Targets(loaded.schedule);
  ASSERT_EQ(targets.size(), 4u);
  EXPECT_EQ(targets[0], std::make_pair(1.0, 1.5));
  EXPECT_EQ(targets[1], std::make_pair(1.0, 0.5));
  EXPECT_EQ(targets[2], std::make_pair(1.0, -0.5));
  EXPECT_EQ(targets[3], std::make_pair(1.0, -1.5));
}

TEST(TransitionTest, KeepGroupsAndPinsAreHonoured) {
  // The ends keep to the ends' slots (1 and 4), so robot 1 crosses robot 2's path.
  const LoadedShow kept =
      CheckShowText(WithAssign("{by: optimal, keep_groups: [ends]}"), "", Measured());
  ASSERT_TRUE(kept.ok()) << kept.diagnostics.Format("f");
  auto targets = Targets(kept.schedule);
  ASSERT_EQ(targets.size(), 4u);
  EXPECT_EQ(targets[0], std::make_pair(1.0, 0.5));    // slot 1
  EXPECT_EQ(targets[3], std::make_pair(1.0, -0.5));   // slot 4
  EXPECT_EQ(targets[1], std::make_pair(1.0, 1.5));    // slot 2
  EXPECT_EQ(targets[2], std::make_pair(1.0, -1.5));   // slot 3
  EXPECT_GE(kept.schedule.transitions.at(0).min_distance, kMinRobotDistance - 1e-9);
  // Robot 2 pinned to slot 4: everyone else shares out the rest.
  const LoadedShow pinned = CheckShowText(WithAssign("{by: optimal, pin: {2: 4}}"), "", Measured());
  ASSERT_TRUE(pinned.ok()) << pinned.diagnostics.Format("f");
  targets = Targets(pinned.schedule);
  ASSERT_EQ(targets.size(), 4u);
  EXPECT_EQ(targets[1], std::make_pair(1.0, -0.5));
}

// Pelvis of a robot from its reference feet (midpoint, less the feet's forward offset).
Pose2 PelvisFromFeet(const RobotReference& r, const GaitParams& gait) {
  const Eigen::Vector3d mid = 0.5 * (r.feet[0].position + r.feet[1].position);
  const double yaw = std::atan2(std::sin(r.feet[0].yaw) + std::sin(r.feet[1].yaw),
                                std::cos(r.feet[0].yaw) + std::cos(r.feet[1].yaw));
  return {mid.x() - gait.foot_forward * std::cos(yaw), mid.y() - gait.foot_forward * std::sin(yaw),
          yaw};
}

// Least pelvis distance between any two robots of a compiled show, sampled at 100 Hz.
double SampledSeparation(const LoadedShow& loaded) {
  const CompiledShow compiled = CompileSchedule(loaded.schedule);
  double least = std::numeric_limits<double>::infinity();
  const size_t n = compiled.references.size();
  std::vector<Pose2> pelvis(n);
  RobotReference r;
  for (double t = 0; t <= compiled.end_time; t += 0.01) {
    for (size_t i = 0; i < n; ++i) {
      compiled.references[i]->Sample(t, &r);
      pelvis[i] = PelvisFromFeet(r, loaded.schedule.gait);
    }
    for (size_t i = 0; i < n; ++i) {
      for (size_t j = i + 1; j < n; ++j) {
        least = std::min(least, std::hypot(pelvis[i].x - pelvis[j].x, pelvis[i].y - pelvis[j].y));
      }
    }
  }
  return least;
}

TEST(TransitionTest, CompiledCrossingWalksKeepApartAt100Hz) {
  const LoadedShow kept =
      CheckShowText(WithAssign("{by: optimal, keep_groups: [ends]}"), "", Measured());
  ASSERT_TRUE(kept.ok()) << kept.diagnostics.Format("f");
  EXPECT_GE(SampledSeparation(kept), kMinRobotDistance - 1e-3);
}

// Issue 5: every planned transition of the default show keeps 0.6 m, sampled at 100 Hz.
TEST(TransitionTest, DefaultShowTransitionsKeepApartAt100Hz) {
  const LoadedShow loaded =
      CheckShowFile(AssetsDir() + "/choreographies/yangge16.yaml");
  ASSERT_TRUE(loaded.ok()) << loaded.diagnostics.Format("yangge16.yaml");
  ASSERT_GE(loaded.schedule.transitions.size(), 4u);
  for (const ScheduledTransition& t : loaded.schedule.transitions) {
    EXPECT_TRUE(t.ok) << t.formation;
    EXPECT_GE(t.min_distance, kMinRobotDistance - 1e-9) << t.formation;
  }
  EXPECT_GE(SampledSeparation(loaded), kMinRobotDistance - 1e-3);
}

TEST(TransitionTest, InfeasibleChangeNamesTheCueTheRobotAndTheBeats) {
  std::string text = WithAssign("optimal");
  text.replace(text.find("beats: 64"), 9, "beats: 8");
  const LoadedShow loaded = CheckShowText(text, "", Measured());
  ASSERT_FALSE(loaded.ok());
  const std::string report = loaded.diagnostics.Format("f");
  // Line 18, column 9: the `formation: ahead` cue.
  EXPECT_NE(report.find("f:18:9: error: robots 1-4: must walk 1.00 m to formation 'ahead' in 8 "
                        "beats but needs "),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("a step every 0.4 beats"), std::string::npos) << report;
}

TEST(TransitionTest, WalksTurnToFaceTheWayAndStepEveryWalkStepBeats) {
  const GaitParams gait = Measured();
  const Stance start = StanceAtPelvis({0, 0, 0}, gait);
  std::vector<BeatStep> steps;
  // 1 m to the dancers' left, facing the audience at the end: sidestepping would take
  // ~105 steps; turning 90 deg, walking and turning back takes ~90.
  ASSERT_EQ(PlanWalk(start, {0, 1, 0}, Beats(60), gait, &steps), "");
  ASSERT_FALSE(steps.empty());
  Stance now = start;
  double most_yaw = 0;
  for (size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(steps[i].duration, gait.walk.step_beats);
    if (i > 0) EXPECT_EQ(steps[i].land - steps[i - 1].land, gait.walk.step_beats);
    const Stance before = now;
    now.foot(steps[i].foot) = steps[i].pose;
    // In the support foot's frame: within the measured limits (with no margin to spare).
    const Pose2& support = before.foot(OtherFoot(steps[i].foot));
    const double c = std::cos(support.yaw), s = std::sin(support.yaw);
    const double dx = steps[i].pose.x - support.x, dy = steps[i].pose.y - support.y;
    const double forward = c * dx + s * dy;
    EXPECT_LE(forward, gait.walk.max_forward + 1e-9);
    EXPECT_GE(forward, -gait.walk.max_backward - 1e-9);
    EXPECT_LE(std::abs(WrapAngle(steps[i].pose.yaw - support.yaw)),
              gait.walk.max_turn + 1e-9);
    most_yaw = std::max(most_yaw, steps[i].pose.yaw);
  }
  EXPECT_GT(most_yaw, 1.4);  // it turned to face the way
  const Pose2 end = PelvisOfStance(now, gait);
  EXPECT_NEAR(end.x, 0, 1e-6);
  EXPECT_NEAR(end.y, 1, 1e-6);
  EXPECT_NEAR(WrapAngle(end.yaw), 0, 1e-6);
  // Too few beats: the message gives the beats needed.
  std::vector<BeatStep> none;
  const std::string bad = PlanWalk(start, {0, 1, 0}, Beats(20), gait, &none);
  EXPECT_NE(bad.find("in 20 beats but needs "), std::string::npos) << bad;
}

// The pelvis pose a landing foot was placed about (its nominal place, inverted).
Pose2 PelvisUnderFoot(const BeatStep& step, const GaitParams& gait) {
  const double side = step.foot == Foot::kLeft ? 1.0 : -1.0;
  return ComposePose(step.pose, {-gait.foot_forward, -side * gait.foot_lateral, 0});
}

// What a planned walk did, checked step by step against the gait's envelope.
struct WalkShape {
  double most_off_line = 0;  // m, furthest a step's pelvis lies from the straight line
  double least_yaw = 1e9;    // rad, of the steps' pelvis
  double most_yaw = -1e9;    // rad
  bool yaw_monotonic = true; // the facing never turns back
  Pose2 end;                 // pelvis over the final stance
};

// Checks every step of `steps` (from `start`) against gait.walk: lands on the step grid
// (every step_beats), the last on beat `length`; each step within the envelope in the
// support foot's frame. Returns the walk's shape relative to the line start -> goal.
WalkShape CheckWalk(const Stance& start, const Pose2& goal, const std::vector<BeatStep>& steps,
                    Beats length, const GaitParams& gait) {
  FootstepPlannerParams params = PlannerParams(gait);
  params.limits = WalkStepLimits(gait.walk);
  const FootstepPlanner planner(params);
  const Pose2 from = PelvisOfStance(start, gait);
  const double lx = goal.x - from.x, ly = goal.y - from.y, line = std::hypot(lx, ly);
  WalkShape shape;
  Stance now = start;
  double last_yaw = from.yaw;
  const double sense = WrapAngle(goal.yaw - from.yaw) >= 0 ? 1.0 : -1.0;
  EXPECT_FALSE(steps.empty());
  for (size_t i = 0; i < steps.size(); ++i) {
    const BeatStep& step = steps[i];
    EXPECT_TRUE(step.land.IsMultipleOf(gait.walk.step_beats)) << "step " << i;
    EXPECT_EQ(step.duration, gait.walk.step_beats) << "step " << i;
    const Pose2& support = now.foot(OtherFoot(step.foot));
    EXPECT_EQ(planner.CheckStep(step.foot, step.pose, support), "") << "step " << i;
    // The same limits by hand, in the support foot's frame.
    const Pose2 rel = RelativePose(support, step.pose);
    EXPECT_LE(rel.x, gait.walk.max_forward + 1e-9) << "step " << i;
    EXPECT_GE(rel.x, -gait.walk.max_backward - 1e-9) << "step " << i;
    EXPECT_LE(std::abs(rel.y), 2 * gait.foot_lateral + gait.walk.max_sideways + 1e-9);
    EXPECT_LE(std::abs(rel.yaw), gait.walk.max_turn + 1e-9) << "step " << i;
    now.foot(step.foot) = step.pose;
    const Pose2 p = PelvisUnderFoot(step, gait);
    if (line > 1e-9) {
      shape.most_off_line =
          std::max(shape.most_off_line, std::abs((p.x - from.x) * ly - (p.y - from.y) * lx) / line);
    }
    shape.least_yaw = std::min(shape.least_yaw, p.yaw);
    shape.most_yaw = std::max(shape.most_yaw, p.yaw);
    shape.yaw_monotonic &= sense * (p.yaw - last_yaw) >= -1e-9;
    last_yaw = p.yaw;
  }
  if (!steps.empty()) EXPECT_EQ(steps.back().land, length);  // arrives on the last beat
  shape.end = PelvisOfStance(now, gait);
  return shape;
}

// A diagonal walk with a large envelope: one straight path, the facing blended
// monotonically from the start's to the goal's, every step in the envelope and on the
// beat, arriving within 1 cm and 1 deg on the cue's last beat.
TEST(OmniWalkTest, DiagonalWalkIsOneStraightPathWithTheFacingBlended) {
  const GaitParams gait = TargetGait();
  const Stance start = StanceAtPelvis({0, 0, 0}, gait);
  const Pose2 goal{3, 1, 20 * M_PI / 180};
  std::vector<BeatStep> steps;
  ASSERT_EQ(PlanWalk(start, goal, Beats(12), gait, &steps), "");
  const WalkShape shape = CheckWalk(start, goal, steps, Beats(12), gait);
  EXPECT_LT(shape.most_off_line, 1e-6);
  EXPECT_TRUE(shape.yaw_monotonic);
  EXPECT_GE(shape.least_yaw, -1e-9);  // never turns beyond the start or end facing
  EXPECT_LE(shape.most_yaw, goal.yaw + 1e-9);
  EXPECT_NEAR(shape.end.x, goal.x, 0.01);
  EXPECT_NEAR(shape.end.y, goal.y, 0.01);
  EXPECT_NEAR(shape.end.yaw, goal.yaw, 1 * M_PI / 180);
  // The pace arrives on the last beat: the quickest walk needs fewer beats.
  Beats needed;
  std::vector<BeatStep> none;
  EXPECT_NE(PlanWalk(start, goal, Beats(6), gait, &none, &needed), "");
  EXPECT_EQ(needed, Beats(8));  // 6.6 steps at 95 % of the limits, 7 and a closing step
}

TEST(OmniWalkTest, SidewaysWalkKeepsTheFacing) {
  const GaitParams gait = TargetGait();
  const Stance start = StanceAtPelvis({1, 2, 0.3}, gait);
  // 1 m to the robot's left.
  const Pose2 goal{1 - std::sin(0.3), 2 + std::cos(0.3), 0.3};
  std::vector<BeatStep> steps;
  ASSERT_EQ(PlanWalk(start, goal, Beats(8), gait, &steps), "");
  const WalkShape shape = CheckWalk(start, goal, steps, Beats(8), gait);
  EXPECT_LT(shape.most_off_line, 1e-6);
  EXPECT_NEAR(shape.least_yaw, 0.3, 1e-9);
  EXPECT_NEAR(shape.most_yaw, 0.3, 1e-9);
  EXPECT_NEAR(std::hypot(shape.end.x - goal.x, shape.end.y - goal.y), 0, 0.01);
}

TEST(OmniWalkTest, BackwardWalkKeepsTheFacing) {
  const GaitParams gait = TargetGait();
  const Stance start = StanceAtPelvis({0, 0, 0}, gait);
  const Pose2 goal{-1.5, -0.3, 0};  // back and a little to the right
  std::vector<BeatStep> steps;
  ASSERT_EQ(PlanWalk(start, goal, Beats(10), gait, &steps), "");
  const WalkShape shape = CheckWalk(start, goal, steps, Beats(10), gait);
  EXPECT_LT(shape.most_off_line, 1e-6);
  EXPECT_NEAR(shape.least_yaw, 0, 1e-9);
  EXPECT_NEAR(shape.most_yaw, 0, 1e-9);
  EXPECT_NEAR(std::hypot(shape.end.x - goal.x, shape.end.y - goal.y), 0, 0.01);
  // Every step goes backward.
  Stance now = start;
  for (const BeatStep& step : steps) {
    EXPECT_LE(RelativePose(now.foot(step.foot), step.pose).x, 1e-9);
    now.foot(step.foot) = step.pose;
  }
}

// The planner takes the omnidirectional walk when it needs no more steps than turning to
// face the way, walking and turning back; otherwise the turn-walk-turn.
TEST(OmniWalkTest, ChoosesTheWalkThatNeedsFewerSteps) {
  const Stance start = StanceAtPelvis({0, 0, 0}, TargetGait());
  std::vector<BeatStep> steps;
  // Large envelope, 1 m sideways: 6.2 steps straight, 8.7 turning (0.5 rad a step).
  ASSERT_EQ(PlanWalk(start, {0, 1, 0}, Beats(16), TargetGait(), &steps), "");
  WalkShape shape = CheckWalk(start, {0, 1, 0}, steps, Beats(16), TargetGait());
  EXPECT_NEAR(shape.most_yaw, 0, 1e-9);
  // 4 m sideways: 24.8 steps straight, 15.0 turning in place: it turns to face the way.
  GaitParams in_place = TargetGait();
  in_place.walk.turns_while_walking = false;
  ASSERT_EQ(PlanWalk(start, {0, 4, 0}, Beats(32), in_place, &steps), "");
  shape = CheckWalk(start, {0, 4, 0}, steps, Beats(32), in_place);
  EXPECT_GT(shape.most_yaw, 1.4);
  // Today's gait (1 cm sideways a step) turns even for 1 m.
  ASSERT_EQ(PlanWalk(start, {0, 1, 0}, Beats(60), Measured(), &steps), "");
  shape = CheckWalk(start, {0, 1, 0}, steps, Beats(60), Measured());
  EXPECT_GT(shape.most_yaw, 1.4);
}

// A gait that turns while it walks takes a turn-walk-turn's turns while it starts and
// stops: every step travels, and the walk needs fewer beats than turning in place.
TEST(OmniWalkTest, TurnsWhileItWalksWhenTheGaitCan) {
  GaitParams in_place = TargetGait();
  in_place.walk.turns_while_walking = false;
  const Stance start = StanceAtPelvis({0, 0, 0}, TargetGait());
  const Pose2 goal{0, 4, 0};  // 4 m to the left, facing kept
  Beats turning_needs, in_place_needs;
  std::vector<BeatStep> steps;
  EXPECT_NE(PlanWalk(start, goal, Beats(4), TargetGait(), &steps, &turning_needs), "");
  EXPECT_NE(PlanWalk(start, goal, Beats(4), in_place, &steps, &in_place_needs), "");
  EXPECT_LT(turning_needs, in_place_needs);
  ASSERT_EQ(PlanWalk(start, goal, turning_needs, TargetGait(), &steps), "");
  const WalkShape shape = CheckWalk(start, goal, steps, turning_needs, TargetGait());
  EXPECT_GT(shape.most_yaw, 1.4);  // it faced the way
  EXPECT_NEAR(shape.end.x, goal.x, 0.01);
  EXPECT_NEAR(shape.end.y, goal.y, 0.01);
  EXPECT_NEAR(WrapAngle(shape.end.yaw), 0, 1 * M_PI / 180);
  // No step but the closing one lands about the pelvis of the step before: none turns in
  // place.
  for (size_t i = 1; i + 1 < steps.size(); ++i) {
    const Pose2 a = PelvisUnderFoot(steps[i - 1], TargetGait());
    const Pose2 b = PelvisUnderFoot(steps[i], TargetGait());
    EXPECT_GT(std::hypot(b.x - a.x, b.y - a.y), 0.01) << "step " << i;
  }
}

// The beats the validator asks for come from the envelope: the least that plans.
TEST(OmniWalkTest, ValidatorQuotesTheLeastBeatsFromTheEnvelope) {
  auto show = [](int beats) {
    return "tempo: 120\noffset: 2\ntroupe: {robots: 1, start: here}\nformations:\n"
           "  here:\n    slots: [[0, 0]]\n  there:\n    slots: [[4, 0]]\ntimeline:\n"
           "  - section: go\n    at: 1:1\n    beats: 16\n    cues:\n"
           "      - formation: there\n        beats: " +
           std::to_string(beats) + "\n";
  };
  // 4 m at 95 % of 0.5 m a step: 8.4 steps, 9 and a closing step, a step a beat.
  const LoadedShow slow = CheckShowText(show(9), "", TargetGait());
  ASSERT_FALSE(slow.ok());
  const std::string report = slow.diagnostics.Format("f");
  EXPECT_NE(report.find("must walk 4.00 m to formation 'there' in 9 beats but needs 10 beats (" +
                        DescribeGaitEnvelope(TargetGaitEnvelope()) + ")"),
            std::string::npos)
      << report;
  EXPECT_NE(report.find("(a step every 1 beats; steps of at most 0.50 m forward, 0.25 m back, "
                        "0.17 m sideways, 0.50 rad of turn)"),
            std::string::npos)
      << report;
  const LoadedShow enough = CheckShowText(show(10), "", TargetGait());
  EXPECT_TRUE(enough.ok()) << enough.diagnostics.Format("f");
}

}  // namespace
}  // namespace yangbot
