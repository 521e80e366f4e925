// Run outputs: the JSON report, the trajectory CSV and the state and trajectory hashes.
#ifndef YANGBOT_SIM_RECORDING_H_
#define YANGBOT_SIM_RECORDING_H_

#include <mujoco/mujoco.h>

#include <cstddef>
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
/// health event that ended its dance), failed_robots, events (time, robot, kind, message),
/// robot_contacts (each bump between two robots: robots, start_time, end_time, peak_force_n,
/// impulse_ns), robot_collisions (their count) and the trajectory hash.
nlohmann::json MakeReport(const Scene& scene, const RunState& state, double wall_seconds);

/// SHA-256 of a byte string, as 64 lowercase hex digits (OpenSSL's EVP digest).
std::string Sha256Hex(const std::string& bytes);

/// A SHA-256 computed over bytes given piece by piece (OpenSSL's EVP streaming digest).
class Sha256 {
 public:
  /// An empty stream.
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  /// Appends `size` bytes at `bytes` to the stream.
  void Update(const void* bytes, size_t size);
  /// SHA-256 of everything appended so far, 64 lowercase hex digits; the stream goes on.
  std::string Hex() const;

 private:
  struct Context;
  Context* context_;
};

/// The trajectory fingerprint (`trajectory_sha256` of `yangbot run`): SHA-256 of the
/// states S_0 S_1 ... S_k, one per Add, back to back, where S_i is the raw bytes of
/// d.time, qpos (nq) and qvel (nv) as the machine stores them (IEEE-754 doubles,
/// little-endian on x86-64): 8 (1 + nq + nv) bytes a state. Any bit that differs in any
/// state changes it; the same binary, file, seed and options give the same hash, whatever
/// the thread count.
class TrajectoryHash {
 public:
  /// An empty trajectory of this model's states.
  explicit TrajectoryHash(const mjModel* m) : nq_(m->nq), nv_(m->nv) {}
  /// Appends the state in `d`.
  void Add(const mjData& d);
  /// SHA-256 of the states added so far, 64 lowercase hex digits.
  std::string Hex() const { return digest_.Hex(); }

 private:
  int nq_, nv_;
  Sha256 digest_;
};

/// SHA-256 over the raw bytes of qpos and qvel (the run's state fingerprint).
std::string StateHash(const mjModel* m, const mjData& d);

}  // namespace yangbot

#endif  // YANGBOT_SIM_RECORDING_H_
