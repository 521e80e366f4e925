// The scheduler: groups, formations, start placements, canon delays, mirror sides,
// limb overlaps and slot assignment.
#include "choreography/schedule.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "choreography/choreography.h"
#include "choreography/formation.h"
#include "choreography/music.h"

namespace yangbot {
namespace {

LoadedShow Check(const std::string& text) {
  LoadedShow loaded = CheckShowText(text, "");
  EXPECT_TRUE(loaded.ok()) << loaded.diagnostics.Format("test") << text;
  return loaded;
}

// 8 robots in a 2 x 4 grid (robots 1-4 in the front row, from the dancers' left).
constexpr const char* kHeader = R"(tempo: 120
offset: 2
troupe:
  robots: 8
  start: grid
  groups:
    pair: [2, 7]
    second_column: {columns: [2]}
    back_row: {rows: [2]}
formations:
  grid: {shape: grid, rows: 2, spacing: 1.5}
timeline:
)";

const ScheduledCue* FindCue(const RobotSchedule& robot, const std::string& move) {
  for (const ScheduledCue& c : robot.cues) {
    if (c.move->spec().name == move) return &c;
  }
  return nullptr;
}

std::vector<int> Robots(const Schedule& schedule, const std::string& move) {
  std::vector<int> out;
  for (size_t r = 0; r < schedule.robots.size(); ++r) {
    if (FindCue(schedule.robots[r], move) != nullptr) out.push_back(static_cast<int>(r) + 1);
  }
  return out;
}

TEST(ScheduleTest, StartPlacementsComeFromTheStartFormation) {
  const LoadedShow loaded = Check(std::string(kHeader) + "  []\n");
  const std::vector<Placement> p = loaded.schedule.StartPlacements();
  ASSERT_EQ(p.size(), 8u);
  // Front row first (largest x), from the dancers' left (largest y).
  EXPECT_DOUBLE_EQ(p[0].x, 0.75);
  EXPECT_DOUBLE_EQ(p[0].y, 2.25);
  EXPECT_DOUBLE_EQ(p[3].y, -2.25);
  EXPECT_DOUBLE_EQ(p[4].x, -0.75);
  for (const Placement& q : p) EXPECT_DOUBLE_EQ(q.yaw, 0);
}

TEST(ScheduleTest, GroupsByListRuleRowAndColumn) {
  const std::string cue = "  - section: s\n    at: 1:1\n    beats: 4\n    cues:\n";
  auto members = [&](const std::string& who) {
    const LoadedShow loaded =
        Check(std::string(kHeader) + cue + "      - move: waist_twist\n        who: " + who + "\n");
    return Robots(loaded.schedule, "waist_twist");
  };
  EXPECT_EQ(members("all"), (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8}));
  EXPECT_EQ(members("odd"), (std::vector<int>{1, 3, 5, 7}));
  EXPECT_EQ(members("even"), (std::vector<int>{2, 4, 6, 8}));
  EXPECT_EQ(members("front"), (std::vector<int>{1, 2, 3, 4}));
  EXPECT_EQ(members("back"), (std::vector<int>{5, 6, 7, 8}));
  EXPECT_EQ(members("left_half"), (std::vector<int>{1, 2, 5, 6}));
  EXPECT_EQ(members("right_half"), (std::vector<int>{3, 4, 7, 8}));
  EXPECT_EQ(members("pair"), (std::vector<int>{2, 7}));
  EXPECT_EQ(members("second_column"), (std::vector<int>{2, 6}));
  EXPECT_EQ(members("back_row"), (std::vector<int>{5, 6, 7, 8}));
  EXPECT_EQ(members("[pair, 1, 2]"), (std::vector<int>{1, 2, 7}));
  EXPECT_EQ(members("5"), (std::vector<int>{5}));
}

