// Pass 2 of the scheduler (schedule.h): a resolved show (resolve.h) turned into a plan,
// per robot, of cues on the exact beat grid and footsteps on the beats. Cues are handed
// to their robots in start order: canon delays and mirror sides from where the robots
// stand when the cue starts; formation changes get their slots shared out (SlotAssign)
// and their walks planned with the other robots (transition.h, the space-time planner);
// dance steps come from the moves. A re-plan around lost robots (reflow.h) changes the
// cues from the robots' loss on. What the plan cannot do is reported: formation changes
// that cannot keep the robots apart or share out their slots, walks too far for their
// beats, steps outside the gait's limits, a first step too early. Overlaps and distances
// between robots over the whole plan are the check's (check_plan.h).
#ifndef YANGBOT_CHOREOGRAPHY_PLAN_H_
#define YANGBOT_CHOREOGRAPHY_PLAN_H_

#include <limits>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "choreography/beats.h"
#include "choreography/diagnostics.h"
#include "choreography/move.h"
#include "choreography/reflow.h"
#include "choreography/resolve.h"
#include "choreography/transition.h"
#include "sim/scene.h"

namespace yangbot {

/// One cue as one robot dances it.
struct ScheduledCue {
  const Move* move = nullptr;  ///< what it does (formation changes: walk_to)
  ParamValues params;          ///< resolved parameters (default units)
  bool mirror = false;         ///< danced mirrored (left <-> right)
  Beats start;                 ///< absolute beat it starts on (beat 0 = bar 1, beat 1)
  Beats length;                ///< beats it lasts
  LimbSet limbs = 0;           ///< limbs it drives
  SourcePos pos;               ///< where the cue is written
  int section = 0;             ///< index in Show::timeline
  int cue = 0;                 ///< index in the section's cues
  /// Formation changes: the footsteps of the walk planned with the other robots
  /// (transition.h; `land` counts beats from `start`), used instead of the move's own.
  std::vector<BeatStep> planned_steps;
  bool planned = false;  ///< planned_steps are set
};

/// A footstep on the absolute beat grid.
struct ScheduledStep {
  BeatStep step;  ///< foot, landing pose (world), cross flag; `land` is absolute here
  int cue = -1;   ///< index of its cue in RobotSchedule::cues
};

/// Everything one robot does.
struct RobotSchedule {
  Placement start;                   ///< where it stands at the start (pelvis)
  std::vector<ScheduledCue> cues;    ///< by start beat
  std::vector<ScheduledStep> steps;  ///< by landing beat, from all its leg cues
  Stance final_stance;               ///< feet after the last step
};

/// A formation change as planned (transition.h).
struct ScheduledTransition {
  std::string formation;           ///< the formation walked to
  Beats start;                     ///< absolute beat the change starts on
  /// Re-planned around lost robots (reflow.h): any robot may take any slot.
  bool reflowed = false;
  /// Reflowed into the formation regenerated for the robots left (FormationSlots for
  /// their number); false: into free slots of the written one.
  bool regenerated = false;
  /// Held: every robot stayed where it stood (ReflowRequest::hold_changes).
  bool held = false;
  std::vector<Placement> slots;    ///< the slot each walk goes to, in canon order
  SourcePos pos;                   ///< the cue
  std::vector<PlannedWalk> walks;  ///< one per robot of the change, in canon order
  double min_distance = 0;         ///< m, least distance between robots during it
  bool ok = true;                  ///< false: reported as an error
  /// When !ok: the least beats the change's cue needs (each robot's walk, and walking
  /// clear of the others when that was what failed); 0: more than the planner tries.
  int beats_needed = 0;
};

/// The plan of a show: what each robot dances when, its footsteps, and the formation
/// changes as planned; compiled by show_compiler.h once it has been checked (check_plan.h).
struct Schedule {
  BeatClock clock;                    ///< tempo and offset
  GaitParams gait;                    ///< geometry the steps were planned with
  std::vector<RobotSchedule> robots;  ///< one per robot (robot i + 1 in the file)
  Beats end;  ///< absolute beat where the last section ends
  std::vector<ScheduledTransition> transitions;  ///< formation changes, by start
  /// m, least pelvis distance between two robots over the show (footstep model of
  /// transition.h); infinity for one robot.
  double min_separation = std::numeric_limits<double>::infinity();

  /// Start placements of all robots (size robots.size()).
  std::vector<Placement> StartPlacements() const;
  /// Time (s) of the end of the show.
  double end_time() const { return clock.Time(end); }
};

/// A robot's pelvis over the show as its footsteps place it (the pelvis over the feet
/// at each landing, moving linearly during each step; see transition.h).

/// A robot's pelvis over the show as its footsteps place it (the pelvis over the feet
/// at each landing, moving linearly during each step; see transition.h).
PelvisTrack RobotPelvisTrack(const RobotSchedule& robot, const GaitParams& gait);

/// A problem of one robot, reported with the others' (check_plan.h groups those that
/// several robots share into one line).
struct RobotProblem {
  int robot = 0;                         ///< 0-based
  SourcePos pos;                         ///< the cue
  Severity severity = Severity::kError;  ///< error or warning
  std::string message;                   ///< without the robot
};

/// Problems the plan found that the check (check_plan.h) reports, in the order found.
struct PlanProblems {
  std::vector<RobotProblem> transitions;        ///< walks too far for their formation change
  std::vector<std::vector<RobotProblem>> steps;  ///< per robot: its footsteps' problems
  /// Pairs of robots (a < b) already named in an error: not reported again as too close.
  std::set<std::pair<int, int>> reported;
};

/// Plans `show` (see the top of this file) with `gait`, around the lost robots of
/// `reflow`. Errors of formation changes that concern several robots together go to
/// `diagnostics`, those of single robots to `problems`.
Schedule PlanShow(const ResolvedShow& show, const GaitParams& gait, const ReflowRequest& reflow,
                  PlanProblems* problems, Diagnostics* diagnostics);

/// "robot 3" or "robots 1, 2, 5-8" (1-based numbers, ascending).
std::string RobotList(const std::vector<int>& robots);

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_PLAN_H_
