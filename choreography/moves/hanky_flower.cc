// hanky_flower (手绢花): the hand rises out to the side and above the shoulder and the
// handkerchief spins flat on the fingertips. The arm pose keeps the spin axis vertical:
// shoulder roll r, shoulder yaw 90 deg and elbow r make the forearm point straight out
// with the hand's z axis up. The spin phase is locked to the beat clock:
// phase = 2 pi rate u + phase0, so every robot with the same cue spins in phase.
#include <cmath>

#include "choreography/moves/builtin_moves.h"

namespace yangbot {
namespace {

enum { kHand, kRate, kPhase, kLift };

class HankyFlower : public Move {
 public:
  HankyFlower() {
    spec_.name = "hanky_flower";
    spec_.doc = "手绢花: raise the hand and spin the handkerchief flat overhead";
    spec_.limbs = kArms | kHanky;
    spec_.params = {
        WordParam("hand", {"right", "left", "both"}, "which hand spins"),
        NumberParam("rate", Dimension::kSpinRate, 1, -4, 4,
                    "spin rate (turns/beat, or turns/s), + counter-clockwise from above"),
        NumberParam("phase", Dimension::kAngle, 0, -360, 360, "spin angle at the cue start"),
        NumberParam("lift", Dimension::kAngle, 130, 90, 145, "how high the arm rises (roll)"),
    };
  }
  const MoveSpec& spec() const override { return spec_; }
  void Pose(const ParamValues& p, double u, double length, BodyPose* pose) const override {
    const double e = Envelope(u, length);
    const double lift = p.Radians(kLift) * e;
    const HandSides sides = SidesOf(p.Word(kHand));
    pose->arm_q.fill(0);
    SetArms({0, lift, 0.5 * M_PI * e, lift}, sides, pose);
    const double phase = 2 * M_PI * p.Number(kRate) * u + p.Radians(kPhase);
    for (int side = 0; side < 2; ++side) {
      if (side == 0 ? sides.left : sides.right) pose->hanky[side] = {true, phase};
    }
  }

 private:
  MoveSpec spec_;
};

}  // namespace

void RegisterHankyFlower(MoveRegistry* registry) { registry->Add(std::make_unique<HankyFlower>()); }

}  // namespace yangbot
