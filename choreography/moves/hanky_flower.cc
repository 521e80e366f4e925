// hanky_flower (手绢花): the hand rises and the handkerchief spins on the fingertips in
// the plane the arm pose sets; the spinner's axis is the hand's z axis (the elbow link's):
//  - flat: out to the side and above the shoulder, spinning flat: shoulder roll r,
//    shoulder yaw 90 deg and elbow r make the forearm point straight out, z up;
//  - wheel: the arm raised sideways to the shoulder's height, the forearm forward: a
//    wheel in the vertical plane beside the body (shoulder roll 90 deg: z points across
//    the body);
//  - audience: the forearm raised forward-up, the handkerchief's face tilted 45 deg
//    towards the audience (shoulder pitch -45 deg: z tilted back from vertical by 45).
// The spin phase is locked to the beat clock: phase = 2 pi rate u + phase0, so every
// robot with the same cue spins in phase.
#include <cmath>
#include <string>

#include "choreography/moves/builtin_moves.h"

namespace yangbot {
namespace {

enum { kHand, kRate, kPhase, kLift, kPlane };

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
        NumberParam("lift", Dimension::kAngle, 130, 90, 145, "how high the arm rises (flat)"),
        WordParam("plane", {"flat", "wheel", "audience"},
                  "the spin plane: flat overhead, a wheel beside the body, or tilted to the "
                  "audience"),
    };
  }
  const MoveSpec& spec() const override { return spec_; }
  void Pose(const ParamValues& p, double u, double length, BodyPose* pose) const override {
    const double e = Envelope(u, length);
    const double lift = p.Radians(kLift) * e;
    const HandSides sides = SidesOf(p.Word(kHand));
    pose->arm_q.fill(0);
    const std::string& plane = p.Word(kPlane);
    if (plane == "wheel") {
      SetArms({0, 0.5 * M_PI * e, 0, 0}, sides, pose);
    } else if (plane == "audience") {
      SetArms({-0.25 * M_PI * e, 0, 0, 0}, sides, pose);
    } else {
      SetArms({0, lift, 0.5 * M_PI * e, lift}, sides, pose);
    }
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
