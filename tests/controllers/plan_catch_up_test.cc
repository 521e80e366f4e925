// The line feet's catch-up walk (PlanCatchUp::PlanLineWalk) against a plan that stands,
// then walks to a new slot at a formation change's pace: pure reference code, no physics.
#include "controllers/plan_catch_up.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <span>
#include <utility>
#include <vector>

#include "controllers/step_rhythm.h"

namespace yangbot {
namespace {

// Feet `width` apart (default 0.3 m) standing at x = 0 until walk_start, then both gliding
// straight to x = distance by walk_end (a formation change at its own pace), standing
// there after. CoM 0.9 m over the middle.
class FormationChangePlan : public ReferenceSource {
 public:
  FormationChangePlan(double walk_start, double walk_end, double distance, double width = 0.3)
      : walk_start_(walk_start), walk_end_(walk_end), distance_(distance), width_(width) {}
  void Sample(double t, RobotReference* out) const override {
    *out = RobotReference{};
    out->time = t;
    const double x = distance_ * std::clamp((t - walk_start_) / (walk_end_ - walk_start_), 0.0, 1.0);
    out->feet[0].position = {x, 0.5 * width_, 0};
    out->feet[1].position = {x, -0.5 * width_, 0};
    out->com = {x, 0, 0.9};
    out->zmp = {x, 0};
  }
  double end_time() const override { return walk_end_ + 10; }

