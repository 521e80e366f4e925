// Compiled references: steps on the beats, hankies in phase (and a canon's wave), mirror
// signs, joint ranges and finite values over the whole default show.
#include "choreography/show_compiler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <regex>

#include "choreography/choreography.h"
#include "controllers/line_foot_gait.h"
#include "sim/assets.h"
#include "sim/error.h"
#include "sim/scene.h"

namespace yangbot {
namespace {

CompiledShow Compile(const std::string& text, LoadedShow* loaded_out = nullptr) {
  LoadedShow loaded = CheckShowText(text, "");
  EXPECT_TRUE(loaded.ok()) << loaded.diagnostics.Format("test");
  CompiledShow show = CompileSchedule(loaded.schedule);
  if (loaded_out != nullptr) *loaded_out = std::move(loaded);
  return show;
}

RobotReference At(const CompiledShow& show, int robot, double t) {
  RobotReference ref;
  show.references.at(static_cast<size_t>(robot))->Sample(t, &ref);
  return ref;
}

constexpr const char* kFour = R"(tempo: 100
offset: 2
troupe: {robots: 4, start: line}
formations:
  line: {shape: line, spacing: 1.5}
timeline:
)";

TEST(ShowCompilerTest, PlacementsAreTheStartFormation) {
  const CompiledShow show = Compile(std::string(kFour) + "  []\n");
  ASSERT_EQ(show.placements.size(), 4u);
  ASSERT_EQ(show.references.size(), 4u);
  EXPECT_DOUBLE_EQ(show.placements[0].y, 2.25);
  EXPECT_DOUBLE_EQ(show.placements[3].y, -2.25);
  // Standing: CoM over the feet, feet either side of the pelvis, arms hanging.
  const RobotReference ref = At(show, 0, 1.0);
  const GaitParams gait;
  EXPECT_NEAR(ref.feet[0].position.y() - ref.feet[1].position.y(), 2 * gait.foot_lateral, 1e-12);
  EXPECT_NEAR(ref.feet[0].position.x(), gait.foot_forward, 1e-12);
  EXPECT_NEAR(ref.com.z(), gait.com_height, 1e-12);
  EXPECT_NEAR(ref.com.y(), 2.25, 1e-9);
  EXPECT_TRUE(ref.feet[0].in_contact && ref.feet[1].in_contact);
  EXPECT_EQ(ref.arm_q, (std::array<double, kArmJoints>{}));
}

TEST(ShowCompilerTest, CrossStepFeetLandOnTheBeats) {
  LoadedShow loaded;
  const CompiledShow show = Compile(std::string(kFour) +
                                        "  - section: s\n    at: 2:1\n    beats: 8\n    cues:\n"
                                        "      - move: cross_step\n",
                                    &loaded);
  const auto& ref = dynamic_cast<const ShowReference&>(*show.references[1]);
  const FootstepPlan& plan = ref.plan();
  ASSERT_EQ(plan.steps.size(), 8u);
  const double period = 60.0 / 100;
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const Footstep& step = plan.steps[i];
    // Section at bar 2 = beat 4; step i lands on beat 4 + i + 1.
    EXPECT_NEAR(step.touchdown_time, 2 + (5 + static_cast<double>(i)) * period, 1e-12);
    // At touch-down the foot is where the step says, and in contact (the walking
    // reference runs `delay` behind the beat: feet that fall early land on it).
    const RobotReference r = At(show, 1, step.touchdown_time + CompileOptions().walking.delay + 1e-9);
    const int foot = step.foot == Foot::kLeft ? 0 : 1;
    EXPECT_NEAR(r.feet[foot].position.x(), step.pose.x, 1e-6);
    EXPECT_NEAR(r.feet[foot].position.y(), step.pose.y, 1e-6);
    EXPECT_TRUE(r.feet[foot].in_contact);
    // Mid-swing it is in the air.
    const RobotReference mid = At(show, 1, 0.5 * (step.liftoff_time + step.touchdown_time));
    EXPECT_FALSE(mid.feet[foot].in_contact);
    EXPECT_GT(mid.feet[foot].position.z(), 0.02);
  }
  // Forward-across (right), forward (left), back-across (right), back (left).
  const double x0 = show.placements[1].x + GaitParams().foot_forward;
  EXPECT_EQ(plan.steps[0].foot, Foot::kRight);
  EXPECT_NEAR(plan.steps[0].pose.x, x0 + 0.03, 1e-12);  // the default 3 cm stride
  EXPECT_LT(plan.steps[0].pose.y, show.placements[1].y);  // on its own (right) line
  EXPECT_EQ(plan.steps[1].foot, Foot::kLeft);
  EXPECT_NEAR(plan.steps[1].pose.x, x0 + 0.03, 1e-12);
  EXPECT_EQ(plan.steps[2].foot, Foot::kRight);
  EXPECT_NEAR(plan.steps[2].pose.x, x0, 1e-12);
  EXPECT_EQ(plan.steps[3].foot, Foot::kLeft);
  EXPECT_NEAR(plan.steps[3].pose.x, x0, 1e-12);
  // The knees dip on the beat: CoM lowest on beats, with a vertical velocity between.
  const double on_beat = 2 + 6 * period;
  EXPECT_LT(At(show, 1, on_beat).com.z(), At(show, 1, on_beat + 0.5 * period).com.z() - 0.01);
}