TEST(ScheduleTest, CanonDelaysEachRobotAlongTheOrder) {
  const LoadedShow loaded = Check(std::string(kHeader) + R"(  - section: wave
    at: 3:2
    beats: 16
    cues:
      - hanky: spin
        who: front
        at: 1
        beats: 4
        canon: 1/2
        order: right_to_left
      - move: waist_twist
        who: back
        beats: 4
        canon: 2
)");
  const Schedule& s = loaded.schedule;
  // The section starts on beat (3 - 1) * 4 + 1 = 9; the spin at 9 + 1 = 10.
  // Right to left: robot 4 first, then 3, 2, 1, each half a beat later.
  for (int robot : {1, 2, 3, 4}) {
    const ScheduledCue* c = FindCue(s.robots[robot - 1], "hanky_spin");
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->start, Beats(10) + Beats::Fraction(1, 2) * (4 - robot)) << robot;
    EXPECT_EQ(c->length, Beats(4));
    EXPECT_NEAR(s.clock.Time(c->start), 2 + (10 + 0.5 * (4 - robot)) * 0.5, 1e-12);
  }
  // Default order: by robot number.
  for (int robot : {5, 6, 7, 8}) {
    EXPECT_EQ(FindCue(s.robots[robot - 1], "waist_twist")->start, Beats(9 + 2 * (robot - 5)));
  }
}

TEST(ScheduleTest, MirrorFlipsTheRightHalfOfTheGroup) {
  const LoadedShow loaded = Check(std::string(kHeader) + R"(  - section: sway
    at: 1:1
    beats: 8
    cues:
      - move: side_sway
        mirror: true
      - move: knee_bounce
        who: [1, 2]
        mirror: true
)");
  for (int r = 0; r < 8; ++r) {
    const bool right = r % 4 >= 2;  // columns 3 and 4 are on the dancers' right
    EXPECT_EQ(FindCue(loaded.schedule.robots[r], "side_sway")->mirror, right) << r + 1;
  }
  // Within the pair 1-2, robot 2 is the right one.
  EXPECT_FALSE(FindCue(loaded.schedule.robots[0], "knee_bounce")->mirror);
  EXPECT_TRUE(FindCue(loaded.schedule.robots[1], "knee_bounce")->mirror);
}

TEST(ScheduleTest, LegsAndArmsMayOverlapButNotTheSameLimb) {
  const std::string base = std::string(kHeader) +
                           "  - section: s\n    at: 1:1\n    beats: 8\n    cues:\n"
                           "      - move: cross_step\n      - move: arm_swing\n"
                           "      - hanky: spin\n      - move: waist_twist\n";
  Check(base);
  LoadedShow bad = CheckShowText(
      base + "      - move: flick\n        who: 3\n        at: 2\n        beats: 2\n", "");
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.diagnostics.Format("f"),
            "f:21:9: error: robot 3: flick overlaps arm_swing (line 18) on the arms\n"
            "f:21:9: error: robot 3: flick overlaps hanky_spin (line 19) on the hanky\n");
  // Back to back is fine: a cue ends where the next starts.
  Check(std::string(kHeader) +
        "  - section: s\n    at: 1:1\n    beats: 8\n    cues:\n"
        "      - move: waist_twist\n        beats: 4\n      - move: side_sway\n        at: 4\n");
}

TEST(ScheduleTest, NearestAssignmentSharesOutSlotsWithShortWalks) {
  // Robots in a line swap ends: assigned by number they would cross the stage.
  const std::string text = R"(tempo: 120
offset: 2
troupe: {robots: 4, start: line}
formations:
  line: {shape: line, spacing: 1.5}
  flipped:
    slots:
      - [0, -2.25]
      - [0, -0.75]
      - [0, 0.75]
      - [0.5, 2.25]
timeline:
  - section: s
    at: 1:1
    beats: 8
    cues:
      - formation: flipped
        assign: nearest
)";
  const LoadedShow loaded = Check(text);
  const Schedule& s = loaded.schedule;
  // Robot 1 (y = 2.25) takes slot 4, robot 4 slot 1, and so on.
  const ScheduledCue* c1 = FindCue(s.robots[0], "walk_to");
  ASSERT_NE(c1, nullptr);
  EXPECT_DOUBLE_EQ(c1->params.Number(0), 0.5);
  EXPECT_DOUBLE_EQ(c1->params.Number(1), 2.25);
  const ScheduledCue* c4 = FindCue(s.robots[3], "walk_to");
  EXPECT_DOUBLE_EQ(c4->params.Number(1), -2.25);
  // Robot 1's walk: one step every walk.step_beats of the robot's gait.
  ASSERT_GE(s.robots[0].steps.size(), 2u);
  for (size_t i = 1; i < s.robots[0].steps.size(); ++i) {
    EXPECT_EQ(s.robots[0].steps[i].step.land - s.robots[0].steps[i - 1].step.land,
              s.gait.walk.step_beats);
  }
  // Without `assign` robot 1 walks 4.5 m: too far for 8 beats.
  std::string by_number = text;
  by_number.replace(by_number.find("        assign: nearest\n"), 24, "");
  const LoadedShow far = CheckShowText(by_number, "");
  EXPECT_FALSE(far.ok());
  EXPECT_NE(far.diagnostics.Format("f").find("must walk 4.50 m to formation 'flipped' in 8 beats"),
            std::string::npos)
      << far.diagnostics.Format("f");
}

