// hanky_spin (`hanky: spin`): spin the handkerchief where the hand is, phase locked to
// the beat clock: phase = 2 pi rate u + phase0 with u the beats since the cue started,
// so every robot with the same cue spins in phase (in a canon, each from its own start).
#include <cmath>

#include "choreography/moves/builtin_moves.h"

namespace yangbot {
namespace {

enum { kHand, kRate, kPhase };

class HankySpin : public Move {
 public:
  HankySpin() {
    spec_.name = "hanky_spin";
    spec_.doc = "spin the handkerchief, phase locked to the beat (hanky: spin)";
    spec_.limbs = kHanky;
    spec_.min_beats = 0;  // any length on the grid
    spec_.params = {
        WordParam("hand", {"both", "left", "right"}, "which handkerchief spins"),
        NumberParam("rate", Dimension::kSpinRate, 1, -4, 4,
                    "spin rate (turns/beat, or turns/s), + counter-clockwise from above"),
        NumberParam("phase", Dimension::kAngle, 0, -360, 360, "spin angle at the cue start"),
    };
  }
  const MoveSpec& spec() const override { return spec_; }
  void Pose(const ParamValues& p, double u, double, BodyPose* pose) const override {
    const HandSides sides = SidesOf(p.Word(kHand));
    const double phase = 2 * M_PI * p.Number(kRate) * u + p.Radians(kPhase);
    for (int side = 0; side < 2; ++side) {
      if (side == 0 ? sides.left : sides.right) pose->hanky[side] = {true, phase};
    }
  }

 private:
  MoveSpec spec_;
};

}  // namespace

void RegisterHankySpin(MoveRegistry* registry) { registry->Add(std::make_unique<HankySpin>()); }

}  // namespace yangbot
