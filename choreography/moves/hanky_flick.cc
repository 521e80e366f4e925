// hanky_flick (`hanky: flick`): the handkerchief whips half a turn on every beat (or
// every `every` beats) and rests between, without moving the arm.
#include <cmath>

#include "choreography/moves/builtin_moves.h"

namespace yangbot {
namespace {

enum { kHand, kEvery };

class HankyFlick : public Move {
 public:
  HankyFlick() {
    spec_.name = "hanky_flick";
    spec_.doc = "half a turn of the handkerchief on the beat (hanky: flick)";
    spec_.limbs = kHanky;
    spec_.min_beats = 0;  // any length on the grid
    spec_.params = {
        WordParam("hand", {"both", "left", "right"}, "which handkerchief flicks"),
        NumberParam("every", Dimension::kBeats, 1, 0.5, 4, "beats between flicks"),
    };
  }
  const MoveSpec& spec() const override { return spec_; }
  void Pose(const ParamValues& p, double u, double, BodyPose* pose) const override {
    const HandSides sides = SidesOf(p.Word(kHand));
    const double phase = FlickPhase(u / p.Number(kEvery));
    for (int side = 0; side < 2; ++side) {
      if (side == 0 ? sides.left : sides.right) pose->hanky[side] = {true, phase};
    }
  }

 private:
  MoveSpec spec_;
};

}  // namespace

void RegisterHankyFlick(MoveRegistry* registry) { registry->Add(std::make_unique<HankyFlick>()); }

}  // namespace yangbot
