// How well the simulated troupe dances its show: the simulated state (never the
// controller's intentions) compared with the compiled references and the schedule.
// Issue 5's report metrics, each a root mean square over the samples defined below; a
// metric with no samples (e.g. no formation change in the show) is absent (JSON null).
//
// Robots count only while they are active (powered and not fallen): a fallen or
// switched-off robot is an event, not a dancer, and stops contributing from then on.
//
// - formation_error_m_rms: at the end of every formation change (every walk_to cue,
//   at the first physics step at or after the cue's last beat), the horizontal distance
//   between the robot's pelvis (root body) and its slot (the cue's target x, y), m.
//   The pelvis, not the feet: slots are pelvis placements, and the compiled feet sit
//   GaitParams::foot_forward (7 cm) ahead of the pelvis while the stand posture puts the
//   soles 2.5 cm ahead, so a feet-based measure would read 4.5 cm on a perfect robot.
// - sync_error_deg_rms: sampled every `sample_period`. Robots doing the same move at the
//   same time (a cue with the same move, start beat, length, parameters and mirror flag)
//   form a group; for every joint of the limbs that cue drives (legs: hip, knee, ankle;
//   waist: torso; arms: shoulders, elbows; not the handkerchiefs), each robot's
//   deviation from the group's mean angle is one sample, deg. Groups of one robot add
//   nothing. Canon robots (delayed starts) are in different groups by design.
// - spin_phase_error_deg_rms: sampled every `sample_period`, for every handkerchief
//   whose reference is spinning: the spinner joint angle minus the reference phase,
//   wrapped to [-180, 180), deg.
// - beat_timing_error_ms_rms: for every planned touch-down (the schedule's steps land on
//   beats), the first contact onset of that foot with anything (robots touch only the
//   floor) within half a step duration of the planned time, minus the planned time, ms.
//   An onset's time is that of the state the contact was found in: after a physics step,
//   one timestep before d.time (mj_step1 finds contacts before the integration).
//   Planned touch-downs with no onset in their window are counted in
//   touchdowns_missed instead; touch-downs whose window is not over by the end of the
//   run (or by the time the robot stopped being active) are not counted at all.
#ifndef YANGBOT_CHOREOGRAPHY_SHOW_METRICS_H_
#define YANGBOT_CHOREOGRAPHY_SHOW_METRICS_H_

#include <mujoco/mujoco.h>

#include <array>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "choreography/schedule.h"
#include "choreography/show_compiler.h"
#include "sim/scene.h"

namespace yangbot {

/// Root mean square of values added one at a time.
class RmsAccumulator {
 public:
  /// Adds one sample.
  void Add(double value) {
    sum_squares_ += value * value;
    ++count_;
  }
  /// Samples added.
  int64_t count() const { return count_; }
  /// sqrt(mean of squares); nullopt when no sample was added.
  std::optional<double> Rms() const;

