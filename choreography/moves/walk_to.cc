// walk_to: walk to a place on the stage and turn to a facing, a step every step_beats of
// the gait's envelope (gait_envelope.h) from the cue start, at the pace that arrives on the
// cue's last beat, ending with the feet square. Formation changes are walk_to cues with each
// robot's slot as the target; both plan with choreography/transition.h.
#include <cmath>

#include "choreography/moves/builtin_moves.h"
#include "choreography/transition.h"
#include "sim/error.h"

namespace yangbot {
namespace {

enum { kX, kY, kFacing };

class WalkTo : public Move {
 public:
  WalkTo() {
    spec_.name = "walk_to";
    spec_.doc =
        "walk to a place and facing: straight, the facing blended on the way (or turning to "
        "face the way when that is quicker)";
    spec_.limbs = kLegs;
    spec_.params = {
        NumberParam("x", Dimension::kLength, 0, -50, 50, "target pelvis x, towards the audience"),
        NumberParam("y", Dimension::kLength, 0, -50, 50, "target pelvis y, to the dancers' left"),
        NumberParam("facing", Dimension::kAngle, 0, -360, 360, "target facing, 0 = the audience"),
    };
  }
  const MoveSpec& spec() const override { return spec_; }

  std::string PlanSteps(const StepContext& context, const ParamValues& p,
                        std::vector<BeatStep>* steps) const override {
    const Pose2 goal{p.Number(kX), p.Number(kY), p.Radians(kFacing)};
    // The same walk a formation change plans (transition.h), alone on the stage: steps
    // every step_beats, straight in any direction with the facing blended on the way, or
    // turn-walk-turn when that needs fewer steps (a gait that hardly steps sideways), at
    // the pace that arrives on the cue's last beat. Robots of a formation
    // change then all travel the whole phrase and arrive together, rather than the near
    // ones arriving early and standing in the way of the far ones.
    return PlanWalk(context.start, goal, context.length, *context.gait, steps);
  }

 private:
  MoveSpec spec_;
};

}  // namespace

void RegisterWalkTo(MoveRegistry* registry) { registry->Add(std::make_unique<WalkTo>()); }

}  // namespace yangbot
