// cross_step (十字步), the basic yangge step: over four beats the lead foot steps
// forward and across the midline, the other foot steps forward, the lead foot steps
// back across to its place and the other foot steps back. The dancer sways in place
// and ends where she started, feet square. Knees dip on every beat (bounce).
//
// On H1-class legs the defaults keep each foot on its own line (cross 0) with 3 cm
// strides: with no ankle roll the stance width is locked at ~0.40 m and a foot cannot
// land across the midline; toe-in on the "crossing" foot fell too. This is the cross step
// the controller dances on the beat at 120 bpm (tests/controllers/yangge_steps_test.cc:
// 16 bars, touch-downs 14 ms RMS from the beat, drift 5 mm). A robot with ankle roll can
// be given a real crossing with `cross`.
#include <cmath>

#include "choreography/moves/builtin_moves.h"

namespace yangbot {
namespace {

enum { kStride, kCross, kBounce, kLead };

class CrossStep : public Move {
 public:
  CrossStep() {
    spec_.name = "cross_step";
    spec_.doc = "十字步: forward-across, forward, back-across, back (4 beats a cycle)";
    spec_.limbs = kLegs;
    spec_.cycle_beats = 4;
    spec_.min_beats = 4;
    spec_.params = {
        NumberParam("stride", Dimension::kLength, 0.03, 0.02, 0.15,
                    "how far forward the feet step"),
        NumberParam("cross", Dimension::kLength, 0.0, 0.0, 0.3,
                    "how far the crossing foot lands in from its own line (0: on it; more "
                    "than half the stance width: past the midline)"),
        NumberParam("bounce", Dimension::kLength, 0.02, 0.0, 0.05, "knee dip on each beat"),
        WordParam("lead", {"right", "left"}, "the foot that crosses"),
    };
  }
  const MoveSpec& spec() const override { return spec_; }

  std::string PlanSteps(const StepContext& context, const ParamValues& p,
                        std::vector<BeatStep>* steps) const override {
    const Pose2 centre = context.start.Center();
    const double w = context.gait->foot_lateral;
    const double stride = p.Number(kStride), cross = p.Number(kCross);
    const Foot lead = p.Word(kLead) == "left" ? Foot::kLeft : Foot::kRight;
    const Foot other = OtherFoot(lead);
    // Lateral side of the other foot (+1: left); the lead foot crosses towards it.
    const double side = other == Foot::kLeft ? 1.0 : -1.0;
    const int64_t cycles = context.length.Floor() / 4;
    for (int64_t c = 0; c < cycles; ++c) {
      const Beats base(4 * c);
      auto add = [&](Foot foot, double x, double y, int beat, bool cross_step) {
        BeatStep step;
        step.foot = foot;
        step.pose = ComposePose(centre, {x, y, 0});
        step.allow_cross = cross_step;
        step.land = base + Beats(beat);
        steps->push_back(step);
      };
      add(lead, stride, side * (cross - w), 1, true);  // forward and (in)across
      add(other, stride, side * w, 2, true);     // forward
      add(lead, 0, -side * w, 3, true);          // back, across to its place
      add(other, 0, side * w, 4, false);         // back
    }
    return "";
  }

  void Pose(const ParamValues& p, double u, double length, BodyPose* pose) const override {
    pose->com_height_offset =
        -p.Number(kBounce) * 0.5 * (1 + std::cos(2 * M_PI * u)) * Envelope(u, length);
  }

 private:
  MoveSpec spec_;
};

}  // namespace

void RegisterCrossStep(MoveRegistry* registry) { registry->Add(std::make_unique<CrossStep>()); }

}  // namespace yangbot
