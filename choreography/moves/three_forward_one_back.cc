// three_forward_one_back (进三退一), the travelling yangge step: in each four-beat
// cycle the lead foot steps ahead of the other, the other passes it, the lead passes
// again, then the lead steps back behind the other. The dancer gains two strides a
// cycle along `direction` (relative to her facing; the feet keep facing forward).
//
// On H1-class legs the default stride is 4 cm: at 120 bpm with the whole-body controller
// (travelling slow steps, WholeBodyGains::w_pelvis_travel_*) 16 s of it with figure-eight
// arms and spinning handkerchiefs held 6/6 seeds at 3 and 4 cm; 5 cm fell 1-5 of 6, 6 cm
// most (tests/controllers/yangge_steps_test.cc has the controller-level test).
#include <cmath>

#include "choreography/moves/builtin_moves.h"

namespace yangbot {
namespace {

enum { kStride, kDirection, kLead };

class ThreeForwardOneBack : public Move {
 public:
  ThreeForwardOneBack() {
    spec_.name = "three_forward_one_back";
    spec_.doc = "进三退一: three steps forward, one back (4 beats a cycle, 2 strides gained)";
    spec_.limbs = kLegs;
    spec_.cycle_beats = 4;
    spec_.min_beats = 4;
    spec_.params = {
        NumberParam("stride", Dimension::kLength, 0.04, 0.02, 0.15,
                    "how far each step lands ahead of (or behind) the other foot"),
        NumberParam("direction", Dimension::kAngle, 0, -90, 90,
                    "direction of travel relative to the facing, + to the left"),
        WordParam("lead", {"left", "right"}, "the foot that steps first (and back)"),
    };
  }
  const MoveSpec& spec() const override { return spec_; }

  std::string PlanSteps(const StepContext& context, const ParamValues& p,
                        std::vector<BeatStep>* steps) const override {
    const Pose2 centre = context.start.Center();
    const double w = context.gait->foot_lateral;
    const double stride = p.Number(kStride);
    const double dx = std::cos(p.Radians(kDirection)), dy = std::sin(p.Radians(kDirection));
    const Foot lead = p.Word(kLead) == "right" ? Foot::kRight : Foot::kLeft;
    const Foot other = OtherFoot(lead);
    // Progress of each foot along the travel direction, from the start centre.
    double a_lead = 0, a_other = 0;
    {
      // Start from where the feet are (a staggered stance keeps its stagger).
      const Pose2 l = RelativePose(centre, context.start.foot(lead));
      const Pose2 o = RelativePose(centre, context.start.foot(other));
      const double lead_side = lead == Foot::kLeft ? w : -w;
      a_lead = l.x * dx + (l.y - lead_side) * dy;
      a_other = o.x * dx + (o.y + lead_side) * dy;
    }
    auto place = [&](Foot foot, double a) {
      const double lateral = foot == Foot::kLeft ? w : -w;
      return ComposePose(centre, {a * dx, lateral + a * dy, 0});
    };
    const int64_t cycles = context.length.Floor() / 4;
    for (int64_t c = 0; c < cycles; ++c) {
      const Beats base(4 * c);
      auto add = [&](Foot foot, double a, int beat) {
        BeatStep step;
        step.foot = foot;
        step.pose = place(foot, a);
        step.land = base + Beats(beat);
        steps->push_back(step);
      };
      a_lead = a_other + stride;
      add(lead, a_lead, 1);
      a_other = a_lead + stride;
      add(other, a_other, 2);
      a_lead = a_other + stride;
      add(lead, a_lead, 3);
      a_lead = a_other - stride;
      add(lead, a_lead, 4);
    }
    return "";
  }

 private:
  MoveSpec spec_;
};

}  // namespace

void RegisterThreeForwardOneBack(MoveRegistry* registry) {
  registry->Add(std::make_unique<ThreeForwardOneBack>());
}

}  // namespace yangbot
