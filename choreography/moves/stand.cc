// stand: stand still, arms hanging, trunk upright. It holds the legs, waist and arms,
// so nothing else moves them while it lasts.
#include "choreography/moves/builtin_moves.h"

#include <cmath>

namespace yangbot {
namespace {

class Stand : public Move {
 public:
  Stand() {
    spec_.name = "stand";
    spec_.doc = "stand still in the neutral pose";
    spec_.limbs = kLegs | kWaist | kArms;
  }
  const MoveSpec& spec() const override { return spec_; }
  void Pose(const ParamValues&, double, double, BodyPose* pose) const override {
    pose->com_height_offset = 0;
    pose->torso_yaw = pose->trunk_roll = pose->trunk_pitch = 0;
    pose->arm_q.fill(0);
  }

 private:
  MoveSpec spec_;
};

}  // namespace

void RegisterStand(MoveRegistry* registry) { registry->Add(std::make_unique<Stand>()); }

HandSides SidesOf(const std::string& hand) {
  if (hand == "both") return {true, true};
  if (hand == "left") return {true, false};
  return {false, true};
}

double FlickPhase(double cycles) {
  const double k = std::floor(cycles);
  return M_PI * (k + SmoothStep((cycles - k) / 0.9));
}

void SetArms(const std::array<double, 4>& left_arm, HandSides sides, BodyPose* pose) {
  if (sides.left) {
    for (int i = 0; i < 4; ++i) pose->arm_q[i] = left_arm[i];
  }
  if (sides.right) {
    pose->arm_q[4] = left_arm[0];
    pose->arm_q[5] = -left_arm[1];
    pose->arm_q[6] = -left_arm[2];
    pose->arm_q[7] = left_arm[3];
  }
}

}  // namespace yangbot
