#include "controllers/line_foot_gait.h"

#include "sim/scene.h"

namespace yangbot {
namespace {

// The folder of the default robot file, with its slash.
std::string RobotsDir() {
  const std::string path = DefaultRobotPath();
  return path.substr(0, path.rfind('/') + 1);
}

}  // namespace

std::string LineFootRobotPath() { return DefaultRobotPath(); }

std::string StockH1RobotPath() { return RobotsDir() + "../h1_stock/h1_stock.xml"; }

FootstepPlannerParams LineFootPlannerParams(const LineFootGait& gait) {
  FootstepPlannerParams params;
  params.nominal_width = gait.nominal_width;
  params.limits = gait.limits;
  return params;
}

WalkingPatternParams LineFootPatternParams(const LineFootGait& gait, double ground_height,
                                           const Eigen::Vector3d& com) {
  WalkingPatternParams params;
  params.ground_height = ground_height;
  params.preview.com_height = com.z() - ground_height - gait.crouch;
  params.initial_com = com.head<2>();
  params.swing_height = gait.swing_height;
  return params;
}

WalkingPosture LineFootPosture(const WalkingPatternParams& pattern) {
  WalkingPosture posture;
  posture.com_height = pattern.preview.com_height;
  posture.lateral_com_scale = 1;
  posture.rock_offset = 0;
  posture.roll_per_lateral_offset = 0;
  posture.delay = 0;
  return posture;
}

}  // namespace yangbot
