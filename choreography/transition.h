// Transitions: how the robots of a formation change walk from where they are to their
// slots so that they arrive on the beat the file asks for and never come closer than
// kMinRobotDistance (pelvis to pelvis, in the plane) to each other or to anyone standing
// on the stage.
//
// The robot model is the one the footsteps give: a step every step_beats of the gait's
// envelope (GaitParams::walk, gait_envelope.h; a "tick"), each landing on its tick; the
// pelvis sits over the feet (PelvisOfStance) and moves while a foot swings. The ticks of
// one transition lie on one grid (every step_beats from the earliest window) and every
// robot's swing has the same timing relative to its tick, so if each pelvis is taken to
// move linearly between its positions at consecutive ticks, the distance between two
// robots at any instant equals the distance of that linear model at some instant of the
// same tick: checking the linear model exactly (ClosestApproach over every tick) checks
// the compiled feet.
//
// A walk follows a path (a straight line, or a detour through waypoints), travelling one
// of three ways: omnidirectionally, the facing blended evenly from the start's to the
// slot's along the way, each step's forward, backward and sideways parts (in the robot's
// own frame) and its turn within the envelope; or turning to face the way (or away from
// it), walking forward (backward) and turning to the final facing, in place or, when the
// envelope says the gait turns while it walks, while it starts and stops walking. The way
// that needs the fewest steps is tried first, the omnidirectional one on a tie: over any
// distance, a gait that hardly steps sideways (the box-foot gait's: 1 cm a step) turns, walks and
// turns; a gait with a large envelope walks straight unless the way lies far off its
// facing for long (sideways reach a third of the forward: 1 m sideways goes straight, 4 m
// turns). A walk's timing says how far along its path the robot is at each tick: the
// foot stepping on a tick lands on its nominal place about the point the path reaches
// then (in place while the robot waits, marking time), and a last step closes the feet
// square at the slot. Paces respect the envelope with a margin
// (TransitionOptions::limit_margin).
//
// Planning is prioritised, in space and time: robots are planned one at a time (longest
// walks for their window first), each against the pelvis tracks reserved by those planned
// before it and against robots standing still. A robot takes its preferred walk (straight,
// at the even pace that arrives on the last beat) when that keeps clear; otherwise the
// timing search (progress_search.h) looks, along its straight path and then along detours
// to either side, further and further out, for the timing closest to the even pace that
// keeps clear: it may wait, mark time, slow down or hurry, speeding up and slowing down by
// at most half a step from one step to the next. A robot that finds no clear walk is
// moved to the front of the order and the planning repeated; after that, it swaps slots
// with the robot in its way when the caller allows, and when that fails too, the robots
// that may trade share the slots out again, the summed squared distance least among the
// walks that fit their windows (paths that cross untangle), and are planned once more;
// then the order also puts a robot standing on another's way before it and one whose
// slot lies on another's way after it; last, every walk hurries (arrives as early as
// the envelope lets it, the timing search's reference pace too) and the robots are
// planned both ways once more: slow even walks of the robots planned first can hold a
// crowded change's ways too long. When nothing works the plan says which
// robots, and PlanTransition searches the least number of beats with which the change
// plans.
#ifndef YANGBOT_CHOREOGRAPHY_TRANSITION_H_
#define YANGBOT_CHOREOGRAPHY_TRANSITION_H_

#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "choreography/beats.h"
#include "choreography/move.h"
#include "choreography/separation.h"

