#include "choreography/demo_moves.h"

#include <gtest/gtest.h>

#include <set>

#include "choreography/choreography.h"
#include "sim/error.h"

namespace yangbot {
namespace {

// On the built-in robot (line soles) and on box soles: each gait's walks fit the loop's
// sections (line soles stand square 9 beats between a walk and dance steps).
TEST(DemoMovesTest, ValidatesForEveryTroupeSize) {
  for (int robots : {1, 2, 5, 16, 32}) {
    const LoadedShow loaded = CheckShowText(DemoMovesShow(robots, 60), ".");
    ASSERT_TRUE(loaded.schedule.gait.line_soles);
    EXPECT_TRUE(loaded.ok()) << robots << " robots:\n" << loaded.diagnostics.Format("demo");
    EXPECT_EQ(loaded.diagnostics.Format("demo"), "") << robots;  // no warnings either
    EXPECT_EQ(static_cast<int>(loaded.schedule.robots.size()), robots);
    const LoadedShow box = CheckShowText(DemoMovesShow(robots, 60), ".", GaitParamsForSoles(false));
    EXPECT_EQ(box.diagnostics.Format("demo"), "") << robots << " robots on box soles";
  }
}

TEST(DemoMovesTest, LastsAsLongAsAskedInWholeSections) {
  for (double seconds : {20.0, 60.0, 61.0, 300.0}) {
    const LoadedShow loaded = CheckShowText(DemoMovesShow(16, seconds), ".");
    ASSERT_TRUE(loaded.ok()) << loaded.diagnostics.Format("demo");
    EXPECT_GE(loaded.schedule.end_time(), seconds) << seconds;
    EXPECT_LT(loaded.schedule.end_time(), std::max(seconds, 2.0 + 72 * 0.5) + 8.0) << seconds;
  }
}

TEST(DemoMovesTest, UsesEveryPrimitive) {
  const LoadedShow loaded = CheckShowText(DemoMovesShow(4, 60), ".");
  ASSERT_TRUE(loaded.ok());
  std::set<std::string> used;
  for (const ScheduledCue& cue : loaded.schedule.robots[0].cues) used.insert(cue.move->spec().name);
  for (const char* name : {"waist_twist", "arm_swing", "hanky_spin", "three_forward_one_back",
                           "figure_eight", "cross_step", "hanky_flower", "side_sway",
                           "knee_bounce", "walk_to"}) {
    EXPECT_TRUE(used.count(name)) << name;
  }
  // It walks out and back: some steps, and the troupe ends on its start grid.
  EXPECT_FALSE(loaded.schedule.robots[0].steps.empty());
}

TEST(DemoMovesTest, RejectsBadArguments) {
  EXPECT_THROW(DemoMovesShow(0, 60), Error);
  EXPECT_THROW(DemoMovesShow(33, 60), Error);
  EXPECT_THROW(DemoMovesShow(16, 0), Error);
}

}  // namespace
}  // namespace yangbot
