// The viewer's ghosts of the robots' own pose estimates (lidar localisation).
#if YANGBOT_HAVE_VIEWER

#include "tools/viewer/pose_markers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <vector>

#include "sim/landmarks.h"
#include "controllers/localisation.h"
#include "controllers/reference_follower.h"
#include "controllers/whole_body_controller.h"

namespace yangbot {
namespace {

// Two robots standing on a stage with landmarks; their localisers start 0.3 m and
// 0.4 rad off their placements (`lidar`) or they know their poses. Two physics steps.
struct LocalisedRun {
  std::unique_ptr<Scene> scene;
  std::unique_ptr<RunState> state;
};
LocalisedRun StartLocalised(bool lidar) {
  SceneOptions options;
  options.robots = 2;
  options.placements = {{0, 0.6, 0}, {0, -0.6, 0}};
  options.landmarks = DefaultLandmarks(-1, 1, -1, 1);
  LocalisedRun run;
  run.scene = Scene::Build(options);
  WholeBodyOptions wbc;
  if (lidar) {
    auto setup = std::make_shared<LocalisationSetup>();
    setup->landmarks = options.landmarks;
    setup->start_error = {0.3, 0, 0.4};
    wbc.localisation = setup;
  }
  run.state = StartRun(*run.scene, MakeWholeBodyControllerFactory(wbc), 1);
  for (int k = 0; k < 2; ++k) Step(*run.scene, run.state.get());
  return run;
}

TEST(PoseMarkersTest, PerfectLocalisationHasNothingToDraw) {
  const LocalisedRun run = StartLocalised(false);
  EXPECT_TRUE(EstimatedPoses(*run.scene, *run.state).empty());
}

// Each localising robot's estimate against its truth, and the ghost arrow drawn at the
// estimate along its heading with the line from the truth to it.
TEST(PoseMarkersTest, GhostsStandWhereTheRobotsBelieveTheyAre) {
  const LocalisedRun run = StartLocalised(true);
  const std::vector<EstimatedPose> poses = EstimatedPoses(*run.scene, *run.state);
  ASSERT_EQ(poses.size(), 2u);
  for (const EstimatedPose& p : poses) {
    const Localiser* localiser = run.state->controllers[p.robot]->follower()->localiser();
    ASSERT_NE(localiser, nullptr);
    EXPECT_EQ(p.estimate.x, localiser->estimate().x);
    EXPECT_EQ(p.estimate.y, localiser->estimate().y);
    EXPECT_EQ(p.estimate.yaw, localiser->estimate().yaw);
    const int pelvis = run.scene->robot(p.robot).body_begin;
    EXPECT_EQ(p.truth.x, run.state->data->xpos[3 * pelvis]);
    EXPECT_EQ(p.truth.y, run.state->data->xpos[3 * pelvis + 1]);
  }
  // Robot 0 started 0.3 m and 0.4 rad off: its estimate is not its truth.
  EXPECT_GT(std::hypot(poses[0].estimate.x - poses[0].truth.x,
                       poses[0].estimate.y - poses[0].truth.y) +
                std::abs(poses[0].estimate.yaw - poses[0].truth.yaw),
            0.05);

  mjvScene view;
  mjv_defaultScene(&view);
  std::vector<mjvGeom> geoms(8);
  view.geoms = geoms.data();
  view.maxgeom = static_cast<int>(geoms.size());
  view.ngeom = 0;
  ASSERT_EQ(AddEstimatedPoseMarkers(poses, &view), 4);
  ASSERT_EQ(view.ngeom, 4);
  for (size_t i = 0; i < poses.size(); ++i) {
    const mjvGeom& arrow = geoms[2 * i];
    const mjvGeom& line = geoms[2 * i + 1];
    EXPECT_EQ(arrow.type, mjGEOM_ARROW);
    EXPECT_NEAR(arrow.pos[0], poses[i].estimate.x, 1e-4);
    EXPECT_NEAR(arrow.pos[1], poses[i].estimate.y, 1e-4);
    // The arrow's axis (the third column of its frame) along the estimated heading.
    EXPECT_NEAR(std::atan2(arrow.mat[5], arrow.mat[2]), poses[i].estimate.yaw, 1e-4);
    EXPECT_NEAR(arrow.size[2], kEstimateArrowLength, 1e-4);
    EXPECT_EQ(line.type, mjGEOM_LINE);
    EXPECT_NEAR(line.pos[0], poses[i].truth.x, 1e-4);
    EXPECT_NEAR(line.pos[1], poses[i].truth.y, 1e-4);
  }
  // A full scene takes what fits.
  view.ngeom = 7;
  EXPECT_EQ(AddEstimatedPoseMarkers(poses, &view), 1);
}

}  // namespace
}  // namespace yangbot

#endif  // YANGBOT_HAVE_VIEWER