TEST(FormationTest, ShapesGiveOneSlotPerRobotApartAndCentred) {
  for (const FormationShape* shape : FormationShapes()) {
    for (int robots : {1, 2, 5, 16, 32}) {
      ParamValues values;
      for (const ParamSpec& p : shape->params()) {
        values.numbers.push_back(p.default_value);
        values.words.push_back("");
      }
      if (shape->name() == "circle") values.numbers[0] = 8;  // room for 32
      if (shape->name() == "arc") values.numbers[0] = 12;
      const std::vector<Placement> slots = shape->Generate(values, robots);
      ASSERT_EQ(static_cast<int>(slots.size()), robots) << shape->name();
      int a = 0, b = 0;
      EXPECT_GE(ClosestSlots(slots, &a, &b), kMinRobotDistance - 1e-9) << shape->name() << robots;
    }
  }
  // A 4 x 4 grid, 1.5 m apart, centred.
  ParamValues grid;
  grid.numbers = {4, 1.5, 0};
  grid.words = {"", "", ""};
  const auto slots = FindFormationShape("grid")->Generate(grid, 16);
  EXPECT_DOUBLE_EQ(slots[0].x, 2.25);
  EXPECT_DOUBLE_EQ(slots[0].y, 2.25);
  EXPECT_DOUBLE_EQ(slots[15].x, -2.25);
  EXPECT_DOUBLE_EQ(slots[15].y, -2.25);
}

TEST(FormationTest, FacingInAndOutPointAtTheCentre) {
  std::vector<Placement> slots = {{2, 0, 0}, {0, 2, 0}};
  ApplyFacing("in", 0, 0, 0, &slots);
  EXPECT_NEAR(std::abs(slots[0].yaw), M_PI, 1e-12);
  EXPECT_NEAR(slots[1].yaw, -M_PI / 2, 1e-12);
  ApplyFacing("out", 0, 0, 0, &slots);
  EXPECT_NEAR(slots[0].yaw, 0, 1e-12);
  EXPECT_NEAR(slots[1].yaw, M_PI / 2, 1e-12);
}

TEST(FormationTest, ClosestApproachOfSteadyWalks) {
  // Head on along x: they meet in the middle.
  EXPECT_NEAR(ClosestApproach({0, 0, 0}, {2, 0, 0}, {2, 0, 0}, {0, 0, 0}), 0, 1e-12);
  // Side by side in step: the gap stays.
  EXPECT_NEAR(ClosestApproach({0, 0, 0}, {2, 0, 0}, {0, 1, 0}, {2, 1, 0}), 1, 1e-12);
  // Crossing paths at different times can pass clear of each other.
  EXPECT_NEAR(ClosestApproach({0, 0, 0}, {0, 0, 0}, {3, 0, 0}, {1, 0, 0}), 1, 1e-12);
}

