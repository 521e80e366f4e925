#include "choreography/schedule.h"

#include <utility>

#include "choreography/hanky_throw_cue.h"

namespace yangbot {

Schedule PlanSchedule(const ResolvedShow& show, const GaitParams& gait,
                      const ReflowRequest& reflow, Diagnostics* diagnostics) {
  PlanProblems problems;
  Schedule schedule = PlanShow(show, gait, reflow, &problems, diagnostics);
  CheckPlan(show, reflow, problems, &schedule, diagnostics);
  return schedule;
}

Schedule BuildSchedule(const Show& show, const ScheduleOptions& options, Diagnostics* diagnostics,
                       ResolvedShow* resolved) {
  ResolvedShow checked = ResolveShow(show, {options.base_dir, options.moves}, diagnostics);
  Schedule schedule = PlanSchedule(checked, options.gait, options.reflow, diagnostics);
  CheckHankyThrows(show, schedule, diagnostics);  // flights against tether, winch, neighbours
  if (resolved != nullptr) *resolved = std::move(checked);
  return schedule;
}

}  // namespace yangbot
