// Reflow: the plan (plan.h) of a show re-made around robots lost while it runs (fallen or
// switched off; the supervisor, supervisor.h, finds them). Cues starting on or after a
// lost robot's `from` leave it out; it stands in every later formation change as an
// obstacle where its body lies: every point of LostRobot::body (a fallen robot lies 1.7 m
// long, its head and feet as much in the way as its pelvis) is kept kMinRobotDistance
// from the walkers' pelvises. A formation change of all the robots left walks to the
// formation regenerated for their number (FormationSlots) or, when one of those slots
// lies closer than kMinRobotDistance + kLostClearance to a lost robot's body, to the free
// slots of the written formation (the lost robot keeps the place it fell on), those too
// close pushed straight away from it when too few are free; slots are shared out by the
// `optimal` rule (pins and keep_groups dropped), and the walks keep kReflowWalkClearance
// apart where they can. A change of some robots keeps its slots.
// A held change keeps everyone left where they stand (each its own slot), those too
// close to a lost robot stepping away from it. Dance steps that would bring a robot
// within kMinRobotDistance + kLostClearance of a lost robot's body mark time. Everything
// before `from` is planned exactly as without it.
#ifndef YANGBOT_CHOREOGRAPHY_REFLOW_H_
#define YANGBOT_CHOREOGRAPHY_REFLOW_H_

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "choreography/beats.h"
#include "choreography/move.h"
#include "choreography/resolve.h"
#include "sim/scene.h"

namespace yangbot {

/// m beyond kMinRobotDistance that re-planned slots and dance steps keep from a lost
/// robot's body (robots sway; a fallen one may still slide).
constexpr double kLostClearance = 0.1;

/// m, pelvis to pelvis, that the walks of a re-planned formation change keep where they
/// can (PlanShow plans them with this clearance first, with kMinRobotDistance when that
/// fails). The written show shapes its walks around the arms; a re-plan shares the slots
/// out anew and its walks are not, so they keep the width of a robot with its
/// handkerchiefs (about 0.9 m) where the beats allow.
constexpr double kReflowWalkClearance = 0.9;

/// A robot lost during the show (fallen or switched off), for re-planning the rest of
/// the show around it (choreography/supervisor.h).
struct LostRobot {
  int robot = 0;  ///< robot index (0-based)
  Pose2 pelvis;   ///< where it lies: its measured pelvis (m, m, rad)
  Beats from;     ///< absolute beat from which it is left out of every cue
  /// Where its body lies on the floor: points in the plane (m; the supervisor gives its
  /// collidable geoms' centres, LyingBody), kept clear like the pelvis. Empty: the
  /// pelvis alone (a robot that stays standing).
  std::vector<Pose2> body;
};

/// The points a lost robot keeps clear: its pelvis, then LostRobot::body.
std::vector<Pose2> LyingPoints(const LostRobot& lost);

/// Least distance (m, in the plane) from (x, y) to any of `points`; infinity when none.
double DistanceToPoints(const std::vector<Pose2>& points, double x, double y);

/// Lost robots at a cue: robot -> the points of its body (LyingPoints).
using LyingRobots = std::map<int, std::vector<Pose2>>;

/// What a re-plan around lost robots asks of the plan (see the top of this file).
struct ReflowRequest {
  /// Robots lost during the show. Pairs with a lost robot are not checked for distance
  /// (its planned track is not where it lies) and do not count in min_separation.
  std::vector<LostRobot> lost;
  /// Regenerate the formations of changes of all the robots left (false: always the
  /// free slots of the written formation).
  bool regenerate_formations = true;
  /// Formation changes starting on these beats keep every robot left where it stands
  /// (no walks; the supervisor's fallback when no walk around a lost robot fits the
  /// change's beats: better a formation left unfilled than a robot walked into one lying
  /// on the floor).
  std::vector<Beats> hold_changes;
};

/// The slots a formation change walks to once reflowed.
struct ReflowedChange {
  const std::vector<Placement>* slots = nullptr;  ///< not owned (the cue's or Reflow's)
  std::set<int> blocked;  ///< slots too close to a lost robot: none may take them
  bool reflowed = false;  ///< any robot may take any slot not blocked (optimal rule)
  bool held = false;      ///< the slots are where the robots stand
};

/// The lost robots of one plan and the formations made for them (kept for the plan's
/// life: ReflowedChange::slots may point into it).
class Reflow {
 public:
  /// `request` for a show of `robots` robots; lost robots out of range are ignored.
  Reflow(const ReflowRequest& request, int robots);
  /// Whether any robot is lost.
  bool empty() const { return lost_.empty(); }
  /// Whether robot `robot` is lost (at any time).
  bool lost(int robot) const { return lost_.count(robot) > 0; }
  /// Lost robots left out of a cue starting on `start`: robot -> where it lies.
  LyingRobots LostAt(Beats start) const;
  /// Re-plans cue `cue` (at `*robots`, 0-based, its robots) around `lost_here` (LostAt
  /// its start): the lost robots leave `*robots`; a formation change (`change`, whose
  /// `slots` are the written formation's) gets its reflowed slots and `*assign` the
  /// optimal rule, `*pins` and `*keep_groups` cleared. `pelvis` is each robot's pelvis
  /// when the cue starts; `show` gives the formation definitions and the tempo.
  void ReflowCue(const ResolvedShow& show, const ResolvedCue& cue,
                 const LyingRobots& lost_here, const std::vector<Pose2>& pelvis,
                 std::vector<int>* robots, ReflowedChange* change, SlotAssign* assign,
                 std::map<int, int>* pins, std::vector<std::vector<int>>* keep_groups);
  /// Dance steps of a cue starting on `start` that would bring the robot (its feet's
  /// centre) closer than kMinRobotDistance + kLostClearance to a robot lost before then
  /// become marking time: the same feet on the same beats, each landing where it stood
  /// when the cue began (a travelling 进三退一 next to a fallen robot stays on the spot).
  void MarkTimeNearLostRobots(Beats start, const Stance& feet, std::vector<BeatStep>* steps) const;

 private:
  std::map<int, const LostRobot*> lost_;
  std::vector<Beats> hold_changes_;
  bool regenerate_ = true;
  // Formations made for the robots left, by (name, robots); std::map keeps them in place.
  std::map<std::pair<std::string, int>, std::vector<Placement>> regenerated_, pushed_clear_;
  std::map<double, std::vector<Placement>> held_in_place_;  // by the change's beat
};

/// `slots` with the `blocked` ones (closer than kMinRobotDistance + kLostClearance to a
/// lost robot's body) moved straight away from the nearest point of a lost robot's body
/// to that distance (again from the next nearest while another point is too close),
/// where that keeps them kMinRobotDistance from every usable slot and clear of every lost
/// robot; farthest first. The others stay where they are (still blocked). A column of four
/// with its third robot fallen between the third and fourth slots of the column it closes
/// into keeps the first two slots and has the fourth pushed back.
std::vector<Placement> PushSlotsClear(const std::vector<Placement>& slots,
                                      const std::set<int>& blocked,
                                      const LyingRobots& lost);

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_REFLOW_H_
