// The stage editor's transition paths: sampled from the compiled references, with the
// places where two robots come closer than 0.6 m.
#if YANGBOT_HAVE_VIEWER

#include "tools/viewer/transition_paths.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "choreography/choreography.h"
#include "sim/assets.h"

namespace yangbot {
namespace {

// A robot whose centre of mass moves at constant velocity from (x0, y0) at t = 0.
class StraightLine : public ReferenceSource {
 public:
  StraightLine(double x0, double y0, double vx, double vy) : x0_(x0), y0_(y0), vx_(vx), vy_(vy) {}
  void Sample(double t, RobotReference* out) const override {
    out->time = t;
    out->com = Eigen::Vector3d(x0_ + vx_ * t, y0_ + vy_ * t, 0.9);
  }
  double end_time() const override { return 10; }

 private:
  double x0_, y0_, vx_, vy_;
};

TEST(TransitionPathsTest, MarksWhereTwoRobotsComeTooClose) {
  // Robots 0 and 1 walk head-on along y and meet at t = 1 s; robot 2 stands aside.
  const std::vector<std::shared_ptr<const ReferenceSource>> robots = {
      std::make_shared<StraightLine>(0, -1, 0, 1), std::make_shared<StraightLine>(0, 1, 0, -1),
      std::make_shared<StraightLine>(3, 0, 0, 0)};
  const TransitionPaths paths = SamplePaths(robots, 0, 2, 0.1, 0.5);
  ASSERT_EQ(paths.points.size(), 3u);
  ASSERT_EQ(paths.points[0].size(), 21u);  // 0, 0.1, ..., 2.0 s
  EXPECT_NEAR(paths.points[0][0][1], -1, 1e-12);
  EXPECT_NEAR(paths.points[0][20][1], 1, 1e-12);
  // Apart by |2 - 2t|: under 0.5 m for 0.75 < t < 1.25, i.e. samples 8 to 12.
  for (int k = 0; k <= 20; ++k) {
    const bool expected = k >= 8 && k <= 12;
    EXPECT_EQ(paths.close[0][k], expected) << k;
    EXPECT_EQ(paths.close[1][k], expected) << k;
    EXPECT_FALSE(paths.close[2][k]) << k;
  }
  ASSERT_EQ(paths.approaches.size(), 1u);
  EXPECT_EQ(paths.approaches[0].a, 0);
  EXPECT_EQ(paths.approaches[0].b, 1);
  EXPECT_EQ(paths.approaches[0].sample, 10);
  EXPECT_NEAR(paths.approaches[0].distance, 0, 1e-9);
  EXPECT_NEAR(paths.min_distance, 0, 1e-9);

  // Passing 0.8 m apart instead: nothing is marked.
  const std::vector<std::shared_ptr<const ReferenceSource>> apart = {
      std::make_shared<StraightLine>(0, -1, 0, 1), std::make_shared<StraightLine>(0.8, 1, 0, -1)};
  const TransitionPaths clear = SamplePaths(apart, 0, 2, 0.1, 0.6);
  EXPECT_TRUE(clear.approaches.empty());
  EXPECT_NEAR(clear.min_distance, 0.8, 1e-9);
}

TEST(TransitionPathsTest, FollowTheCompiledShowIntoTheNewFormation) {
  const LoadedShow loaded =
      CheckShowFile(AssetsDir() + "/choreographies/short.yaml");
  ASSERT_TRUE(loaded.ok());
  const CompiledShow compiled = CompileSchedule(loaded.schedule);
  const std::vector<TransitionPaths> all = TransitionPathsOf(loaded.schedule, compiled);
  ASSERT_EQ(all.size(), loaded.schedule.transitions.size());
  ASSERT_FALSE(all.empty());
  for (size_t t = 0; t < all.size(); ++t) {
    const TransitionPaths& paths = all[t];
    const ScheduledTransition& planned = loaded.schedule.transitions[t];
    EXPECT_EQ(paths.formation, planned.formation);
    ASSERT_EQ(paths.points.size(), loaded.schedule.robots.size());
    for (const PlannedWalk& walk : planned.walks) {
      // Each walker ends at its slot (centre of mass over the pelvis, within the sway).
      const std::array<double, 2>& end = paths.points[walk.robot].back();
      EXPECT_NEAR(end[0], walk.goal.x, 0.08) << paths.formation << " robot " << walk.robot;
      EXPECT_NEAR(end[1], walk.goal.y, 0.08) << paths.formation << " robot " << walk.robot;
    }
    // A valid show: the references keep the robots apart, as the scheduler planned (the
    // pelvis tracks), within the sway: the line-foot gait swings the CoM over each stance
    // foot, up to 0.15 m from the pelvis track.
    EXPECT_TRUE(paths.approaches.empty()) << paths.formation << ": " << paths.min_distance;
    EXPECT_NEAR(paths.min_distance, planned.min_distance, 0.15) << paths.formation;
  }
}

}  // namespace
}  // namespace yangbot

#endif  // YANGBOT_HAVE_VIEWER
