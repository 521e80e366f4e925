// Live supervision of a show ("reflow"): while the show runs, a supervisor watches every
// robot; a robot that falls or is switched off (dropout, a failed health check, its
// controller's fallen(), or the run's fall metric) becomes an obstacle, and from the next
// formation change on the others are re-planned to fill the formation as well as it can be
// filled:
// - the resolved show is planned again (PlanSchedule, schedule.h: the plan and its
//   check, not the file's resolution) with the lost robots in ReflowRequest::lost
//   (reflow.h): they take part in no cue from the change on, stand in every later
//   transition as obstacles where their bodies lie (LyingBody: every collidable geom's
//   centre on the floor kept kMinRobotDistance clear, not only the pelvis), and
//   a change of all the robots left walks to the formation regenerated for their number
//   (FormationSlots), slots shared out by the `optimal` rule; when one of its slots lies
//   within 0.7 m of a lost robot's body, to the free slots of the written formation,
//   those too close pushed straight away to 0.7 m when too few are free; dance steps that
//   would travel within 0.7 m of a lost robot's body mark time;
// - when no walk around the lost robots fits the change's beats (either way above), the
//   change is held (ReflowRequest::hold_changes): everyone left stays where they stand,
//   those within 0.7 m of a lost robot stepping straight away from it, and so are as many
//   of the following changes as it takes for the rest to plan; the show's formations are
//   then left unfilled rather than a robot walked into one lying across its way;
// - every survivor's reference is spliced: the old one before the splice time, the new
//   one from then on (SplicedReference). Both plans are the same up to the change, so
//   the splice is continuous as long as it happens early enough: the ZMP preview of a
//   walking pattern looks 1.6 s ahead and a pattern starts 2 s before its first
//   lift-off, so a change is re-planned only when it starts at least
//   SupervisorOptions::splice_lead after now (else the next one is). The jump of the
//   references at the splice is measured (ReferenceJump) and a plan that would jump
//   more than max_jump is refused;
// - a lost robot is planned around only once it has been lost for lost_settle (it falls
//   first; its body is measured where it lies).
// Each reflow (or a refused one: not even held changes plan) is a RunEvent ("reflow",
// "reflow_failed"); a robot whose recovery steps (WholeBodyController) ended is one too
// ("recovery": the controller then catches up with its plan by itself, see
// WholeBodyGains::catch_up_step and catch_up_walk_*), and so is its return to the plan's
// places ("caught_up").
// Limits: a robot lost during a formation change is walked around only from the next
// change on (the current walks keep their plan); changes are held as a run from the next
// one on (the shortest that lets the rest plan, not the fewest changes); a change of
// some robots keeps its slots; the supervisor does not re-plan robots lagging behind or
// off their plan (their controllers catch up by themselves: WholeBodyGains::catch_up_step,
// catch_up_walk_*), nor keep others clear of a robot off its plan.
//
// Wiring: the supervisor is part of the run (RunState::hook, sim/runner.h), put there by
// SuperviseShow for `yangbot run`, `yangbot bench`, the viewer and tests alike; Step lets
// it look after every physics step, and a cloned or restored run (the viewer's snapshots)
// carries its memory (who is lost since when, the plan danced). It reaches the robots'
// controllers through RobotController::follower() (controllers/reference_follower.h).
#ifndef YANGBOT_CHOREOGRAPHY_SUPERVISOR_H_
#define YANGBOT_CHOREOGRAPHY_SUPERVISOR_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "choreography/schedule.h"
#include "choreography/show.h"
#include "choreography/show_compiler.h"
#include "controllers/reference.h"
#include "sim/runner.h"
#include "sim/scene.h"

namespace yangbot {

/// One reference before `splice_time`, another from it on.
class SplicedReference : public ReferenceSource {
 public:
  /// `before` is sampled for t < splice_time (s), `after` from then on; neither null.
  SplicedReference(std::shared_ptr<const ReferenceSource> before,
                   std::shared_ptr<const ReferenceSource> after, double splice_time);
  void Sample(double t, RobotReference* out) const override;
  void SampleFrom(double t, ReferenceCursor* cursor, RobotReference* out) const override;
  /// s, the end of `after`.
  double end_time() const override { return after_->end_time(); }
  /// s, when `after` takes over.
  double splice_time() const { return splice_time_; }

