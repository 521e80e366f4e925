// arm_swing: the arms swing forward and back from the shoulders, opposite each other,
// forearms held forward with the handkerchiefs.
#include <cmath>

#include "choreography/moves/builtin_moves.h"

namespace yangbot {
namespace {

enum { kAmplitude, kPeriod, kElbow };

class ArmSwing : public Move {
 public:
  ArmSwing() {
    spec_.name = "arm_swing";
    spec_.doc = "swing the arms forward and back, opposite each other";
    spec_.limbs = kArms;
    spec_.params = {
        NumberParam("amplitude", Dimension::kAngle, 30, 0, 60, "swing each way from hanging"),
        NumberParam("period", Dimension::kBeats, 2, 1, 16, "beats for forward-and-back"),
        NumberParam("elbow", Dimension::kAngle, 20, -30, 80,
                    "forearm below horizontal (0: forearm points forward)"),
    };
  }
  const MoveSpec& spec() const override { return spec_; }
  void Pose(const ParamValues& p, double u, double length, BodyPose* pose) const override {
    const double e = Envelope(u, length);
    const double swing = p.Radians(kAmplitude) * std::sin(2 * M_PI * u / p.Number(kPeriod)) * e;
    const double out = 0.12 * e;  // rad, shoulder roll: keep the hands off the hips
    // Left arm forward (negative pitch) while the right goes back.
    SetArms({-swing, out, 0, p.Radians(kElbow) * e}, {true, false}, pose);
    SetArms({swing, out, 0, p.Radians(kElbow) * e}, {false, true}, pose);
  }

 private:
  MoveSpec spec_;
};

}  // namespace

void RegisterArmSwing(MoveRegistry* registry) { registry->Add(std::make_unique<ArmSwing>()); }

}  // namespace yangbot