TEST(ShowCompilerTest, HankiesInUnisonAreInPhaseAndACanonIsAWave) {
  const CompiledShow show = Compile(std::string(kFour) + R"(  - section: s
    at: 1:1
    beats: 16
    cues:
      - hanky: spin
        hand: both
        rate: 2 turns/s
        phase: 45 deg
        beats: 8
      - move: hanky_flower
        hand: right
        at: 8
        beats: 4
        canon: 1
)");
  const double period = 0.6;
  const double turns_per_beat = 2 * period;  // 2 turns/s at 100 bpm
  for (double beat : {0.0, 0.3, 2.5, 7.9}) {
    const double t = 2 + beat * period;
    const RobotReference first = At(show, 0, t);
    for (int r = 0; r < 4; ++r) {
      const RobotReference ref = At(show, r, t);
      for (int side = 0; side < 2; ++side) {
        EXPECT_TRUE(ref.hanky[side].spinning);
        EXPECT_NEAR(ref.hanky[side].phase, first.hanky[side].phase, 1e-12);
        EXPECT_NEAR(ref.hanky[side].phase, 2 * M_PI * turns_per_beat * beat + M_PI / 4, 1e-9);
        EXPECT_NEAR(ref.hanky[side].rate, 2 * 2 * M_PI, 1e-6);
      }
    }
  }
  // After the spin the phase is held, not spinning.
  const RobotReference held = At(show, 2, 2 + 8.001 * period);
  EXPECT_FALSE(held.hanky[0].spinning);
  EXPECT_NEAR(held.hanky[0].phase, 2 * M_PI * turns_per_beat * 8 + M_PI / 4, 1e-9);
  // The canon: robot k starts k beats after robot 1, so its phase lags by k turns.
  for (double beat : {11.25, 11.5}) {
    const double t = 2 + beat * period;
    for (int r = 0; r < 4; ++r) {
      const RobotReference ref = At(show, r, t);
      const double since = beat - 8 - r;
      EXPECT_EQ(ref.hanky[1].spinning, since >= 0 && since < 4) << r << " " << beat;
      if (ref.hanky[1].spinning) {
        EXPECT_NEAR(ref.hanky[1].phase, 2 * M_PI * since, 1e-9);
      }
    }
  }
  // And its arm rises: right shoulder roll negative (outward on the right), within range.
  const RobotReference up = At(show, 0, 2 + 10 * period);
  EXPECT_LT(up.arm_q[5], -1.5);
  EXPECT_NEAR(up.arm_q[1], 0, 1e-12);
}

