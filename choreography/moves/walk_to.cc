// walk_to: walk to a place on the stage and turn to a facing, one step a beat from the
// cue start, ending with the feet square. Formation changes are walk_to cues with each
// robot's slot as the target. The footstep planner (controllers/footstep_planner.h)
// chooses the steps within the robot's step limits.
#include <cmath>

#include "choreography/moves/builtin_moves.h"
#include "sim/error.h"

namespace yangbot {
namespace {

enum { kX, kY, kFacing };

class WalkTo : public Move {
 public:
  WalkTo() {
    spec_.name = "walk_to";
    spec_.doc = "walk to a place and facing, one step a beat";
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
    const Pose2 goal_pelvis{p.Number(kX), p.Number(kY), p.Radians(kFacing)};
    const Pose2 goal_centre = StanceAtPelvis(goal_pelvis, *context.gait).Center();
    // Shortest turn to the goal facing from the current one.
    Pose2 goal = goal_centre;
    const double current = context.start.Center().yaw;
    goal.yaw = current + WrapAngle(goal.yaw - current);
    FootstepPlan plan;
    try {
      plan = context.planner->PlanToPose(context.start, goal);
    } catch (const Error& e) {
      return e.what();
    }
    const int64_t needed = static_cast<int64_t>(plan.steps.size());
    if (Beats(needed) > context.length) {
      const Pose2 from = PelvisOfStance(context.start, *context.gait);
      const double distance = std::hypot(goal_pelvis.x - from.x, goal_pelvis.y - from.y);
      char text[300];
      std::snprintf(text, sizeof(text),
                    "must walk %.2f m in %s beats but needs %lld beats (one step a beat; steps "
                    "of at most %.2f m forward, %.2f m back, %.2f m sideways)",
                    distance, context.length.ToString().c_str(), static_cast<long long>(needed),
                    context.gait->limits.max_forward, context.gait->limits.max_backward,
                    context.gait->limits.max_lateral);
      return text;
    }
    for (int64_t i = 0; i < needed; ++i) {
      const Footstep& f = plan.steps[static_cast<size_t>(i)];
      BeatStep step;
      step.foot = f.foot;
      step.pose = f.pose;
      step.allow_cross = f.allow_cross;
      step.land = Beats(i + 1);
      steps->push_back(step);
    }
    return "";
  }

 private:
  MoveSpec spec_;
};

}  // namespace

void RegisterWalkTo(MoveRegistry* registry) { registry->Add(std::make_unique<WalkTo>()); }

}  // namespace yangbot
