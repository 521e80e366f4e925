#include "controllers/line_foot_gait.h"

namespace yangbot {

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
