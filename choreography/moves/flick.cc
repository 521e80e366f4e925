// flick: on every beat (or every `every` beats) the forearm snaps up and the
// handkerchief whips half a turn, then both settle before the next beat.
#include <cmath>

#include "choreography/moves/builtin_moves.h"

namespace yangbot {
namespace {

enum { kHand, kEvery, kHeight };

class Flick : public Move {
 public:
  Flick() {
    spec_.name = "flick";
    spec_.doc = "flick the forearm and the handkerchief on the beat";
    spec_.limbs = kArms | kHanky;
    spec_.params = {
        WordParam("hand", {"right", "left", "both"}, "which hand flicks"),
        NumberParam("every", Dimension::kBeats, 1, 0.5, 4, "beats between flicks"),
        NumberParam("height", Dimension::kAngle, 50, 10, 70, "how far the forearm snaps up"),
    };
  }
  const MoveSpec& spec() const override { return spec_; }
  void Pose(const ParamValues& p, double u, double length, BodyPose* pose) const override {
    const double e = Envelope(u, length);
    const double every = p.Number(kEvery);
    const double k = std::floor(u / every);
    const double s = u / every - k;  // [0, 1) through each flick
    // Up fast (first third), down slowly. A snap in a fifth of a beat (0.1 s at 120 bpm,
    // peak elbow acceleration ~500 rad/s²) with both hands made a standing robot hop off
    // both feet and fall (NOTES.md); a third of a beat keeps the feet down.
    const double snap = s < 0.35 ? SmoothStep(s / 0.35) : 1 - SmoothStep((s - 0.35) / 0.65);
    const HandSides sides = SidesOf(p.Word(kHand));
    pose->arm_q.fill(0);
    SetArms({-0.4 * e, 0.15 * e, 0.2 * e, (0.4 - p.Radians(kHeight) * snap) * e}, sides, pose);
    const double phase = FlickPhase(u / every);
    for (int side = 0; side < 2; ++side) {
      if (side == 0 ? sides.left : sides.right) pose->hanky[side] = {true, phase};
    }
  }

 private:
  MoveSpec spec_;
};

}  // namespace

void RegisterFlick(MoveRegistry* registry) { registry->Add(std::make_unique<Flick>()); }

}  // namespace yangbot
