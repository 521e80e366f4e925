// hanky_spin (`hanky: spin`): spin the handkerchief where the hand is, phase locked to
// the beat clock: phase = 2 pi rate u + phase0 with u the beats since the cue started,
// so every robot with the same cue spins in phase (in a canon, each from its own start).
//
// hanky_throw (`hanky: throw`) spins the same way: it throws the handkerchief up on the
// cue's first beat and catches it on its last (the hand-end ejector, tether and latch of
// throw-mode stages, sim/handkerchief_throw.h), and the pin keeps spinning phase locked
// through the flight, so the caught handkerchief is seated on a pin turning as it does.
// The flight is the hand's firmware's, not a pose: ScheduledHankyThrows
// (choreography/hanky_throw_cue.h) reads it off the schedule.
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

 protected:
  MoveSpec spec_;
};

// hanky_throw: the spin's pose (same first parameters), the right hand by default, and the
// throw's apex.
class HankyThrowMove : public HankySpin {
 public:
  HankyThrowMove() {
    spec_.name = "hanky_throw";
    spec_.doc = "throw the handkerchief up on the first beat, catch it on the last (hanky: throw)";
    spec_.params[kHand] = WordParam("hand", {"right", "left", "both"}, "which handkerchief flies");
    spec_.params[kRate].doc = "spin rate (turns/beat, or turns/s), kept through the flight";
    spec_.params[kPhase].doc = "spin angle at the release";
    spec_.params.push_back(NumberParam("height", Dimension::kLength, 0, 0, 1.5,
                                       "apex above the hand (m; 0: as high as the cue's "
                                       "length lets it fly)"));
  }
};

}  // namespace

void RegisterHankySpin(MoveRegistry* registry) { registry->Add(std::make_unique<HankySpin>()); }

void RegisterHankyThrow(MoveRegistry* registry) {
  registry->Add(std::make_unique<HankyThrowMove>());
}

}  // namespace yangbot