 private:
  double walk_start_, walk_end_, distance_, width_;
};

// Runs the catch-up from t = 1 s (feet where the recovery left them, `offset` from the
// plan's) to `until`, every 10 ms; returns the most the feet's midpoint leads the plan's
// along +x, and whether a catch-up walk was planned.
struct CatchUpRun {
  double most_lead = -1e9;  // m
  bool walked = false;
  Eigen::Vector2d final_offset = Eigen::Vector2d::Zero();  // m, left foot from the plan's
};
CatchUpRun RunCatchUp(const ReferenceSource& plan, const Eigen::Vector2d& offset, double until) {
  const WholeBodyGains k;
  PlanCatchUp catch_up(k, /*line_feet=*/true);
  StepRhythm rhythm;
  RobotReference ref;
  plan.Sample(1, &ref);
  catch_up.Start(ref, {ref.feet[0].position.head<2>() + offset, ref.feet[1].position.head<2>() + offset});
  CatchUpRun run;
  for (double t = 1; t <= until + 1e-9; t += 0.01) {
    RobotReference planned;
    plan.Sample(t, &planned);
    ref = planned;
    rhythm.Observe(planned, t, k);
    if (catch_up.active()) catch_up.Apply(plan, t, &rhythm, &ref);
    run.walked = run.walked || catch_up.walk() != nullptr;
    run.most_lead = std::max(run.most_lead, 0.5 * (ref.feet[0].position.x() + ref.feet[1].position.x() -
                                                   planned.feet[0].position.x() - planned.feet[1].position.x()));
    run.final_offset = (ref.feet[0].position - planned.feet[0].position).head<2>();
  }
  return run;
}

// Pushed 0.3 m sideways while the plan stands for 8 s: the robot walks back to its place.
TEST(PlanCatchUpTest, WalksBackWhileThePlanStands) {
  const FormationChangePlan plan(/*walk_start=*/10, /*walk_end=*/22, /*distance=*/0.9);
  const CatchUpRun run = RunCatchUp(plan, {0, 0.3}, 9);
  EXPECT_TRUE(run.walked);
  EXPECT_LT(run.final_offset.norm(), 0.01);
  EXPECT_LT(run.most_lead, 0.05);
}

// Pushed 0.3 m sideways 2 s before the plan walks 0.9 m forward over 12 s: the walk to
// the new slot at the gait's 0.4 m a step would stand there 10 s before the plan, cutting
// through the robots ahead; the walk keeps to the plan's pace instead (shorter steps) and
// still ends on the plan's feet.
TEST(PlanCatchUpTest, DoesNotWalkAheadOfAFormationChange) {
  const FormationChangePlan plan(/*walk_start=*/3, /*walk_end=*/15, /*distance=*/0.9);
  const WholeBodyGains k;
  const CatchUpRun run = RunCatchUp(plan, {0, 0.3}, 16);
  EXPECT_TRUE(run.walked);  // with shorter steps
  EXPECT_LE(run.most_lead, k.line_catch_up_step + 1e-9);
  EXPECT_LT(run.final_offset.norm(), 0.01);
}

// Capture steps left the feet 0.62 m apart, the left one 0.22 m ahead, while the plan
// stands: the walk squares the stance first, the outer (left) foot stepping in beside the
// right one, and the right foot does not lift before that foot has landed. (The planner's
// own walk from there stepped the inner foot first, and the robot toppled over it: the
// push sweep's r05.)
TEST(PlanCatchUpTest, SquaresAWideStanceWithTheOuterFootFirst) {
  const FormationChangePlan plan(/*walk_start=*/30, /*walk_end=*/42, /*distance=*/0.9, /*width=*/0.404);
  const WholeBodyGains k;
  PlanCatchUp catch_up(k, /*line_feet=*/true);
  StepRhythm rhythm;
  RobotReference ref;
  plan.Sample(1, &ref);
  const Eigen::Vector2d left(0.172, 0.37), right(-0.046, -0.253);  // m, world
  catch_up.Start(ref, {left, right});
  rhythm.Observe(ref, 1, k);
  catch_up.Apply(plan, 1, &rhythm, &ref);
  ASSERT_NE(catch_up.walk(), nullptr);
  // The first foot to lift, and where it lands.
  int first = -1;
  Eigen::Vector2d landing = Eigen::Vector2d::Zero();
  for (double t = 1; t < catch_up.walk()->end_time(); t += 0.01) {
    RobotReference walk;
    catch_up.walk()->Sample(t, &walk);
    if (first < 0) {
      for (int side = 0; side < 2; ++side) {
        if (!walk.feet[side].in_contact) first = side;
      }
    } else if (walk.feet[first].in_contact) {
      landing = walk.feet[first].position.head<2>();
      break;
    }
  }
  EXPECT_EQ(first, 0);
  // Beside the right foot at the plan's width (less than line_walk_square_travel away).
  EXPECT_NEAR(landing.x(), right.x(), 0.05);
  EXPECT_NEAR(landing.y(), right.y() + 0.404, 0.05);
}

// The rule itself: a walk straight to the slot is ahead, one that keeps pace is not.
TEST(PlanCatchUpTest, WalkGetsAheadOfPlanComparesWithThePlansPace) {
  const FormationChangePlan plan(/*walk_start=*/3, /*walk_end=*/15, /*distance=*/0.9);
  FootstepPlan walk;
  walk.start = Stance::FromCenter({0, 0, 0}, 0.3);
  auto step = [&](Foot foot, double x, double when) {
    Footstep s;
    s.foot = foot;
    s.pose = {x, foot == Foot::kLeft ? 0.15 : -0.15, 0};
    s.touchdown_time = when;
    walk.steps.push_back(s);
  };
  step(Foot::kLeft, 0.4, 2);
  step(Foot::kRight, 0.8, 2.5);
  step(Foot::kLeft, 0.9, 3);
  step(Foot::kRight, 0.9, 3.5);
  EXPECT_TRUE(WalkGetsAheadOfPlan(plan, 1, walk, 0.15));
  // The same steps landing when the plan gets there.
  walk.steps[0].touchdown_time = 8.5;
  walk.steps[1].touchdown_time = 13.5;
  walk.steps[2].touchdown_time = 15;
  walk.steps[3].touchdown_time = 15.5;
  EXPECT_FALSE(WalkGetsAheadOfPlan(plan, 1, walk, 0.15));
  // Standing plan (no travel to the walk's end): never ahead.
  const FormationChangePlan standing(/*walk_start=*/30, /*walk_end=*/42, /*distance=*/0.9);
  FootstepPlan back;
  back.start = Stance::FromCenter({0.3, 0, 0}, 0.3);  // pushed 0.3 m ahead
  back.steps.push_back({});
  back.steps[0].foot = Foot::kLeft;
  back.steps[0].pose = {0, 0.15, 0};
  back.steps[0].touchdown_time = 2;
  back.steps.push_back({});
  back.steps[1].foot = Foot::kRight;
  back.steps[1].pose = {0, -0.15, 0};
  back.steps[1].touchdown_time = 2.5;
  EXPECT_FALSE(WalkGetsAheadOfPlan(standing, 1, back, 0.15));
}

// A plan whose feet (0.4 m apart, facing +x) stand at the origin until walk_start, glide
// to `to` turning by `turn` (rad) by walk_end (a formation change at its pace) and stand
// there after.
class GlidePlan : public ReferenceSource {
 public:
  GlidePlan(double walk_start, double walk_end, const Eigen::Vector2d& to, double turn)
      : walk_start_(walk_start), walk_end_(walk_end), to_(to), turn_(turn) {}
  void Sample(double t, RobotReference* out) const override {
    *out = RobotReference{};
    out->time = t;
    const double s = std::clamp((t - walk_start_) / (walk_end_ - walk_start_), 0.0, 1.0);
    const Eigen::Vector2d c = s * to_;
    const double yaw = s * turn_;
    const Eigen::Vector2d left(-std::sin(yaw), std::cos(yaw));
    for (int side = 0; side < 2; ++side) {
      const Eigen::Vector2d foot = c + (side == 0 ? 0.2 : -0.2) * left;
      out->feet[side].position = {foot.x(), foot.y(), 0};
      out->feet[side].yaw = yaw;
    }
    out->pelvis_yaw = yaw;
    out->com = {c.x(), c.y(), 0.9};
    out->zmp = c;
  }
  double end_time() const override { return walk_end_ + 10; }