TEST(ShowCompilerTest, MirrorFlipsTwistSwayAndArms) {
  const CompiledShow show = Compile(std::string(kFour) + R"(  - section: s
    at: 1:1
    beats: 8
    cues:
      - move: waist_twist
        mirror: true
      - move: figure_eight
        hand: left
        mirror: true
)");
  for (double beat : {1.3, 2.5, 4.75}) {
    const double t = 2 + beat * 0.6;
    const RobotReference left = At(show, 1, t);   // robot 2, left of centre
    const RobotReference right = At(show, 2, t);  // robot 3, right of centre: mirrored
    EXPECT_GT(std::abs(left.torso_yaw), 0.01);
    EXPECT_NEAR(right.torso_yaw, -left.torso_yaw, 1e-12);
    EXPECT_NEAR(right.torso_yaw_rate, -left.torso_yaw_rate, 1e-9);
    // Left arm on robot 2 is the right arm on robot 3, roll and yaw negated.
    EXPECT_NEAR(right.arm_q[4], left.arm_q[0], 1e-12);
    EXPECT_NEAR(right.arm_q[5], -left.arm_q[1], 1e-12);
    EXPECT_NEAR(right.arm_q[6], -left.arm_q[2], 1e-12);
    EXPECT_NEAR(right.arm_q[7], left.arm_q[3], 1e-12);
    EXPECT_NEAR(right.arm_q[0], 0, 1e-12);
    EXPECT_NEAR(left.arm_q[4], 0, 1e-12);
  }
}

TEST(ShowCompilerTest, MirroredSideStepsGoTheOtherWay) {
  const CompiledShow show = Compile(std::string(kFour) + R"(  - section: s
    at: 1:1
    beats: 8
    cues:
      - move: three_forward_one_back
        direction: 30
        mirror: true
)");
  const auto end = [&](int r) { return At(show, r, 100.0).com; };
  const double left_dy = end(1).y() - show.placements[1].y;
  const double right_dy = end(2).y() - show.placements[2].y;
  EXPECT_GT(left_dy, 0.05);
  EXPECT_NEAR(right_dy, -left_dy, 1e-3);
  EXPECT_NEAR(end(1).x(), end(2).x(), 1e-3);
}

TEST(ShowCompilerTest, RatesMatchTheChangeOfTheTargets) {
  const CompiledShow show = Compile(std::string(kFour) + R"(  - section: s
    at: 1:1
    beats: 8
    cues:
      - move: side_sway  # the arms carry the sway
      - move: knee_bounce
)");
  const double h = 1e-5;
  for (double t : {2.7, 3.3, 4.1}) {
    const RobotReference a = At(show, 0, t - h), b = At(show, 0, t), c = At(show, 0, t + h);
    for (int j = 0; j < kArmJoints; ++j) {
      EXPECT_NEAR(b.arm_qd[j], (c.arm_q[j] - a.arm_q[j]) / (2 * h), 1e-3);
    }
    EXPECT_NEAR(b.com_velocity.z(), (c.com.z() - a.com.z()) / (2 * h), 1e-4);
  }
}

TEST(ShowCompilerTest, DefaultShowStaysInRangeAndFinite) {
  const std::string path = AssetsDir() + "/choreographies/yangge16.yaml";
  const CompiledShow show = CompileShowFile(path);
  ASSERT_EQ(show.references.size(), 16u);
  EXPECT_GT(show.end_time, 120.0);
  for (size_t r = 0; r < show.references.size(); ++r) {
    EXPECT_GE(show.references[r]->end_time(), show.end_time);
    for (double t = 0; t < show.end_time + 2; t += 0.05) {
      RobotReference ref;
      show.references[r]->Sample(t, &ref);
      ASSERT_TRUE(ref.com.allFinite() && ref.com_velocity.allFinite() && ref.zmp.allFinite());
      for (int j = 0; j < kArmJoints; ++j) {
        ASSERT_GE(ref.arm_q[j], kArmMin[j]) << r << " " << t;
        ASSERT_LE(ref.arm_q[j], kArmMax[j]) << r << " " << t;
        ASSERT_TRUE(std::isfinite(ref.arm_qd[j]));
      }
      ASSERT_LT(std::abs(ref.torso_yaw), 1.0);
      for (const FootReference& foot : ref.feet) ASSERT_TRUE(foot.position.allFinite());
      // Feet stay apart.
      ASSERT_GT((ref.feet[0].position - ref.feet[1].position).head<2>().norm(), 0.1)
          << r << " " << t;
    }
  }
  EXPECT_THROW(CompileShowFile(AssetsDir() + "/choreographies/none.yaml"),
               Error);
}

