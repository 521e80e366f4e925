// walk_to: walk to a place on the stage and turn to a facing, one step a beat from the
// cue start, at the pace that arrives on the cue's last beat, ending with the feet square. Formation changes are walk_to cues with each
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
    // Walk at the pace that arrives on the last beat: the smallest step limits (scaled
    // down together) that still fit the beats given. Robots of a formation change then
    // all travel the whole phrase and arrive together, rather than the near ones
    // arriving early and standing in the way of the far ones.
    const int64_t beats = context.length.Floor();
    if (needed > 0 && needed < beats && !context.end_only) {
      // Start from the proportional guess and speed up until the walk fits.
      double scale = static_cast<double>(needed) / static_cast<double>(beats);
      for (int attempt = 0; attempt < 8 && scale < 1; ++attempt, scale = std::min(1.0, scale * 1.1)) {
        FootstepPlannerParams slow = context.planner->params();
        for (double* limit : {&slow.limits.max_forward, &slow.limits.max_backward,
                              &slow.limits.max_lateral, &slow.limits.max_turn,
                              &slow.limits.max_turn_in}) {
          *limit *= scale;
        }
        slow.max_steps = static_cast<int>(beats);
        try {
          FootstepPlan slower = FootstepPlanner(slow).PlanToPose(context.start, goal);
          if (static_cast<int64_t>(slower.steps.size()) <= beats) {
            plan = std::move(slower);
            break;
          }
        } catch (const Error&) {
          // More than `beats` steps at this pace: try a little faster.
        }
      }
    }
    for (size_t i = 0; i < plan.steps.size(); ++i) {
      const Footstep& f = plan.steps[i];
      BeatStep step;
      step.foot = f.foot;
      step.pose = f.pose;
      step.allow_cross = f.allow_cross;
      step.land = Beats(static_cast<int64_t>(i) + 1);
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
