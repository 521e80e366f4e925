// The fixed-step loop shared by the headless CLI and the viewer:
//   mj_step1 -> every robot's controller -> faults -> mj_step2 -> metrics.
// Scene is const; everything a run must remember is in RunState, so a run can be
// cloned (snapshots, seeking) and replayed bit for bit.
#ifndef YANGBOT_SIM_RUNNER_H_
#define YANGBOT_SIM_RUNNER_H_

#include <mujoco/mujoco.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/metrics.h"
#include "sim/scene.h"

namespace yangbot {

/// Per-robot control logic. Implementations live in controllers/; the runner only
/// calls them. A controller reads its own robot's block of mjData (see RobotIndex).
class RobotController {
 public:
  virtual ~RobotController() = default;
  /// Deep copy, memory included (for snapshots and replays).
  virtual std::unique_ptr<RobotController> Clone() const = 0;
  /// Motor torques (size robot_info().nu, N·m) for robot `robot` at d.time. `d` holds the
  /// results of mj_step1 (kinematics, velocities, qM, qfrc_bias) for the whole stage.
  virtual void Compute(const Scene& scene, int robot, const mjData& d, double* ctrl) = 0;
  /// Whether the controller has declared its robot fallen (it then relaxes its joints).
  virtual bool fallen() const { return false; }
};

/// Makes the controller of robot i.
using ControllerFactory = std::function<std::unique_ptr<RobotController>(const Scene&, int robot)>;

/// An injected fault: the only forces on robots besides gravity, contacts and motors
/// (and a viewer user's mouse push).
struct Fault {
  enum class Kind { kDropout, kPush };
  Kind kind = Kind::kPush;
  int robot = 0;                  ///< robot index
  double time = 0;                ///< s, start
  double duration = 0;            ///< s (push)
  double force[3] = {0, 0, 0};    ///< N, world frame, applied at the torso's centre of mass (push)
};

/// Parses "dropout:ROBOT@TIME" or "push:ROBOT@TIME:FX,FY,FZ:DURATION"; throws Error.
Fault ParseFault(const std::string& text);

/// Everything that changes during a run.
struct RunState {
  mjData* data = nullptr;                                   ///< owned
  std::vector<std::unique_ptr<RobotController>> controllers;  ///< one per robot
  std::vector<Fault> faults;                                ///< injected faults
  std::vector<bool> powered;                                ///< false once a robot drops out
  Metrics metrics;                                          ///< measured from the state
  uint64_t seed = 0;                                        ///< initial-posture noise seed
  int64_t steps = 0;                                        ///< physics steps taken

  RunState() = default;
  ~RunState();
  RunState(const RunState&) = delete;
  RunState& operator=(const RunState&) = delete;
  /// Deep copy (mjData, controllers, metrics) for snapshots.
  std::unique_ptr<RunState> Clone(const Scene& scene) const;
};

/// Starts a run: every robot in the "stand" posture (plus a small seeded joint-angle
/// noise, ±`noise` rad), one controller per robot from `factory`.
std::unique_ptr<RunState> StartRun(const Scene& scene, const ControllerFactory& factory,
                                   uint64_t seed, std::vector<Fault> faults = {},
                                   double noise = 0.002);

/// Advances the run by one physics step (scene.model()->opt.timestep seconds).
void Step(const Scene& scene, RunState* state);

/// Advances until d.time >= t_end; calls `progress` (if set) every ~1 s of sim time.
void RunUntil(const Scene& scene, RunState* state, double t_end,
              const std::function<void(const RunState&)>& progress = nullptr);

}  // namespace yangbot

#endif  // YANGBOT_SIM_RUNNER_H_
