// The move library: registration, declared parameters, joint ranges at the bounds,
// and the footstep figures of the leg moves.
#include "choreography/move.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "choreography/move_registry.h"
#include "choreography/schedule.h"
#include "sim/error.h"

namespace yangbot {
namespace {

TEST(MoveRegistryTest, HasTheWholeLibrary) {
  const std::set<std::string> expected = {"stand",       "cross_step",   "three_forward_one_back",
                                          "knee_bounce", "waist_twist",  "side_sway",
                                          "arm_swing",   "figure_eight", "hanky_flower",
                                          "flick",       "bow",          "walk_to",
                                          "hanky_spin",  "hanky_flick",  "hanky_throw"};
  const std::vector<std::string> names = BuiltinMoves().Names();
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()), expected);
  for (const std::string& name : names) {
    const MoveSpec& spec = BuiltinMoves().Find(name)->spec();
    EXPECT_EQ(spec.name, name);
    EXPECT_NE(spec.limbs, 0u) << name;
    EXPECT_FALSE(spec.doc.empty()) << name;
    for (const ParamSpec& p : spec.params) {
      EXPECT_FALSE(p.doc.empty()) << name << "." << p.name;
      if (p.choices.empty()) {
        EXPECT_NE(p.dimension, Dimension::kNone) << name << "." << p.name << " needs a unit";
        EXPECT_LE(p.min, p.default_value);
        EXPECT_LE(p.default_value, p.max);
      }
    }
  }
  EXPECT_EQ(BuiltinMoves().Find("cross_step")->spec().limbs, static_cast<LimbSet>(kLegs));
  EXPECT_EQ(BuiltinMoves().Find("hanky_flower")->spec().limbs,
            static_cast<LimbSet>(kArms | kHanky));
  EXPECT_EQ(BuiltinMoves().Find("nope"), nullptr);
}

TEST(MoveRegistryTest, RejectsDuplicatesAndReservedParameterNames) {
  class Fake : public Move {
   public:
    explicit Fake(std::string param) {
      spec_.name = "fake";
      spec_.limbs = kArms;
      spec_.params = {NumberParam(param, Dimension::kLength, 0, 0, 1, "x")};
    }
    const MoveSpec& spec() const override { return spec_; }
    MoveSpec spec_;
  };
  MoveRegistry registry;
  registry.Add(std::make_unique<Fake>("size"));
  EXPECT_THROW(registry.Add(std::make_unique<Fake>("size")), Error);
  MoveRegistry other;
  EXPECT_THROW(other.Add(std::make_unique<Fake>("beats")), Error);
}

// Every combination of each parameter at its default, minimum and maximum (and every
// word), for every move, mirrored or not: arm targets stay inside the joint ranges.
TEST(MoveTest, ArmTargetsStayInJointRangesAtTheBounds) {
  for (const std::string& name : BuiltinMoves().Names()) {
    const Move& move = *BuiltinMoves().Find(name);
    const std::vector<ParamSpec>& specs = move.spec().params;
    std::vector<std::vector<std::pair<double, std::string>>> options;
    for (const ParamSpec& p : specs) {
      std::vector<std::pair<double, std::string>> values;
      if (p.choices.empty()) {
        values = {{p.min, ""}, {p.default_value, ""}, {p.max, ""}};
      } else {
        for (const std::string& c : p.choices) values.push_back({p.default_value, c});
      }
      options.push_back(values);
    }
    std::vector<size_t> pick(specs.size(), 0);
    int combinations = 0;
    while (true) {
      ParamValues values;
      for (size_t i = 0; i < specs.size(); ++i) {
        values.numbers.push_back(options[i][pick[i]].first);
        values.words.push_back(options[i][pick[i]].second);
      }
      ++combinations;
      for (double length : {1.0, 4.0, 8.0}) {
        for (double u = 0; u <= length + 1e-9; u += 1.0 / 32) {
          BodyPose pose;
          move.Pose(values, u, length, &pose);
          for (const BodyPose& p : {pose, MirrorPose(pose)}) {
            for (int j = 0; j < kArmJoints; ++j) {
              ASSERT_GE(p.arm_q[j], kArmMin[j]) << name << " joint " << j << " u " << u;
              ASSERT_LE(p.arm_q[j], kArmMax[j]) << name << " joint " << j << " u " << u;
              ASSERT_TRUE(std::isfinite(p.arm_q[j]));
            }
            ASSERT_LE(std::abs(p.torso_yaw), 2.35) << name;
            ASSERT_LE(std::abs(p.trunk_roll), 0.3) << name;
            ASSERT_LE(std::abs(p.trunk_pitch), 0.8) << name;
            ASSERT_LE(std::abs(p.com_height_offset), 0.1) << name;
          }
        }
      }
      size_t i = 0;
      while (i < pick.size() && ++pick[i] == options[i].size()) pick[i++] = 0;
      if (i == pick.size()) break;
    }
    EXPECT_GE(combinations, 1);
  }
}

