// One robot walking one plan of the line-foot gait (controllers/line_foot_gait.h) under
// full physics, measured the way the travel bar of issue 20 reads: falls, speed over the
// steady part of the walk, every touch-down against its beat, arrival against the plan's
// goal, how far the landings stray after a change of command, how fast the robot stops,
// and the motors' torques. The gait table (`yangbot gait`) and the walking tests run it.
//
// A walk is a path of segments, each planned from where the previous one ends and
// appended (FootstepPlan::Append), so the steps go on one a beat through each change of
// command, the feet alternating (a segment starts with the foot that did not take the
// previous one's last step). A segment with no travel is a turn in place (LineFootTurnInPlaceParams: the
// feet closer, smaller turns a step). Touch-downs are the onsets of contact between the floor and any collision
// geom of the foot's body (the ankle link), matched to the nearest planned touch-down of
// that foot within 0.2 s.
#ifndef YANGBOT_CONTROLLERS_GAIT_TRIAL_H_
#define YANGBOT_CONTROLLERS_GAIT_TRIAL_H_

#include <Eigen/Core>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "controllers/footstep_planner.h"
#include "controllers/line_foot_gait.h"
#include "controllers/whole_body_controller.h"
#include "sim/runner.h"

namespace yangbot {

/// One stretch of a walk, relative to the stance centre where it starts.
struct GaitSegment {
  double dx = 0;      ///< m, forward (the stance centre's frame)
  double dy = 0;      ///< m, to the left
  double dyaw = 0;    ///< rad, heading change (counter-clockwise)
  double radius = 0;  ///< m; > 0: an arc of this radius turning by dyaw (dx, dy unused)
};

/// What to walk and how.
struct GaitTrial {
  std::string robot_path;            ///< MJCF of the robot ("" = the default robot)
  std::vector<GaitSegment> path;     ///< walked in order, without stopping in between
  double bpm = 120;                  ///< tempo
  double steps_per_beat = 1;         ///< step rate
  double first_touchdown_beat = 4;   ///< beats of weight shift before the first landing
  bool dance = false;                ///< waist twist, arm swing and spinning handkerchiefs over the walk
  LineFootGait gait;                 ///< planner limits and pattern settings
  std::vector<Fault> faults;         ///< injected faults (pushes)
  /// s, each fault starts this much later per unit of the seed (seed i: time + i times
  /// this), so that a row's seeds are push variants (WalkingPushTrial).
  double fault_time_per_seed = 0;
  /// s the run goes on after the reference's end (a pushed robot walks back to its plan's
  /// goal after the plan stops)
  double run_after = 1.0;
  /// Controller settings (gains, landing law); the reference is the trial's walk.
  WholeBodyOptions controller;
  /// Called after every physics step with the state and the robot's controller (probes).
  std::function<void(const mjModel&, const mjData&, const WholeBodyController&)> on_step;
};

/// What a trial measured.
struct GaitTrialResult {
  bool fallen = false;
  double fall_time = -1;             ///< s, when the controller declared the fall (-1: none)
  Eigen::Vector2d moved = Eigen::Vector2d::Zero();  ///< m, stance centre, start to end
  double yaw = 0;                    ///< rad, pelvis heading at the end (unwrapped)
  double position_error = 0;         ///< m, stance centre at the end against the plan's goal
  double heading_error = 0;          ///< rad, pelvis heading at the end against the goal's
  int steps = 0;                     ///< planned steps
  int touchdowns = 0;                ///< planned touch-downs matched by a contact onset
  double touchdown_rms = 0;          ///< s, RMS of (onset - planned touch-down), matched ones
  double worst_touchdown_error = 0;  ///< s, largest |onset - planned touch-down|
  double last_touchdown_time = 0;    ///< s, the plan's last touch-down (the arrival beat)
  double walk_time = 0;              ///< s, first lift-off to last touch-down
  double speed = 0;                  ///< m/s, pelvis travel over walk_time (start and stop included)
  /// m/s, pelvis travel from the third planned touch-down to the fourth-last (the steady
  /// part of a walk of at least 8 steps, before the stop's preview slows it; else the
  /// whole walk) over its time.
  double sustained_speed = 0;
  double sustained_yaw_rate = 0;     ///< rad/s, see sustained_speed
  /// m, largest distance of a landed sole from its planned landing, counting steps from
  /// the third of each segment after the first (how far the walk strays 2 steps after a
  /// change of command); 0 for one-segment walks.
  double settle_offset = 0;
  double stop_speed = 0;             ///< m/s, horizontal CoM speed one step period after the last touch-down
  double final_com_speed = 0;        ///< m/s, horizontal CoM speed at the end
  int64_t saturated_ticks = 0;       ///< control ticks with a motor at its torque limit
  double max_torque_ratio = 0;       ///< largest |torque| / limit
  int qp_failures = 0;               ///< ticks the QP failed
};

/// The plan of `trial` from the stance `start`, timed (touch-downs on the beat; beat 0 at
/// `start_time`, s); `segment_starts` (optional) gets the index of each segment's first
/// step. Throws yangbot::Error when a segment cannot be planned.
FootstepPlan PlanGaitTrial(const GaitTrial& trial, const Stance& start, double start_time,
                           std::vector<int>* segment_starts = nullptr);

/// The bar's push while walking (issue 20): 3 m forward at 0.5 m/s (one 0.25 m step a
/// beat at 120 bpm) on robot `robot_path` ("" = the default robot), 150 N for 0.2 s
/// (30 N·s) on the torso in the direction (dx, dy) (world, normalised) at 4.0 s plus 0.05 s
/// per unit of the seed (seed i is push variant i: 1-10 sweep a step's phases).
GaitTrial WalkingPushTrial(const std::string& robot_path, double dx, double dy);

/// Walks `trial` with start noise `seed` to the plan's end plus run_after (or the fall) and
/// measures it. Throws yangbot::Error on a bad robot file or plan.
GaitTrialResult RunGaitTrial(const GaitTrial& trial, uint64_t seed);

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_GAIT_TRIAL_H_