TEST(ScheduleTest, SwapByNumberThatCannotKeepApartIsAnError) {
  // Two robots 1 m apart swap places by number: side by side they cannot pass in 16 beats
  // (the planner reports the robots and the beats they would need).
  const std::string text = R"(tempo: 120
offset: 1
troupe: {robots: 2, start: pair}
formations:
  pair:
    slots: [[0, 0.5], [0, -0.5]]
  swapped:
    slots: [[0, -0.5], [0, 0.5]]
timeline:
  - section: swap
    at: 1:1
    beats: 16
    cues:
      - formation: swapped
)";
  GaitParams measured;  // the walking the controller can do
  measured.walk = MeasuredGaitEnvelope();
  const LoadedShow loaded = CheckShowText(text, "", measured);
  EXPECT_FALSE(loaded.ok());
  EXPECT_NE(loaded.diagnostics.Format("f").find("f:14:9: error: robots 1, 2: must walk 1.00 m"),
            std::string::npos)
      << loaded.diagnostics.Format("f");
  // With assign: nearest nobody needs to move, so nobody collides.
  std::string nearest = text + "        assign: nearest\n";
  EXPECT_EQ(CheckShowText(nearest, "", measured).diagnostics.Format("f"), "");
}

TEST(WavDurationTest, ReadsTheDataChunk) {
  const std::string path = testing::TempDir() + "/tone.wav";
  {
    std::ofstream out(path, std::ios::binary);
    auto u32 = [&](uint32_t v) {
      for (int i = 0; i < 4; ++i) out.put(static_cast<char>(v >> (8 * i)));
    };
    auto u16 = [&](uint16_t v) {
      out.put(static_cast<char>(v));
      out.put(static_cast<char>(v >> 8));
    };
    const uint32_t rate = 8000, bytes = 8000 * 2 * 3;  // 3 s of 16-bit mono
    out.write("RIFF", 4);
    u32(36 + bytes);
    out.write("WAVEfmt ", 8);
    u32(16);
    u16(1);
    u16(1);
    u32(rate);
    u32(rate * 2);
    u16(2);
    u16(16);
    out.write("data", 4);
    u32(bytes);
    out << std::string(bytes, '\0');
  }
  ASSERT_TRUE(WavDuration(path).has_value());
  EXPECT_DOUBLE_EQ(*WavDuration(path), 3.0);
  EXPECT_FALSE(WavDuration(testing::TempDir() + "/none.wav").has_value());
  // A section past the end of the music is an error.
  const std::string text =
      "tempo: 120\nmusic: tone.wav\ntroupe: {robots: 1}\nformations:\n"
      "  one: {shape: line}\ntimeline:\n  - section: long\n    at: 1:1\n"
      "    beats: 8\n    cues: []\n";
  const LoadedShow loaded = CheckShowText(text, testing::TempDir());
  EXPECT_EQ(loaded.diagnostics.Format("f"),
            "f:8:9: error: section 'long' ends at 4.00 s, after the end of the music (3.00 s)\n");
}

}  // namespace
}  // namespace yangbot

namespace yangbot {
namespace {

// A formation walk between dance steps keeps a beat clear at each end
// (GaitEnvelope::settle_beats): its first step lands a beat after the cue starts, its
// last a beat before the cross step that follows (straight hand-overs fell in physics).
TEST(ScheduleTest, FormationWalksSettleABeatAfterAndBeforeDanceSteps) {
  // The box-foot gait (1 beat of settle; line soles stand square 9 beats).
  const LoadedShow loaded = CheckShowText(R"(tempo: 120
offset: 2
troupe:
  robots: 1
  start: a
formations:
  a: {slots: [[0, 0]]}
  b: {slots: [[0.3, 0]]}
timeline:
  - section: steps
    at: 1:1
    beats: 8
    cues:
      - move: cross_step
  - section: walk
    at: 3:1
    beats: 12
    cues:
      - formation: b
  - section: more steps
    at: 6:1
    beats: 8
    cues:
      - move: cross_step
)",
                                           "", GaitParamsForSoles(false));
  ASSERT_TRUE(loaded.ok()) << loaded.diagnostics.Format("test");
  const ScheduledCue* walk = FindCue(loaded.schedule.robots[0], "walk_to");
  ASSERT_NE(walk, nullptr);
  ASSERT_FALSE(walk->planned_steps.empty());
  EXPECT_GE(walk->planned_steps.front().land, Beats(1));
  EXPECT_LE(walk->planned_steps.back().land, walk->length - Beats(1));
}

}  // namespace
}  // namespace yangbot
