// The scheduler's passes (schedule.h): the resolved show holds the file's choices as
// enums and its groups and formations; planning it again (PlanSchedule, as the supervisor
// re-plans) gives the plan BuildSchedule gave, and so does a re-plan around a lost robot.
#include <gtest/gtest.h>

#include <string>

#include "choreography/choreography.h"
#include "choreography/schedule.h"

namespace yangbot {
namespace {

// 4 robots on a line; a canon along it, then a change 0.6 m forward.
constexpr const char* kShow = R"(tempo: 120
offset: 2
troupe:
  robots: 4
  start: line
  groups:
    outer: [1, 4]
formations:
  line: {shape: line, spacing: 1.5}
  forward:
    slots:
      - [0.6, 2.25]
      - [0.6, 0.75]
      - [0.6, -0.75]
      - [0.6, -2.25]
timeline:
  - section: s
    at: 1:1
    beats: 24
    cues:
      - move: waist_twist
        beats: 4
        canon: 1
        order: left_to_right
      - formation: forward
        at: 8
        beats: 8
        assign: nearest
)";

TEST(SchedulerPassesTest, TheResolvedShowHoldsTheFilesChoicesAsEnums) {
  const LoadedShow loaded = CheckShowText(kShow, "");
  ASSERT_TRUE(loaded.ok()) << loaded.diagnostics.Format("show");
  const ResolvedShow& show = loaded.resolved;
  EXPECT_EQ(show.robots, 4);
  ASSERT_EQ(show.starts.size(), 4u);
  EXPECT_EQ(show.beats_per_bar, 4);
  EXPECT_EQ(show.end, Beats(24));
  EXPECT_EQ(show.formations.size(), 2u);
  EXPECT_EQ(show.formations.at("forward").slots.size(), 4u);
  EXPECT_EQ(show.groups.at("outer"), (std::vector<int>{0, 3}));
  ASSERT_EQ(show.cues.size(), 2u);
  EXPECT_EQ(show.cues[0].order, CanonOrder::kLeftToRight);
  EXPECT_EQ(show.cues[0].delay, Beats(1));
  EXPECT_FALSE(show.cues[0].is_formation_change());
  EXPECT_TRUE(show.cues[1].is_formation_change());
  EXPECT_EQ(show.cues[1].assign, SlotAssign::kNearest);
  EXPECT_EQ(show.cues[1].start, Beats(8));
  EXPECT_EQ(show.cues[1].robots, (std::vector<int>{0, 1, 2, 3}));
}

// The footsteps of every robot, as text (exact beats and poses).
std::string Steps(const Schedule& schedule) {
  std::string text;
  for (const RobotSchedule& robot : schedule.robots) {
    for (const ScheduledStep& s : robot.steps) {
      text += s.step.land.ToString() + " " + std::to_string(s.step.pose.x) + " " +
              std::to_string(s.step.pose.y) + " " + std::to_string(s.step.pose.yaw) + ";";
    }
    text += "\n";
  }
  return text;
}

TEST(SchedulerPassesTest, PlanningTheResolvedShowAgainGivesTheSamePlan) {
  const LoadedShow loaded = CheckShowText(kShow, "");
  ASSERT_TRUE(loaded.ok()) << loaded.diagnostics.Format("show");
  Diagnostics diagnostics;
  const Schedule again =
      PlanSchedule(loaded.resolved, loaded.schedule.gait, ReflowRequest{}, &diagnostics);
  EXPECT_FALSE(diagnostics.has_errors()) << diagnostics.Format("show");
  EXPECT_EQ(Steps(again), Steps(loaded.schedule));
  EXPECT_FALSE(Steps(again).empty());
  EXPECT_EQ(again.transitions.size(), loaded.schedule.transitions.size());
  EXPECT_EQ(again.min_separation, loaded.schedule.min_separation);

  // A re-plan around a lost robot: the same from the resolved show as from the file.
  ScheduleOptions options;
  options.gait = loaded.schedule.gait;  // the built-in robot's (line soles)
  options.reflow.lost = {{1, Pose2{0, 0.75, 0}, Beats(8)}};
  Diagnostics from_file;
  const Schedule replanned = BuildSchedule(loaded.show, options, &from_file);
  Diagnostics from_resolved;
  const Schedule resolved_replan =
      PlanSchedule(loaded.resolved, loaded.schedule.gait, options.reflow, &from_resolved);
  EXPECT_EQ(from_file.Format("show"), from_resolved.Format("show"));
  EXPECT_EQ(Steps(replanned), Steps(resolved_replan));
  ASSERT_EQ(resolved_replan.transitions.size(), 1u);
  EXPECT_TRUE(resolved_replan.transitions[0].reflowed);
  EXPECT_EQ(resolved_replan.transitions[0].walks.size(), 3u);  // robot 2 left out
}

}  // namespace
}  // namespace yangbot