 private:
  double walk_start_, walk_end_;
  Eigen::Vector2d to_;
  double turn_;
};

// The default show's r05 after it was pushed to its right in the walk into the circle
// (show_push), in its own frame: capture steps left its feet 0.48 m apart, its plan
// walks 0.9 m ahead and to the left, and r00's pelvis stands 0.44 m from the right foot.
// Told of r00, the catch-up lifts the right foot first (its weight goes onto the left
// foot, away from r00) and its CoM reference never comes nearer r00 than it starts;
// blind to it, the walk's first step is the left foot's and the CoM sways 8 cm toward
// r00 (with r00's own sway, pelvises 0.57 m apart and arms touching). Returns the least
// distance of the CoM reference from r00 to 6 s, less the distance it starts at (m), and
// the first foot to lift; `lifts`, when given, gets each lift-off in order (foot, s).
// `turn` (rad) and `to` (m) change where the plan walks.
double NearestApproachToANeighbour(bool told, int* first_lifted,
                                   std::vector<std::pair<int, double>>* lifts = nullptr, double turn = -0.28,
                                   Eigen::Vector2d to = {0.59, 0.69}) {
  const WholeBodyGains k;
  const GlidePlan plan(/*walk_start=*/0, /*walk_end=*/3.5, to, turn);
  const std::vector<Eigen::Vector2d> neighbours = {{0.27, -0.575}};
  PlanCatchUp catch_up(k, /*line_feet=*/true);
  StepRhythm rhythm;
  RobotReference ref;
  plan.Sample(1, &ref);
  catch_up.Start(ref, {Eigen::Vector2d(0.018, 0.241), Eigen::Vector2d(-0.017, -0.241)});
  const double start = (Eigen::Vector2d(0, 0) - neighbours[0]).norm();
  double least = 1e9;
  *first_lifted = -1;
  std::array<bool, 2> was_down{true, true};
  for (double t = 1; t <= 6 + 1e-9; t += 0.01) {
    RobotReference planned;
    plan.Sample(t, &planned);
    ref = planned;
    rhythm.Observe(planned, t, k);
    if (catch_up.active()) {
      catch_up.Apply(plan, t, &rhythm, &ref, told ? std::span<const Eigen::Vector2d>(neighbours)
                                                   : std::span<const Eigen::Vector2d>());
    }
    least = std::min(least, (ref.com.head<2>() - neighbours[0]).norm());
    for (int side = 0; side < 2 && *first_lifted < 0; ++side) {
      if (!ref.feet[side].in_contact) *first_lifted = side;
    }
    for (int side = 0; side < 2; ++side) {
      if (was_down[side] && !ref.feet[side].in_contact && lifts) lifts->push_back({side, t});
      was_down[side] = ref.feet[side].in_contact;
    }
  }
  return least - start;
}

TEST(PlanCatchUpTest, TheFirstStepNearANeighbourShiftsTheWeightAwayFromIt) {
  int first = -1;
  const double told = NearestApproachToANeighbour(true, &first);
  EXPECT_EQ(first, 1);  // the right foot, nearer r00
  EXPECT_GE(told, -0.01);
  const double blind = NearestApproachToANeighbour(false, &first);
  EXPECT_EQ(first, 0);
  EXPECT_LT(blind, -0.05);
}

// Near the neighbour the right foot's squaring step and the walk's own first step (the
// same foot again) are one step of one walk: the left foot lifts next, a step later, with
// no stop between. Taken as a walk alone, the squaring step stands the robot still for a
// new walk planned from where the foot should have landed, not where it did (short of
// it): that walk's swings lag, land short, and a second recovery fires.
TEST(PlanCatchUpTest, NearANeighbourTheSquaringStepIsTheWalksFirstStep) {
  int first = -1;
  std::vector<std::pair<int, double>> lifts;
  NearestApproachToANeighbour(true, &first, &lifts);
  ASSERT_GE(lifts.size(), 3u);
  EXPECT_EQ(lifts[0].first, 1);
  EXPECT_EQ(lifts[1].first, 0);
  EXPECT_EQ(lifts[2].first, 1);
  const WholeBodyGains k;
  EXPECT_NEAR(lifts[1].second - lifts[0].second, k.line_walk_period, 0.02);
}

// ... unless the walk's first step turns the foot far (the plan turns 1.2 rad on its
// way to a slot nearby): the squaring step is then a walk of its own and
// the right foot lifts again, for the walk on, before the left: a merged step turning
// that far lands short, near the neighbour it is meant to keep clear of.
TEST(PlanCatchUpTest, NearANeighbourASharplyTurningFirstStepIsNotMerged) {
  int first = -1;
  std::vector<std::pair<int, double>> lifts;
  NearestApproachToANeighbour(true, &first, &lifts, /*turn=*/-1.2, /*to=*/{0.2, 0.3});
  ASSERT_GE(lifts.size(), 3u);
  EXPECT_EQ(lifts[0].first, 1);
  EXPECT_EQ(lifts[1].first, 1);
  EXPECT_EQ(lifts[2].first, 0);
}

}  // namespace
}  // namespace yangbot