// No jumps anywhere in the show, also where one stretch of walking hands over to the
// next: every 2 ms the targets move by less than a fast robot could.
TEST(ShowCompilerTest, DefaultShowReferencesAreContinuous) {
  const CompiledShow show =
      CompileShowFile(AssetsDir() + "/choreographies/yangge16.yaml");
  for (int r : {0, 5, 15}) {
    const auto& ref = dynamic_cast<const ShowReference&>(*show.references[r]);
    EXPECT_GE(ref.pattern_count(), 2) << r;  // the show has pauses between walks
    RobotReference previous;
    ref.Sample(0, &previous);
    for (double t = 0.002; t < show.end_time + 3; t += 0.002) {
      RobotReference now;
      ref.Sample(t, &now);
      ASSERT_LT((now.com - previous.com).norm(), 0.004) << r << " t " << t;
      for (int f = 0; f < 2; ++f) {
        ASSERT_LT((now.feet[f].position - previous.feet[f].position).norm(), 0.01)
            << r << " t " << t;
      }
      for (int j = 0; j < kArmJoints; ++j) {
        ASSERT_LT(std::abs(now.arm_q[j] - previous.arm_q[j]), 0.03)
            << r << " j " << j << " t " << t;
      }
      ASSERT_LT(std::abs(now.torso_yaw - previous.torso_yaw), 0.01) << r << " t " << t;
      ASSERT_LT(std::abs(now.trunk_pitch - previous.trunk_pitch), 0.01) << r << " t " << t;
      previous = now;
    }
  }
}

// Every channel of two samples equal, bit for bit.
void ExpectSameSample(const RobotReference& a, const RobotReference& b, double t) {
  ASSERT_EQ(a.time, b.time) << t;
  ASSERT_EQ(a.com, b.com) << t;
  ASSERT_EQ(a.com_velocity, b.com_velocity) << t;
  ASSERT_EQ(a.com_acceleration, b.com_acceleration) << t;
  ASSERT_EQ(a.zmp, b.zmp) << t;
  for (int f = 0; f < 2; ++f) {
    ASSERT_EQ(a.feet[f].position, b.feet[f].position) << t;
    ASSERT_EQ(a.feet[f].velocity, b.feet[f].velocity) << t;
    ASSERT_EQ(a.feet[f].acceleration, b.feet[f].acceleration) << t;
    ASSERT_EQ(a.feet[f].yaw, b.feet[f].yaw) << t;
    ASSERT_EQ(a.feet[f].yaw_rate, b.feet[f].yaw_rate) << t;
    ASSERT_EQ(a.feet[f].in_contact, b.feet[f].in_contact) << t;
    ASSERT_EQ(a.hanky[f].spinning, b.hanky[f].spinning) << t;
    ASSERT_EQ(a.hanky[f].phase, b.hanky[f].phase) << t;
    ASSERT_EQ(a.hanky[f].rate, b.hanky[f].rate) << t;
    ASSERT_EQ(a.hanky[f].acceleration, b.hanky[f].acceleration) << t;
  }
  ASSERT_EQ(a.pelvis_yaw, b.pelvis_yaw) << t;
  ASSERT_EQ(a.pelvis_yaw_rate, b.pelvis_yaw_rate) << t;
  ASSERT_EQ(a.torso_yaw, b.torso_yaw) << t;
  ASSERT_EQ(a.torso_yaw_rate, b.torso_yaw_rate) << t;
  ASSERT_EQ(a.trunk_roll, b.trunk_roll) << t;
  ASSERT_EQ(a.trunk_pitch, b.trunk_pitch) << t;
  ASSERT_EQ(a.arm_q, b.arm_q) << t;
  ASSERT_EQ(a.arm_qd, b.arm_qd) << t;
}

