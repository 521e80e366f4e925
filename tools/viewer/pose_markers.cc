#include "tools/viewer/pose_markers.h"

#include <cmath>

#include "choreography/supervisor.h"
#include "controllers/localisation.h"
#include "controllers/reference_follower.h"

namespace yangbot {

std::vector<EstimatedPose> EstimatedPoses(const Scene& scene, const RunState& state) {
  std::vector<EstimatedPose> poses;
  for (int r = 0; r < scene.robot_count() && r < static_cast<int>(state.controllers.size());
       ++r) {
    const auto& controller = state.controllers[static_cast<size_t>(r)];
    const ReferenceFollower* follower = controller ? controller->follower() : nullptr;
    if (follower == nullptr || follower->localiser() == nullptr) continue;
    poses.push_back({r, MeasuredPelvis(scene, *state.data, r), follower->localiser()->estimate()});
  }
  return poses;
}

int AddEstimatedPoseMarkers(const std::vector<EstimatedPose>& poses, mjvScene* view) {
  static constexpr float kGhost[4] = {0.2f, 0.8f, 1.0f, 0.6f};  // the estimate
  static constexpr float kError[4] = {1.0f, 0.9f, 0.2f, 0.9f};  // truth -> estimate
  int added = 0;
  auto add = [&](int type, const float rgba[4], const mjtNum from[3], const mjtNum to[3],
                 double width) {
    if (view->ngeom >= view->maxgeom) return;
    mjvGeom* g = view->geoms + view->ngeom;
    mjv_initGeom(g, mjGEOM_NONE, nullptr, nullptr, nullptr, rgba);
    mjv_makeConnector(g, type, width, from[0], from[1], from[2], to[0], to[1], to[2]);
    g->category = mjCAT_DECOR;
    g->segid = view->ngeom;
    ++view->ngeom;
    ++added;
  };
  for (const EstimatedPose& p : poses) {
    const mjtNum tail[3] = {p.estimate.x, p.estimate.y, kEstimateHeight};
    const mjtNum head[3] = {p.estimate.x + kEstimateArrowLength * std::cos(p.estimate.yaw),
                            p.estimate.y + kEstimateArrowLength * std::sin(p.estimate.yaw),
                            kEstimateHeight};
    add(mjGEOM_ARROW, kGhost, tail, head, 0.03);
    const mjtNum truth[3] = {p.truth.x, p.truth.y, kEstimateHeight};
    add(mjGEOM_LINE, kError, truth, tail, 3);
  }
  return added;
}

}  // namespace yangbot
