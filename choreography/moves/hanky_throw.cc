// hanky_throw (`hanky: throw`): throw the spinning handkerchief up on the cue's first beat
// and catch it on its last (the hand-end ejector, tether and latch of throw-mode stages,
// sim/handkerchief_throw.h). The pin keeps spinning phase locked to the beat as in
// `hanky: spin`, so the caught handkerchief is seated on a pin turning as it does; the
// flight itself (ScheduledHankyThrows, choreography/hanky_throw_cue.h) is the hand's
// firmware's, not a pose.
#include <cmath>

#include "choreography/moves/builtin_moves.h"

namespace yangbot {
namespace {

enum { kHand, kRate, kPhase, kHeight };

class HankyThrowMove : public Move {
 public:
  HankyThrowMove() {
    spec_.name = "hanky_throw";
    spec_.doc = "throw the handkerchief up on the first beat, catch it on the last (hanky: throw)";
    spec_.limbs = kHanky;
    spec_.min_beats = 0;  // any length on the grid; the flight's limits are checked
    spec_.params = {
        WordParam("hand", {"right", "left", "both"}, "which handkerchief flies"),
        NumberParam("rate", Dimension::kSpinRate, 1, -4, 4,
                    "spin rate (turns/beat, or turns/s), kept through the flight"),
        NumberParam("phase", Dimension::kAngle, 0, -360, 360, "spin angle at the release"),
        NumberParam("height", Dimension::kLength, 0, 0, 1.5,
                    "apex above the hand (m; 0: as high as the cue's length lets it fly)"),
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

void RegisterHankyThrow(MoveRegistry* registry) {
  registry->Add(std::make_unique<HankyThrowMove>());
}

}  // namespace yangbot
