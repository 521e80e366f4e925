// Run outputs: the JSON report and the trajectory CSV.
#ifndef YANGBOT_SIM_RECORDING_H_
#define YANGBOT_SIM_RECORDING_H_

#include <mujoco/mujoco.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/runner.h"
#include "sim/scene.h"

namespace yangbot {

/// Names of every qpos entry, in order: hinge/slide joints by name, free joints as
/// NAME_x, NAME_y, NAME_z, NAME_qw, NAME_qx, NAME_qy, NAME_qz (ball joints: the last four).
std::vector<std::string> QposNames(const mjModel* m);

/// Records the trajectory as CSV: a header ("time" then every qpos name) and one row
/// every `period` seconds of sim time (default 20 ms).
class TrajectoryRecorder {
 public:
  /// Starts a recording for this scene.
  explicit TrajectoryRecorder(const Scene& scene, double period = 0.02);
  /// Adds a row when at least `period` has passed since the last one (first call: always).
  void Sample(const mjData& d);
  /// The CSV text so far.
  const std::string& csv() const { return csv_; }

 private:
  int nq_;
  double period_;
  double next_time_ = -1;
  std::string csv_;
};

/// The run report: robots, sim_seconds, wall_seconds, realtime_factor, falls, fallen_robots,
/// min_separation_m, mujoco_warnings, per-robot details (failed, failure: the kind of the
/// health event that ended its dance), failed_robots, events (time, robot, kind, message)
/// and the trajectory hash.
nlohmann::json MakeReport(const Scene& scene, const RunState& state, double wall_seconds);

/// SHA-256 of a byte string, as 64 lowercase hex digits.
std::string Sha256Hex(const std::string& bytes);

/// SHA-256 over the raw bytes of qpos and qvel (the run's state fingerprint).
std::string StateHash(const mjModel* m, const mjData& d);

}  // namespace yangbot

#endif  // YANGBOT_SIM_RECORDING_H_
