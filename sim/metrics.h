// Show metrics, computed from the simulated state every step (never from references).
#ifndef YANGBOT_SIM_METRICS_H_
#define YANGBOT_SIM_METRICS_H_

#include <mujoco/mujoco.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "sim/fall.h"
#include "sim/scene.h"

namespace yangbot {

/// Two robots touching (a bump), from simulated contacts between their geoms: it starts at
/// the first step they touch and goes on while they touch again within kBumpGap.
struct RobotContact {
  int robot_a = -1;          ///< the lower robot index
  int robot_b = -1;          ///< the higher robot index
  double start_time = 0;     ///< s, first step in contact
  double end_time = 0;       ///< s, last step in contact
  double peak_force = 0;     ///< N, largest sum of the normal forces between them in one step
  double impulse = 0;        ///< N·s, those normal forces summed over the steps in contact
};

/// Contacts between two robots less than this apart in time (s) belong to one bump.
inline constexpr double kBumpGap = 0.2;

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
                        ///< "constraint_overflow", "singular_inertia", "mujoco_warning",
                        ///< "bump" (robot touched another: RobotContact); a
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
  std::vector<RobotContact> robot_contacts;                          ///< bumps, by start time

  /// Number of robots that fell.
  int falls() const;
};

/// Height of robot i's pelvis (root body), m.
double PelvisHeight(const Scene& scene, const mjData& d, int robot);
/// Tilt of robot i's torso from upright (rad); the body "torso_link" or else the root.
double TorsoTilt(const Scene& scene, const mjData& d, int robot);

/// Updates `metrics` from the state after a step (falls, saturation, separation, contacts
/// between robots). `warnings_before` is the sum of d.warning[].number before the step.
void UpdateMetrics(const Scene& scene, const mjData& d, int warnings_before, Metrics* metrics);

/// Sum of all MuJoCo warning counters in d.
int CountWarnings(const mjData& d);

}  // namespace yangbot

#endif  // YANGBOT_SIM_METRICS_H_