TEST(MoveTest, MovesFadeInAndOutFromTheNeutralPose) {
  for (const char* name : {"arm_swing", "figure_eight", "hanky_flower", "flick", "bow",
                                  "waist_twist", "side_sway", "knee_bounce"}) {
    const Move& move = *BuiltinMoves().Find(name);
    ParamValues values;
    for (const ParamSpec& p : move.spec().params) {
      values.numbers.push_back(p.default_value);
      values.words.push_back(p.choices.empty() ? "" : p.choices.front());
    }
    for (double u : {0.0, 8.0}) {
      BodyPose pose;
      move.Pose(values, u, 8.0, &pose);
      for (int j = 0; j < kArmJoints; ++j) EXPECT_NEAR(pose.arm_q[j], 0, 1e-12) << name;
      EXPECT_NEAR(pose.torso_yaw, 0, 1e-12) << name;
      EXPECT_NEAR(pose.trunk_roll, 0, 1e-12) << name;
      EXPECT_NEAR(pose.trunk_pitch, 0, 1e-12) << name;
      EXPECT_NEAR(pose.com_height_offset, 0, 1e-12) << name;
    }
  }
}

TEST(MoveTest, MirrorSwapsSidesAndFlipsSigns) {
  BodyPose pose;
  pose.torso_yaw = 0.3;
  pose.trunk_roll = -0.1;
  pose.trunk_pitch = 0.2;
  pose.arm_q = {0.1, 0.2, 0.3, 0.4, 0.5, -0.6, -0.7, 0.8};
  pose.hanky[0] = {true, 1.5};
  const BodyPose m = MirrorPose(pose);
  EXPECT_DOUBLE_EQ(m.torso_yaw, -0.3);
  EXPECT_DOUBLE_EQ(m.trunk_roll, 0.1);
  EXPECT_DOUBLE_EQ(m.trunk_pitch, 0.2);
  const std::array<double, kArmJoints> expected = {0.5, 0.6, 0.7, 0.8, 0.1, -0.2, -0.3, 0.4};
  EXPECT_EQ(m.arm_q, expected);
  EXPECT_FALSE(m.hanky[0].spinning);
  EXPECT_TRUE(m.hanky[1].spinning);
  EXPECT_DOUBLE_EQ(m.hanky[1].phase, -1.5);
  const BodyPose back = MirrorPose(m);
  EXPECT_EQ(back.arm_q, pose.arm_q);
}

ParamValues Defaults(const Move& move) {
  ParamValues values;
  for (const ParamSpec& p : move.spec().params) {
    values.numbers.push_back(p.default_value);
    values.words.push_back(p.choices.empty() ? "" : p.choices.front());
  }
  return values;
}

// 十字步: forward-across, forward, back-across, back; lands on beats 1-4; back home.
TEST(MoveTest, CrossStepGoesForwardAcrossForwardBackAcrossBack) {
  const GaitParams gait;
  const FootstepPlanner planner(PlannerParams(gait));
  const Move& move = *BuiltinMoves().Find("cross_step");
  const Stance start = StanceAtPelvis({1, 2, 0}, gait);
  std::vector<BeatStep> steps;
  StepContext context{start, Beats(8), &gait, &planner};
  ASSERT_EQ(move.PlanSteps(context, Defaults(move), &steps), "");
  ASSERT_EQ(steps.size(), 8u);
  const Pose2 centre = start.Center();
  for (int cycle = 0; cycle < 2; ++cycle) {
    const BeatStep* s = &steps[4 * cycle];
    for (int k = 0; k < 4; ++k) EXPECT_EQ(s[k].land, Beats(4 * cycle + k + 1));
    // Lead (right) forward; by default on its own line (H1 feet cannot cross).
    EXPECT_EQ(s[0].foot, Foot::kRight);
    EXPECT_NEAR(RelativePose(centre, s[0].pose).x, 0.03, 1e-12);
    EXPECT_NEAR(RelativePose(centre, s[0].pose).y, -gait.foot_lateral, 1e-12);
    // Left forward.
    EXPECT_EQ(s[1].foot, Foot::kLeft);
    EXPECT_NEAR(RelativePose(centre, s[1].pose).x, 0.03, 1e-12);
    // Right back across to its place.
    EXPECT_EQ(s[2].foot, Foot::kRight);
    EXPECT_NEAR(RelativePose(centre, s[2].pose).x, 0, 1e-12);
    EXPECT_NEAR(RelativePose(centre, s[2].pose).y, -gait.foot_lateral, 1e-12);
    // Left back.
    EXPECT_EQ(s[3].foot, Foot::kLeft);
    EXPECT_NEAR(RelativePose(centre, s[3].pose).x, 0, 1e-12);
    EXPECT_NEAR(RelativePose(centre, s[3].pose).y, gait.foot_lateral, 1e-12);
  }
  // `cross` brings the lead foot in from its line: past the midline when it exceeds the
  // half stance width.
  ParamValues crossing = Defaults(move);
  crossing.numbers[1] = gait.foot_lateral + 0.02;
  steps.clear();
  ASSERT_EQ(move.PlanSteps(context, crossing, &steps), "");
  EXPECT_NEAR(RelativePose(centre, steps[0].pose).y, 0.02, 1e-12);
  // Every step is within the robot's step limits.
  Stance feet = start;
  for (const BeatStep& s : steps) {
    EXPECT_EQ(planner.CheckStep(s.foot, s.pose, feet.foot(OtherFoot(s.foot)), s.allow_cross), "");
    feet.foot(s.foot) = s.pose;
  }
}

