#include "controllers/line_foot_gait.h"

#include <algorithm>

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

FootstepPlannerParams LineFootTurnInPlaceParams(const LineFootGait& gait) {
  FootstepPlannerParams params = LineFootPlannerParams(gait);
  params.nominal_width = std::max(gait.turn_in_place_width, gait.limits.min_separation);
  params.limits.max_turn = std::min(params.limits.max_turn, gait.max_turn_in_place);
  params.limits.max_turn_in = std::min(params.limits.max_turn_in, gait.max_turn_in_place);
  return params;
}

double LineSoleOutwardCop(const SoleSupport& sole) {
  if (!sole.line || sole.x_max <= sole.x_min) return 0;
  const double toe_half_width = std::max(-sole.y_min, sole.y_max);
  return toe_half_width * -sole.x_min / (sole.x_max - sole.x_min);
}

double LineFootSupportOutward(const LineFootGait& gait, const SoleSupport& sole) {
  return gait.support_outward >= 0 ? gait.support_outward : gait.support_outward_share * LineSoleOutwardCop(sole);
}

WalkingPatternParams LineFootPatternParams(const LineFootGait& gait, double ground_height,
                                           const Eigen::Vector3d& com, const SoleSupport& sole) {
  WalkingPatternParams params;
  params.ground_height = ground_height;
  params.initial_com = com.head<2>();
  SetLineFootWalk(gait, sole, com.z() - ground_height, &params);
  return params;
}

void SetLineFootWalk(const LineFootGait& gait, const SoleSupport& sole, double standing_height,
                     WalkingPatternParams* params) {
  params->preview.com_height = standing_height - gait.crouch;
  params->swing_height = gait.swing_height;
  params->stop_shift_time = gait.stop_shift_time;
  params->support_outward = LineFootSupportOutward(gait, sole);
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