// A cursor carried from sample to sample (as a controller carries it, a tick at a time,
// with jumps back and forward by many ticks as a catch-up or a reflow might) gives the
// samples a fresh search gives, across walks, cues and held hankies.
TEST(ShowCompilerTest, ACarriedCursorSamplesAsAFreshSearch) {
  const CompiledShow show = CompileShowFile(AssetsDir() + "/choreographies/yangge16.yaml");
  std::mt19937 random(23);
  std::uniform_real_distribution<double> jump(-30.0, 30.0);
  for (int r : {0, 5, 15}) {
    const ReferenceSource& ref = *show.references[r];
    ReferenceCursor cursor;
    double t = 0;
    for (int k = 0; t < show.end_time + 3; ++k) {
      t = k % 2000 == 1999 ? std::clamp(t + jump(random), 0.0, show.end_time + 3) : t + 0.002;
      RobotReference fresh, warm;
      ref.Sample(t, &fresh);
      ref.SampleFrom(t, &cursor, &warm);
      ExpectSameSample(fresh, warm, t);
      if (HasFatalFailure()) return;
    }
  }
}

}  // namespace
}  // namespace yangbot

namespace yangbot {
namespace {

// One robot walks 3 m forward in 8 beats at 120 bpm.
constexpr const char* kWalkForward = R"(tempo: 120
offset: 1
troupe: {robots: 1, start: here}
formations:
  here: {shape: line, spacing: 1}
timeline:
  - section: go
    at: 2:1
    beats: 8
    cues:
      - move: walk_to
        x: 2 m
)";

// On line soles a walk follows the line-foot gait: steps up to its 0.5 m, one a beat,
// both feet down for its double-support share of each step, swing apex and crouch its own.
TEST(ShowCompilerTest, LineSolesWalkTheLineFootGait) {
  const LoadedShow loaded = CheckShowText(kWalkForward, "", DefaultRobotPath());
  ASSERT_TRUE(loaded.ok()) << loaded.diagnostics.Format("test");
  ASSERT_TRUE(loaded.schedule.gait.line_soles);
  const CompiledShow show = CompileSchedule(loaded.schedule);
  const auto& ref = dynamic_cast<const ShowReference&>(*show.references[0]);
  const FootstepPlan& plan = ref.plan();
  const LineFootGait gait;
  ASSERT_GE(plan.steps.size(), 5u);
  ASSERT_LE(plan.steps.size(), 9u);
  double longest = 0;
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const Footstep& step = plan.steps[i];
    if (i > 0) {
      EXPECT_NEAR(step.touchdown_time - plan.steps[i - 1].touchdown_time, 0.5, 1e-12);  // a beat
      longest = std::max(longest, step.pose.x - plan.steps[i - 1].pose.x);
    }
    EXPECT_NEAR(step.touchdown_time - step.liftoff_time, (1 - gait.double_support_ratio) * 0.5,
                1e-12);
  }
  EXPECT_GT(longest, 0.3);
  EXPECT_LE(longest, gait.limits.max_forward + 1e-9);
  EXPECT_NEAR(plan.steps.back().pose.x, 2 + GaitParams().foot_forward, 1e-9);
  // Mid-walk the CoM walks crouched and the swing foot rises to the gait's apex.
  const Footstep& middle = plan.steps[plan.steps.size() / 2];
  const RobotReference mid = At(show, 0, 0.5 * (middle.liftoff_time + middle.touchdown_time));
  EXPECT_NEAR(mid.com.z(), GaitParams().com_height - gait.crouch, 1e-9);
  EXPECT_NEAR(mid.feet[middle.foot == Foot::kLeft ? 0 : 1].position.z(), gait.swing_height, 0.01);
  // Standing before and after, the CoM is at its standing height.
  EXPECT_NEAR(At(show, 0, 0.5).com.z(), GaitParams().com_height, 1e-9);
  EXPECT_NEAR(At(show, 0, show.end_time + 5).com.z(), GaitParams().com_height, 1e-9);
  // The walk stops as the gait's trials do: the ZMP is on the feet's centre
  // stop_shift_time after the last touch-down, and still on its way a little before.
  const Footstep& last = plan.steps.back();
  const Footstep& before = plan.steps[plan.steps.size() - 2];
  const double centre_y = 0.5 * (last.pose.y + before.pose.y);
  EXPECT_NEAR(At(show, 0, last.touchdown_time + gait.stop_shift_time).zmp.y(), centre_y, 1e-6);
  EXPECT_GT(std::abs(At(show, 0, last.touchdown_time + gait.stop_shift_time - 0.05).zmp.y() - centre_y),
            1e-3);
}

