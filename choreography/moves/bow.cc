// bow: the trunk bends forward over the first 40% of the cue, holds, and comes back up
// over the last 30%; the hands come together in front.
#include <cmath>

#include "choreography/moves/builtin_moves.h"

namespace yangbot {
namespace {

enum { kDepth };

class Bow : public Move {
 public:
  Bow() {
    spec_.name = "bow";
    spec_.doc = "bow forward and come back up over the cue";
    spec_.limbs = kWaist | kArms;
    spec_.min_beats = 2;
    spec_.params = {
        NumberParam("depth", Dimension::kAngle, 30, 0, 45, "forward bend of the trunk")};
  }
  const MoveSpec& spec() const override { return spec_; }
  void Pose(const ParamValues& p, double u, double length, BodyPose* pose) const override {
    const double b = SmoothStep(u / (0.4 * length)) * SmoothStep((length - u) / (0.3 * length));
    pose->torso_yaw = 0;
    pose->trunk_roll = 0;
    pose->trunk_pitch = p.Radians(kDepth) * b;
    pose->arm_q.fill(0);
    SetArms({-0.3 * b, 0, -0.4 * b, 0.5 * b}, {true, true}, pose);
  }

 private:
  MoveSpec spec_;
};

}  // namespace

void RegisterBow(MoveRegistry* registry) { registry->Add(std::make_unique<Bow>()); }

}  // namespace yangbot
