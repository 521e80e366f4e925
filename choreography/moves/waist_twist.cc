// waist_twist: the waist leads; the chest twists left and right about the waist while
// the hips keep facing forward.
#include <cmath>

#include "choreography/moves/builtin_moves.h"

namespace yangbot {
namespace {

enum { kAmplitude, kPeriod };

class WaistTwist : public Move {
 public:
  WaistTwist() {
    spec_.name = "waist_twist";
    spec_.doc = "twist the chest left and right about the waist";
    spec_.limbs = kWaist;
    spec_.params = {
        NumberParam("amplitude", Dimension::kAngle, 20, 0, 40, "twist to each side"),
        NumberParam("period", Dimension::kBeats, 2, 1, 16, "beats for left-and-right"),
    };
  }
  const MoveSpec& spec() const override { return spec_; }
  void Pose(const ParamValues& p, double u, double length, BodyPose* pose) const override {
    pose->torso_yaw =
        p.Radians(kAmplitude) * std::sin(2 * M_PI * u / p.Number(kPeriod)) * Envelope(u, length);
  }

 private:
  MoveSpec spec_;
};

}  // namespace

void RegisterWaistTwist(MoveRegistry* registry) { registry->Add(std::make_unique<WaistTwist>()); }

}  // namespace yangbot
