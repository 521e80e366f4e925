// Pass 3 of the scheduler (schedule.h): the plan (plan.h) checked as a whole. Cues that
// overlap on a limb of one robot; robots that come closer than kMinRobotDistance at any
// instant (pelvis tracks of the footsteps, RobotPelvisTrack), reported at the cue of the
// step that brought them closest; the plan's own problems of single robots, reported
// with these, one line for the robots that share a problem.
#ifndef YANGBOT_CHOREOGRAPHY_CHECK_PLAN_H_
#define YANGBOT_CHOREOGRAPHY_CHECK_PLAN_H_

#include <limits>

#include "choreography/diagnostics.h"
#include "choreography/plan.h"
#include "choreography/reflow.h"
#include "choreography/resolve.h"

namespace yangbot {

/// Checks `schedule`, planned from `show` around `reflow`'s lost robots (whose pairs are
/// not checked for distance), and reports the problems the plan found (`problems`) with
/// those of the check; sets `schedule->min_separation`.
void CheckPlan(const ResolvedShow& show, const ReflowRequest& reflow,
               const PlanProblems& problems, Schedule* schedule, Diagnostics* diagnostics);

/// How close a plan made around lost robots brings the robots from some beat on (the
/// pelvis tracks of RobotPelvisTrack).
struct ReplanClearance {
  double between = std::numeric_limits<double>::infinity();    ///< m, least pelvis distance
                                                               ///< between two robots left
  double from_lost = std::numeric_limits<double>::infinity();  ///< m, least distance from a
                                                               ///< robot left's pelvis to a
                                                               ///< lost robot's LyingPoints
};

/// ReplanClearance of `schedule` (planned around `reflow`'s lost robots) from beat `from`
/// (absolute) on.
ReplanClearance ClearanceFrom(const Schedule& schedule, const ReflowRequest& reflow, Beats from);

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_CHECK_PLAN_H_
