// The viewer's ghosts of the robots' own pose estimates (lidar localisation,
// controllers/localisation.h): each robot that localises itself gets an arrow on the floor
// where it believes its pelvis is, pointing where it believes it faces, and a line from
// where its pelvis truly is to there, so estimated and true poses are seen together. With
// perfect localisation there is nothing to draw. GL-free: the data, and the geoms appended
// to an mjvScene after mjv_updateScene.
#ifndef YANGBOT_TOOLS_VIEWER_POSE_MARKERS_H_
#define YANGBOT_TOOLS_VIEWER_POSE_MARKERS_H_

#include <mujoco/mujoco.h>

#include <vector>

#include "controllers/footstep_planner.h"
#include "sim/runner.h"
#include "sim/scene.h"

namespace yangbot {

/// One robot's pelvis as it believes it is against where it is (in the plane).
struct EstimatedPose {
  int robot = 0;   ///< robot index
  Pose2 truth;     ///< m, m, rad: its pelvis in the simulation
  Pose2 estimate;  ///< m, m, rad: its localiser's estimate
};

/// Every robot of `state` whose controller localises itself (a lidar localiser); empty
/// with perfect localisation.
std::vector<EstimatedPose> EstimatedPoses(const Scene& scene, const RunState& state);

/// m, length of the ghost arrow.
constexpr double kEstimateArrowLength = 0.45;
/// m, height of the ghosts above the floor (clear of the stage's silk).
constexpr double kEstimateHeight = 0.03;

/// Appends the ghosts of `poses` to `view` (as room allows): per pose a translucent arrow
/// at the estimate along its heading, and a line from the truth to the estimate. Returns
/// the geoms added (two per pose when there is room).
int AddEstimatedPoseMarkers(const std::vector<EstimatedPose>& poses, mjvScene* view);

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_VIEWER_POSE_MARKERS_H_