namespace yangbot {

/// Closest approach (m) of two points moving linearly, a0 -> a1 and b0 -> b1, over the
/// same time interval.
double ClosestApproach(const Pose2& a0, const Pose2& a1, const Pose2& b0, const Pose2& b1);

/// Steps a window may hold before TransitionOptions::budget grows with it.
constexpr int kBudgetTicks = 45;

/// Most beats PlanTransition adds to a change's window looking for the beats it needs.
constexpr int kMostExtraTransitionBeats = 128;

/// One robot's part in a transition.
struct WalkRequest {
  int robot = 0;    ///< robot index (0-based), for messages and swaps
  Stance feet;      ///< feet when its window opens
  Pose2 goal;       ///< pelvis pose at its slot (m, m, rad)
  Beats start;    ///< beat its window opens (absolute; the windows of one transition lie
                  ///< whole beats apart)
  int beats = 0;  ///< length of its window (beats, >= 1)
  /// Beats it stands, feet square, from the window's start before its first step lands
  /// (GaitEnvelope::settle_beats after dance steps: their rocking must die down).
  Beats settle;
  /// Beats before the window's end by which its last step has landed
  /// (GaitEnvelope::settle_beats before dance steps: the walk's sway must die down); the
  /// planner keeps at least GaitEnvelope::arrival_beats whatever this says.
  Beats end_settle;
};

/// A robot that stands still during the transition (not in the cue, or fallen).
struct StandingRobot {
  int robot = 0;  ///< robot index (0-based)
  Pose2 pelvis;   ///< where it stands
};

/// A planned walk.
struct PlannedWalk {
  int robot = 0;                 ///< robot index (0-based)
  Pose2 goal;                    ///< the slot it walks to (after any swap)
  Beats start;                   ///< beat its window opens
  std::vector<BeatStep> steps;   ///< footsteps; `land` counts beats from `start`
  std::vector<Pose2> pelvis;     ///< pelvis at each tick of its window (after each step)
  int delay = 0;                 ///< ticks it stands before its first step
  std::vector<Pose2> waypoints;  ///< detour points between the start and the slot (pelvis)
};

/// Options of the planner.
struct TransitionOptions {
  double clearance = kMinRobotDistance;  ///< m, least distance between robots
  double preferred_clearance = 0.7;      ///< m, kept where the start and end allow it
  double limit_margin = 0.95;            ///< fraction of the step limits a pace may use
  /// Most states the timing searches of one PlanTransition visit (bounds the time on
  /// hopeless cases, the search for the beats needed included; a walk found once for the
  /// same robots planned before it is not searched or counted again), for windows of up
  /// to kBudgetTicks steps; longer windows scale it by the square of their mean length
  /// over kBudgetTicks (one timing search's states grow with the ticks times the path's
  /// units, and the units with the steps a window holds). 10 M: about 1.5 times what the
  /// hardest random change that plans needs (planner_test.cc
  /// HardestChangesPlanWithinTheBudget), about half a second of CPU at 30 robots.
  int64_t budget = 10'000'000;
  /// May robots a and b (0-based) trade slots? Unset: never.
  std::function<bool(int a, int b)> can_swap;
};

/// Result of PlanTransition.
struct TransitionPlan {
  bool ok = false;                 ///< every robot has a clear walk
  std::vector<PlannedWalk> walks;  ///< one per request, in request order (also when !ok:
                                   ///< the robots that failed walk straight)
  double min_distance = 0;         ///< m, least distance between any two robots (ok or not)
  // When !ok:
  std::vector<int> robots;  ///< robots (0-based) that could not be planned apart or in time
  bool too_far = false;     ///< robots[0] cannot reach its slot in its window even alone
  int beats_needed = 0;     ///< beats the transition needs (0: more than were tried)
  double distance = 0;      ///< m, robots[0]'s walk when too_far
  /// When too_far: every robot that cannot reach its slot in its window even alone.
  struct TooFar {
    int robot = 0;          ///< robot index (0-based)
    double distance = 0;    ///< m, its walk
    int beats_needed = 0;   ///< beats its walk needs from its window's start
  };
  std::vector<TooFar> too_far_robots;
  /// States the timing searches visited (the search for the beats needed included): the
  /// work TransitionOptions::budget bounds.
  int64_t explored = 0;
};

/// Plans the walks of `walkers` among `standing` robots with `gait`'s step limits.
TransitionPlan PlanTransition(const std::vector<WalkRequest>& walkers,
                              const std::vector<StandingRobot>& standing, const GaitParams& gait,
                              const TransitionOptions& options = {});

/// The footstep planner for walking steps (walk_to, formation changes): the gait's
/// envelope (WalkStepLimits) in place of the dance steps' limits.
FootstepPlannerParams WalkPlannerParams(const GaitParams& gait);

/// Steps (a real number) an omnidirectional walk of (dx, dy) m (world) by a robot facing
/// `yaw` (rad) and turning evenly by `turn` (rad) on the way needs within the gait's
/// envelope (the walk itself needs one more step to close the feet).
double WalkSteps(double dx, double dy, double yaw, double turn, const GaitParams& gait,
                 double limit_margin = 0.95);

/// Steps (real, without the closing step) of the quickest way from pelvis `from` to
/// pelvis `to`: straight (omnidirectional), or turning to face the way (or away from it), walking
/// forward (backward) and turning to the final facing.
double QuickestWalkSteps(const Pose2& from, const Pose2& to, const GaitParams& gait,
                         double limit_margin = 0.95);

/// One robot's walk, alone on the stage, from `feet` to the pelvis pose `goal` within
/// `length` beats (steps every gait.walk.step_beats, `land` counting from the walk's
/// start, at the slowest pace that arrives at the end). Returns "" or why it cannot (the
/// beats it needs go to `needed` when given).
std::string PlanWalk(const Stance& feet, const Pose2& goal, Beats length, const GaitParams& gait,
                     std::vector<BeatStep>* steps, Beats* needed = nullptr);

/// How close two robots come.
struct Approach {
  double distance = std::numeric_limits<double>::infinity();  ///< m, least distance
  double beat = 0;  ///< beats (absolute), when
};

/// A robot's pelvis over the whole show in the linear model above: its position at
/// every landing, moving linearly during each step.
struct PelvisTrack {
  std::vector<double> beats;  ///< times of the knots (beats, absolute, increasing)
  std::vector<Pose2> pelvis;  ///< pelvis at each knot (size beats.size(), >= 1)
  /// Pelvis at `beat` (held before the first and after the last knot).
  Pose2 At(double beat) const;
};

/// Closest approach of two tracks (each moving linearly between its knots).
Approach ClosestApproach(const PelvisTrack& a, const PelvisTrack& b);

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_TRANSITION_H_