// On line soles dance steps keep the box-foot gait's references and walks take the
// line-foot gait's, in walking patterns of their own: the envelope's settle keeps them
// more than lead_in + settle apart.
TEST(ShowCompilerTest, LineSolesDanceAndWalkInPatternsOfTheirOwn) {
  const std::string text = R"(tempo: 120
offset: 1
troupe: {robots: 1, start: here}
formations:
  here: {shape: line, spacing: 1}
  there: {shape: line, spacing: 1, centre: [2, 0]}
timeline:
  - section: dance
    at: 2:1
    beats: 8
    cues:
      - move: cross_step
  - section: go
    at: 4:1
    beats: 20
    cues:
      - formation: there
)";
  const LoadedShow loaded = CheckShowText(text, "", DefaultRobotPath());
  ASSERT_TRUE(loaded.ok()) << loaded.diagnostics.Format("test");
  const CompiledShow show = CompileSchedule(loaded.schedule);
  const auto& ref = dynamic_cast<const ShowReference&>(*show.references[0]);
  EXPECT_EQ(ref.pattern_count(), 2);
  const FootstepPlan& plan = ref.plan();
  ASSERT_GE(plan.steps.size(), 10u);
  // Cross steps: a short swing, the CoM standing tall; the walk: the line-foot gait's.
  const Footstep& cross = plan.steps[1];
  EXPECT_NEAR(cross.touchdown_time - cross.liftoff_time, kDanceSwing, 1e-12);
  EXPECT_NEAR(At(show, 0, cross.touchdown_time).com.z(), GaitParams().com_height, 0.03);
  const Footstep& walk = plan.steps[plan.steps.size() - 3];
  EXPECT_NEAR(walk.touchdown_time - walk.liftoff_time, 0.4, 1e-12);
  EXPECT_NEAR(At(show, 0, walk.touchdown_time).com.z(), GaitParams().com_height - LineFootGait().crouch,
              1e-9);
}

// On box soles the same walk takes the box-foot gait's quick short steps (and needs far
// more beats than the show gives).
TEST(ShowCompilerTest, BoxSolesWalkTheBoxFootGait) {
  const std::string slow = std::regex_replace(std::string(kWalkForward), std::regex("x: 2 m"),
                                              "x: 0.5 m");
  const LoadedShow loaded = CheckShowText(slow, "", GaitParamsForSoles(false));
  ASSERT_TRUE(loaded.ok()) << loaded.diagnostics.Format("test");
  const CompiledShow show = CompileSchedule(loaded.schedule);
  const FootstepPlan& plan = dynamic_cast<const ShowReference&>(*show.references[0]).plan();
  ASSERT_GE(plan.steps.size(), 10u);
  for (size_t i = 1; i < plan.steps.size(); ++i) {
    EXPECT_NEAR(plan.steps[i].touchdown_time - plan.steps[i - 1].touchdown_time, 0.2, 1e-12);
    EXPECT_LE(plan.steps[i].pose.x - plan.steps[i - 1].pose.x, 0.05 + 1e-9);
  }
  const Footstep& middle = plan.steps[plan.steps.size() / 2];
  EXPECT_NEAR(At(show, 0, middle.touchdown_time).com.z(), GaitParams().com_height, 1e-9);
  EXPECT_FALSE(CheckShowText(kWalkForward, "", GaitParamsForSoles(false)).ok());
}

}  // namespace
}  // namespace yangbot