 private:
  std::shared_ptr<const ReferenceSource> before_, after_;
  double splice_time_ = 0;
};

/// How far apart two references are (m): the largest distance between their CoMs and
/// between their feet (sole centres), and 1 m per rad of heading (pelvis, feet).
double ReferenceJump(const RobotReference& a, const RobotReference& b);

/// Whether robot `robot` is lost to the show: powered down (dropout), failed a health
/// check, declared fallen by its controller, or fallen by the run's metrics.
bool RobotLost(const RunState& state, int robot);

/// Robot `robot`'s pelvis in the plane (m, m, heading rad) from the state.
Pose2 MeasuredPelvis(const Scene& scene, const mjData& d, int robot);

/// m, least spacing of LyingBody's points (closer ones are dropped: the clearance kept
/// from them, kMinRobotDistance, is six times as much).
constexpr double kLyingBodySpacing = 0.1;

/// Where robot `robot`'s body lies on the floor (m, in the plane): the centres of its
/// collidable geoms, measured relative to its pelvis and placed at `pelvis` (where the
/// conductor believes it lies: its own estimate when it localises itself), thinned to
/// kLyingBodySpacing. For LostRobot::body.
std::vector<Pose2> LyingBody(const Scene& scene, const mjData& d, int robot, const Pose2& pelvis);

/// m, how far from a robot the neighbours TellNeighbours tells it of stand at most (a
/// capture step reaches 0.75 m, a neighbour is kept 0.9 m clear).
constexpr double kNeighbourRange = 2.5;

/// Tells every robot of `state` that follows a plan where the others' pelvises stand
/// (ReferenceFollower::set_neighbours, those within kNeighbourRange), measured from the
/// simulated state: information only, for its recovery steps to keep clear of them.
void TellNeighbours(const Scene& scene, RunState* state);

/// The references the robots of `state` follow (their controllers' follower()), one per
/// robot; empty when any robot's controller follows none.
std::vector<std::shared_ptr<const ReferenceSource>> FollowedReferences(const RunState& state);

/// The first formation change of `schedule` starting at or after `time` (s); nullptr if none.
const ScheduledTransition* NextFormationChange(const Schedule& schedule, double time);

/// Settings of the supervisor.
struct SupervisorOptions {
  double lost_settle = 1.0;  ///< s a robot must have been lost before it is planned around
  /// s, least time from the re-planning to the start of the formation change re-planned
  /// (lead_in of the compiler plus the ZMP preview horizon, with a margin).
  double splice_lead = 4.0;
  double max_jump = 0.005;  ///< m, largest reference jump (ReferenceJump) accepted at a splice
  CompileOptions compile;   ///< how re-planned schedules are compiled (as the show was)
};

/// Watches a running show and re-plans it around lost robots (see the top of this file).
class ShowSupervisor : public StepHook {
 public:
  /// `schedule` is the plan the run's references were compiled from, `show` the resolved
  /// show it was planned from (LoadedShow::resolved); re-plans use the schedule's gait.
  ShowSupervisor(ResolvedShow show, Schedule schedule, SupervisorOptions settings = {});
  /// Looks at every robot and re-plans when a lost robot has settled and a formation
  /// change lies far enough ahead. Cheap when nothing changed (a few comparisons per
  /// robot); a re-plan rebuilds and recompiles the schedule (tens of ms). Call it every
  /// few physics steps, between steps. Swaps the references of controllers that follow
  /// one (RobotController::follower()).
  void Update(const Scene& scene, RunState* state);
  /// Physics steps between looks in AfterStep (20 ms at the 2 ms step): a lost robot is
  /// planned around after a second anyway; looking costs a few comparisons.
  static constexpr int64_t kLookEvery = 10;
  /// Update every kLookEvery steps (Step calls it as the run's hook after every step).
  void AfterStep(const Scene& scene, RunState* state) override;
  /// A copy with the same memory (the run's clones and snapshots).
  std::unique_ptr<StepHook> Clone() const override;
  /// The plan being danced (the last re-plan, or the one given).
  const Schedule& schedule() const { return schedule_; }
  /// Robots planned around so far, in the order they were.
  const std::vector<LostRobot>& lost() const { return reflow_.lost; }
  /// Re-plans spliced in so far.
  int reflows() const { return reflows_; }

 private:
  // Adds a "recovery" event for every robot whose recovery steps ended since the last look,
  // and a "caught_up" event when its controller is back on its plan's places.
  void ReportRecoveries(const Scene& scene, RunState* state);

  ResolvedShow show_;
  ReflowRequest reflow_;  // the lost robots planned around so far, the changes held
  Schedule schedule_;
  SupervisorOptions settings_;
  std::vector<double> lost_since_;  // per robot: s, when first seen lost; -1 not lost
  int reflows_ = 0;
  // The re-plan last refused: the change's start beat and how many robots were lost.
  double refused_beat_ = -1;
  std::vector<bool> recovering_;  // per robot: stepping to recover at the last look
  std::vector<double> recovered_at_;  // per robot: s, its last recovery ended, catching up; -1 none
  size_t refused_lost_ = 0;
};

/// Makes a show's run supervised: a ShowSupervisor of `show` (LoadedShow::resolved) and
/// `schedule` (the plan the run's references were compiled from) becomes `state`'s hook,
/// replacing any. The one wiring of `yangbot run`, `yangbot bench` and the viewer.
void SuperviseShow(ResolvedShow show, Schedule schedule, RunState* state,
                   SupervisorOptions settings = {});

/// The supervisor of a run (SuperviseShow); null when nothing supervises it.
const ShowSupervisor* SupervisorOf(const RunState& state);

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_SUPERVISOR_H_
