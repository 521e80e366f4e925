// Show metrics, computed from the simulated state every step (never from references).
#ifndef YANGBOT_SIM_METRICS_H_
#define YANGBOT_SIM_METRICS_H_

#include <mujoco/mujoco.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sim/scene.h"

namespace yangbot {

/// A robot counts as fallen when its pelvis drops below this height (m)...
constexpr double kFallPelvisHeight = 0.5;
/// ...or its torso tilts beyond this angle from upright (rad, 60°).
constexpr double kFallTiltAngle = 60.0 * 3.14159265358979323846 / 180.0;

/// Per-robot measurements.
struct RobotMetrics {
  bool fallen = false;                 ///< ever fell
  double fall_time = -1;               ///< s, first time it fell (-1: never)
  double min_pelvis_height = std::numeric_limits<double>::infinity();  ///< m
  double max_tilt = 0;                 ///< rad, largest torso tilt seen
  int64_t saturated_ticks = 0;         ///< steps with any motor command at its torque limit
  double max_torque_ratio = 0;         ///< largest |ctrl| / limit seen
};

/// Something that happened during a run (the report's "events", in time order).
struct RunEvent {
  double time = 0;      ///< s
  int robot = -1;       ///< robot index; -1: the stage as a whole
  std::string kind;     ///< "fall", "dropout", "push", "imu_freeze", "weak_motor", or a health
                        ///< failure: "bad_state", "diverged", "bad_qacc", "contact_overflow",
                        ///< "constraint_overflow", "singular_inertia", "mujoco_warning"; a
                        ///< show's supervisor adds "reflow", "reflow_failed", "recovery",
                        ///< "caught_up"
  std::string message;  ///< what happened, for people
};

/// Whole-run measurements.
struct Metrics {
  std::vector<RobotMetrics> robots;                                   ///< one per robot
  double min_separation = std::numeric_limits<double>::infinity();   ///< m, pelvis to pelvis, in the plane
  double min_separation_time = 0;                                    ///< s, when it happened
  int mujoco_warnings = 0;                                           ///< MuJoCo warnings raised
  int64_t steps = 0;                                                 ///< steps measured
  std::vector<RunEvent> events;                                      ///< in time order

  /// Number of robots that fell.
  int falls() const;
};

/// Height of robot i's pelvis (root body), m.
double PelvisHeight(const Scene& scene, const mjData& d, int robot);
/// Tilt of robot i's torso from upright (rad); the body "torso_link" or else the root.
double TorsoTilt(const Scene& scene, const mjData& d, int robot);

/// Updates `metrics` from the state after a step. `warnings_before` is the sum of
/// d.warning[].number before the step.
void UpdateMetrics(const Scene& scene, const mjData& d, int warnings_before, Metrics* metrics);

/// Sum of all MuJoCo warning counters in d.
int CountWarnings(const mjData& d);

}  // namespace yangbot

#endif  // YANGBOT_SIM_METRICS_H_
