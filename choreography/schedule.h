// The scheduler: a Show checked for meaning and turned into a plan, per robot, of cues
// on the exact beat grid and footsteps on the beats. Everything `yangbot validate`
// reports beyond the file's structure is found here: unknown moves, groups, formations
// and parameters, units and bounds, timing off the grid or past the end, overlapping
// cues on a limb, formations with the wrong number of slots or slots too close, and
// formation changes faster than the robots can walk.
#ifndef YANGBOT_CHOREOGRAPHY_SCHEDULE_H_
#define YANGBOT_CHOREOGRAPHY_SCHEDULE_H_

#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "choreography/move.h"
#include "choreography/move_registry.h"
#include "choreography/show.h"
#include "choreography/transition.h"
#include "sim/scene.h"

namespace yangbot {

/// Most robots a show may have (the stage's limit).
constexpr int kMaxShowRobots = 32;
/// Longest show (s); sections ending later are an error.
constexpr double kMaxShowSeconds = 3600;
/// Most cues in one show file.
constexpr int kMaxShowCues = 20000;

/// Cue starts and lengths lie on this grid (a quarter beat); cues that drive the legs
/// start and last whole beats, since steps land on beats.
inline Beats BeatGrid() { return Beats::Fraction(1, 4); }

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
  /// Re-planned around lost robots (ScheduleOptions::lost): any robot may take any slot.
  bool reflowed = false;
  /// Reflowed into the formation regenerated for the robots left (FormationSlots for
  /// their number); false: into free slots of the written one.
  bool regenerated = false;
  /// Held: every robot stayed where it stood (ScheduleOptions::hold_changes).
  bool held = false;
  std::vector<Placement> slots;    ///< the slot each walk goes to, in canon order
  SourcePos pos;                   ///< the cue
  std::vector<PlannedWalk> walks;  ///< one per robot of the change, in canon order
  double min_distance = 0;         ///< m, least distance between robots during it
  bool ok = true;                  ///< false: reported as an error
};

/// A checked show, ready to compile.
struct Schedule {
  BeatClock clock;                    ///< tempo and offset
  int beats_per_bar = 4;              ///< from the header
  GaitParams gait;                    ///< geometry the steps were planned with
  std::vector<RobotSchedule> robots;  ///< one per robot (robot i + 1 in the file)
  std::map<std::string, std::vector<Placement>> formations;  ///< slots of each formation
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
PelvisTrack RobotPelvisTrack(const RobotSchedule& robot, const GaitParams& gait);

/// A robot lost during the show (fallen or switched off), for re-planning the rest of
/// the show around it (choreography/supervisor.h).
struct LostRobot {
  int robot = 0;  ///< robot index (0-based)
  Pose2 pelvis;   ///< where it lies: its measured pelvis (m, m, rad)
  Beats from;     ///< absolute beat from which it is left out of every cue
};

/// Options of the scheduler.
struct ScheduleOptions {
  GaitParams gait;       ///< robot geometry and step limits
  std::string base_dir;  ///< folder of the show file (music paths are relative to it)
  const MoveRegistry* moves = nullptr;  ///< nullptr: BuiltinMoves()
  /// Robots lost during the show ("reflow"). Cues starting on or after a lost robot's
  /// `from` leave it out; it stands in every later formation change as an obstacle at its
  /// `pelvis`. A formation change of all the robots left walks to the formation regenerated
  /// for their number (FormationSlots) or, when one of those slots lies closer than
  /// kMinRobotDistance to a lost robot, to the free slots of the written formation (the
  /// lost robot keeps the place it fell on); slots are shared out by the `optimal` rule
  /// (pins and keep_groups dropped). A change of some robots keeps its slots. Everything before
  /// `from` is planned exactly as without it. Pairs with a lost robot are not checked for
  /// distance (its planned track is not where it lies) and do not count in min_separation.
  std::vector<LostRobot> lost;
  /// With `lost`: regenerate the formations of changes of all the robots left (false:
  /// always the free slots of the written formation).
  bool regenerate_formations = true;
  /// With `lost`: formation changes starting on these beats keep every robot left where
  /// it stands (no walks; the supervisor's fallback when no walk around a lost robot fits
  /// the change's beats: better a formation left unfilled than a robot walked into one
  /// lying on the floor).
  std::vector<Beats> hold_changes;
};

/// Checks `show` and plans it. Problems go to `diagnostics`; when it has errors the
/// returned schedule is incomplete and must not be compiled.
Schedule BuildSchedule(const Show& show, const ScheduleOptions& options, Diagnostics* diagnostics);

/// Resolves written parameters against their specs: defaults filled in, units
/// converted (spin rates at `bpm`), bounds, whole numbers and words checked. `owner`
/// names them in messages ("cross_step", "shape 'grid'"); `other_keys` are also valid
/// keys there (offered as suggestions, not reported).
ParamValues ResolveParams(const std::vector<ParamSpec>& specs, const std::vector<Param>& given,
                          const std::string& owner, double bpm,
                          const std::vector<std::string>& other_keys, Diagnostics* diagnostics);

/// Slots of a formation for `robots` robots (pelvis placements, world); reports problems
/// (unknown shape, parameters, wrong slot count, slots closer than kMinRobotDistance).
std::vector<Placement> FormationSlots(const FormationDef& formation, int robots, double bpm,
                                      Diagnostics* diagnostics);

/// Duration (s) of a RIFF/WAVE file, or nullopt when it is not one that can be read.
std::optional<double> WavDuration(const std::string& path);

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_SCHEDULE_H_