TEST(MoveTest, ThreeForwardOneBackGainsTwoStridesACycle) {
  const GaitParams gait;
  const FootstepPlanner planner(PlannerParams(gait));
  const Move& move = *BuiltinMoves().Find("three_forward_one_back");
  const Stance start = StanceAtPelvis({0, 0, M_PI / 2}, gait);  // facing +y
  std::vector<BeatStep> steps;
  StepContext context{start, Beats(12), &gait, &planner};
  ParamValues values = Defaults(move);
  ASSERT_EQ(move.PlanSteps(context, values, &steps), "");
  ASSERT_EQ(steps.size(), 12u);
  Stance feet = start;
  int forward = 0, back = 0;
  for (const BeatStep& s : steps) {
    const double before = RelativePose(start.Center(), feet.foot(s.foot)).x;
    const double after = RelativePose(start.Center(), s.pose).x;
    (after > before ? forward : back) += 1;
    EXPECT_EQ(planner.CheckStep(s.foot, s.pose, feet.foot(OtherFoot(s.foot)), s.allow_cross), "");
    feet.foot(s.foot) = s.pose;
  }
  EXPECT_EQ(forward, 9);
  EXPECT_EQ(back, 3);
  // Along the facing: the first cycle gains 1.5 strides (the feet start together, and it
  // ends with the lead foot a stride behind), each later cycle 2.
  const Pose2 moved = RelativePose(start.Center(), feet.Center());
  EXPECT_NEAR(moved.x, 5.5 * values.Number(0), 1e-9);
  EXPECT_NEAR(moved.y, 0, 1e-9);
}

TEST(MoveTest, WalkToReachesItsGoalOrSaysHowManyBeatsItNeeds) {
  const GaitParams gait;
  const FootstepPlanner planner(PlannerParams(gait));
  const Move& move = *BuiltinMoves().Find("walk_to");
  const Stance start = StanceAtPelvis({0, 0, 0}, gait);
  ParamValues values = Defaults(move);
  values.numbers = {2.0, 0.5, 90.0};
  std::vector<BeatStep> steps;
  ASSERT_EQ(move.PlanSteps({start, Beats(32), &gait, &planner}, values, &steps), "");
  ASSERT_FALSE(steps.empty());
  Stance feet = start;
  // Quick steps, one every gait.walk.step_beats (2/5 beat), alternating feet.
  for (size_t i = 0; i < steps.size(); ++i) {
    EXPECT_EQ(steps[i].land, gait.walk.step_beats * Beats(static_cast<int64_t>(i) + 1));
    if (i > 0) EXPECT_NE(steps[i].foot, steps[i - 1].foot);
    feet.foot(steps[i].foot) = steps[i].pose;
  }
  const Pose2 pelvis = PelvisOfStance(feet, gait);
  EXPECT_NEAR(pelvis.x, 2.0, 1e-6);
  EXPECT_NEAR(pelvis.y, 0.5, 1e-6);
  EXPECT_NEAR(std::remainder(pelvis.yaw - M_PI / 2, 2 * M_PI), 0, 1e-6);
  steps.clear();
  const std::string why = move.PlanSteps({start, Beats(4), &gait, &planner}, values, &steps);
  EXPECT_NE(why.find("must walk 2.06 m in 4 beats but needs"), std::string::npos) << why;
}

TEST(MoveTest, HankySpinPhaseIsLockedToTheBeat) {
  const Move& move = *BuiltinMoves().Find("hanky_spin");
  ParamValues values = Defaults(move);  // both hands, 1 turn/beat, phase 0
  values.numbers[1] = 1.5;
  values.numbers[2] = 90;
  for (double u : {0.0, 0.5, 3.25, 100.0}) {
    BodyPose pose;
    move.Pose(values, u, 200, &pose);
    for (int side = 0; side < 2; ++side) {
      EXPECT_TRUE(pose.hanky[side].spinning);
      EXPECT_NEAR(pose.hanky[side].phase, 2 * M_PI * 1.5 * u + M_PI / 2, 1e-9);
    }
    EXPECT_EQ(pose.arm_q, (std::array<double, kArmJoints>{}));  // hanky only
  }
}

}  // namespace
}  // namespace yangbot