 private:
  double sum_squares_ = 0;
  int64_t count_ = 0;
};

/// Deviation of every value from the mean of all of them (same order, same size).
std::vector<double> DeviationsFromMean(const std::vector<double>& values);

/// Matches planned touch-downs of one foot to measured contact onsets (both s, ascending):
/// planned touch-down k's measurement is the first onset in [planned[k] - half_window[k],
/// planned[k] + half_window[k]]; nullopt when there is none. Returns one entry per planned
/// touch-down.
std::vector<std::optional<double>> MatchTouchdowns(const std::vector<double>& planned,
                                                   const std::vector<double>& half_window,
                                                   const std::vector<double>& onsets);

/// Settings of the measurement.
struct ShowMetricsOptions {
  double sample_period = 0.02;  ///< s, sampling of sync and spin phase (50 Hz)
};

/// One robot's share of the show metrics (null = no samples).
struct RobotShowMetrics {
  std::optional<double> formation_error_m_rms;     ///< m
  std::optional<double> sync_error_deg_rms;        ///< deg
  std::optional<double> spin_phase_error_deg_rms;  ///< deg
  std::optional<double> beat_timing_error_ms_rms;  ///< ms
  int touchdowns_planned = 0;  ///< planned touch-downs whose window ended while it was active
  int touchdowns_missed = 0;   ///< of those, how many had no contact onset in their window
};

/// The show metrics of a run (see the file comment for definitions).
struct ShowMetricsResult {
  std::optional<double> formation_error_m_rms;     ///< m
  std::optional<double> sync_error_deg_rms;        ///< deg
  std::optional<double> spin_phase_error_deg_rms;  ///< deg
  std::optional<double> beat_timing_error_ms_rms;  ///< ms
  int touchdowns_planned = 0;                      ///< all robots
  int touchdowns_missed = 0;                       ///< all robots
  std::vector<RobotShowMetrics> robots;            ///< one per robot
};

/// Names of the top-level report numbers ShowMetricsJson writes (thresholds may use them).
std::vector<std::string> ShowMetricNames();

/// The result as report fields: the top-level metrics, and "per_robot": one object per
/// robot with the same names.
nlohmann::json ShowMetricsJson(const ShowMetricsResult& result);

/// Measures a run of a compiled show, one physics step at a time.
class ShowMetrics {
 public:
  /// `show` is compiled from `schedule` (both are read here, its references kept); the
  /// scene must outlive this; the scene's robot i dances schedule.robots[i]. Throws Error
  /// when the robot lacks the feet or spinners' names controllers need (RobotLayout).
  ShowMetrics(const Scene& scene, const Schedule& schedule, const CompiledShow& show,
              const ShowMetricsOptions& options = {});

  /// Measures the state after a step (call once before the first step too): d's contacts
  /// are those of the state one timestep before d.time, as mj_step leaves them. `active`
  /// (size robot count): robot i is powered and has not fallen.
  void Update(const mjData& d, const std::vector<bool>& active);

  /// The metrics so far; touch-downs are judged up to `end_time` (s, the run's end).
  ShowMetricsResult Result(double end_time) const;

  /// Measures against `schedule` from `from` (s) on: formation changes ending, moves and
  /// touch-downs from then on come from it (a re-planned show, ShowSupervisor), those
  /// before from the plan followed so far; handkerchief phases from `references` (the
  /// references the robots now follow, e.g. spliced ones; empty: unchanged). Robots
  /// beyond schedule.robots keep their plan.
  void FollowSchedule(const Schedule& schedule, double from,
                      std::vector<std::shared_ptr<const ReferenceSource>> references = {});

 private:
  struct Cue {
    double start = 0, end = 0;  // s
    int key = 0;                // same key = same move at the same time
    LimbSet limbs = 0;
  };
  struct RobotData {
    std::vector<Cue> cues;                          // by start
    std::vector<std::array<double, 3>> formations;  // end (s), slot x, y (m); by end
    size_t next_formation = 0;                      // first end not yet measured
    std::vector<double> planned[2];                 // s, touch-downs per foot
    std::vector<double> half_window[2];             // s
    std::vector<double> onsets[2];                  // s, measured contact onsets per foot
    bool in_contact[2] = {false, false};
    double inactive_since = std::numeric_limits<double>::infinity();  // s
    RmsAccumulator formation, sync, spin;
  };
  void Sample(const mjData& d, const std::vector<bool>& active);
  // Adds schedule.robots[i]'s formation changes, moves and touch-downs ending (moves:
  // lasting) after `from` to robot i's data, the moves clipped to start at from.
  void AddPlan(const Schedule& schedule, double from);

  const Scene& scene_;
  std::vector<std::shared_ptr<const ReferenceSource>> references_;  // per robot
  ShowMetricsOptions options_;
  std::vector<RobotData> robots_;
  std::vector<int> foot_of_body_;  // global body id -> robot * 2 + foot, or -1
  std::vector<int> limb_qpos_[3];  // local qpos of legs, waist, arms joints
  int hanky_qpos_[2] = {-1, -1};   // local qpos of the spinners
  double next_sample_ = 0;         // s
  std::map<std::string, int> cue_keys_;  // CueKey -> key of Cue
  bool started_ = false;
  RmsAccumulator formation_, sync_, spin_;
};

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_SHOW_METRICS_H_
