// Pass 1 of the scheduler (schedule.h): every check of a show's meaning, turning the
// file's words into an explicit resolved show. What `yangbot validate` reports beyond the
// file's structure and beyond the plan is found here: the troupe (robot count, model),
// formations (shapes, parameters, slot counts, slots too close), groups (lists and rules
// over the start formation), the music's length (WAV), sections (bar grid, lengths, the
// show's length) and cues (unknown moves, hanky actions and formations, parameters with
// their units and bounds, timing off the grid or past the section, canon, order,
// `who`, slot assignment, keep_groups and pins). Choices become enums here; nothing
// after this pass reads a word of the file. Only cues without errors are resolved.
#ifndef YANGBOT_CHOREOGRAPHY_RESOLVE_H_
#define YANGBOT_CHOREOGRAPHY_RESOLVE_H_

#include <map>
#include <string>
#include <vector>

#include "choreography/beats.h"
#include "choreography/diagnostics.h"
#include "choreography/move.h"
#include "choreography/move_registry.h"
#include "choreography/show.h"
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

/// How a formation change shares its slots out (`assign:`).
enum class SlotAssign {
  kNumber,   ///< robot i takes slot i
  kNearest,  ///< least total distance walked
  kOptimal,  ///< least time of the slowest walk, then least squared distance
};

/// The order in which a canon's robots start (`order:`).
enum class CanonOrder {
  kNumber,       ///< by robot number
  kLeftToRight,  ///< from the dancers' left (+y) to their right
  kRightToLeft,  ///< from the dancers' right to their left
  kFrontToBack,  ///< from the audience side (+x) to the back
  kBackToFront,  ///< from the back to the audience side
};

/// A formation of the show, checked, with its slots for the show's robots.
struct ResolvedFormation {
  FormationDef def;              ///< as written (regenerated for fewer robots on a reflow)
  std::vector<Placement> slots;  ///< pelvis placements (world), one per robot
};

/// One cue of the file with everything it means, before it is handed to robots.
struct ResolvedCue {
  CueKind kind = CueKind::kMove;  ///< move, formation change or hanky action
  std::string name;               ///< the move, formation or hanky action as written
  SourcePos pos;                  ///< where the cue is written
  int section = 0;                ///< index in Show::timeline
  int index = 0;                  ///< index in the section's cues
  const Move* move = nullptr;     ///< what it does (formation changes: walk_to); never null
  ParamValues params;             ///< resolved parameters (default units)
  Beats start;                    ///< absolute beat the first robot starts on
  Beats length;                   ///< beats it lasts
  Beats delay;                    ///< canon: beats between one robot's start and the next's
  std::vector<int> robots;        ///< 0-based robot indices, ascending
  CanonOrder order = CanonOrder::kNumber;  ///< canon order
  /// Formation changes: how slots are shared out, the robot sets that keep to their own
  /// slots (0-based), and robot -> slot pins (0-based).
  SlotAssign assign = SlotAssign::kNumber;
  std::vector<std::vector<int>> keep_groups;  ///< see `assign`
  std::map<int, int> pins;                    ///< see `assign`
  bool mirror = false;  ///< robots right of the group's centre dance it mirrored
  /// Whether the cue walks to a formation.
  bool is_formation_change() const { return kind == CueKind::kFormation; }
};

/// Where a section lies on the absolute beat grid.
struct SectionSpan {
  Beats start;  ///< absolute beat it starts on
  Beats end;    ///< absolute beat it ends on
  SourcePos at;  ///< its `at:`
};

/// A show checked and resolved: what the plan (plan.h) works from.
struct ResolvedShow {
  BeatClock clock;         ///< tempo and offset (defaults for values out of range)
  int beats_per_bar = 4;   ///< from the header (default for values out of range)
  Beats end;               ///< absolute beat where the last section ends
  /// Robots of the troupe; 0 when nothing per robot can be checked (no valid count or no
  /// valid start formation).
  int robots = 0;
  std::vector<Placement> starts;  ///< start placement (pelvis) per robot, size `robots`
  /// Formations whose slots fit the troupe, by name (those with errors are left out).
  std::map<std::string, ResolvedFormation> formations;
  /// Groups by name (the built-in ones included): their robots (0-based, ascending).
  std::map<std::string, std::vector<int>> groups;
  std::vector<ResolvedCue> cues;      ///< cues without errors, in file order
  std::vector<SectionSpan> sections;  ///< sections without errors, in file order
};

/// Options of the resolution.
struct ResolveOptions {
  std::string base_dir;  ///< folder of the show file (model and music paths start there)
  const MoveRegistry* moves = nullptr;  ///< nullptr: BuiltinMoves()
};

/// Checks `show` for meaning (see the top of this file); problems go to `diagnostics`.
/// Only what has no errors is resolved.
ResolvedShow ResolveShow(const Show& show, const ResolveOptions& options,
                         Diagnostics* diagnostics);

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

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_RESOLVE_H_
