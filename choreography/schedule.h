// The scheduler: a Show (show.h) checked for meaning and turned into a plan, per robot,
// of cues on the exact beat grid and footsteps on the beats, in passes, each in its own
// file:
//   1. resolve.h     every check of the file's meaning, into a ResolvedShow (troupe,
//                    formations, groups, cue instances; choices as enums);
//   2. plan.h        the Schedule: cues handed to robots, formation changes planned with
//                    the space-time planner (transition.h), footsteps; re-plans around
//                    lost robots through reflow.h;
//   3. check_plan.h  the plan checked as a whole: overlaps on a limb, robots too close;
//   4. show_compiler.h  the Schedule compiled into one reference per robot.
// BuildSchedule runs passes 1-3 (everything `yangbot validate` reports beyond the file's
// structure); PlanSchedule passes 2-3 (a re-plan of a resolved show, supervisor.h).
#ifndef YANGBOT_CHOREOGRAPHY_SCHEDULE_H_
#define YANGBOT_CHOREOGRAPHY_SCHEDULE_H_

#include <string>

#include "choreography/check_plan.h"
#include "choreography/diagnostics.h"
#include "choreography/move.h"
#include "choreography/move_registry.h"
#include "choreography/plan.h"
#include "choreography/reflow.h"
#include "choreography/resolve.h"
#include "choreography/show.h"

namespace yangbot {

/// Options of the scheduler.
struct ScheduleOptions {
  GaitParams gait;       ///< robot geometry and step limits
  std::string base_dir;  ///< folder of the show file (model and music paths start there)
  const MoveRegistry* moves = nullptr;  ///< nullptr: BuiltinMoves()
  ReflowRequest reflow;  ///< robots lost during the show (reflow.h); none: the show as written
};

/// Plans a resolved show and checks the plan (passes 2 and 3). Problems go to
/// `diagnostics`; when it has errors the schedule must not be compiled.
Schedule PlanSchedule(const ResolvedShow& show, const GaitParams& gait,
                      const ReflowRequest& reflow, Diagnostics* diagnostics);

/// Checks `show` and plans it (passes 1 to 3); `resolved` (if set) receives the resolved
/// show. Problems go to `diagnostics`; when it has errors the returned schedule is
/// incomplete and must not be compiled.
Schedule BuildSchedule(const Show& show, const ScheduleOptions& options, Diagnostics* diagnostics,
                       ResolvedShow* resolved = nullptr);

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_SCHEDULE_H_
