// The fixed-step loop shared by the headless CLI and the viewer:
//   mj_step1 -> faults -> every robot's controller -> motor faults -> mj_step2 -> metrics.
// Scene is const; everything a run must remember is in RunState, so a run can be
// cloned (snapshots, seeking) and replayed bit for bit.
//
// Simulation health. A robot whose simulation goes wrong ends its dance; the others go on.
// - What counts as wrong, checked every step for every robot on its own blocks of mjData:
//   a qpos entry that is not finite or beyond 1e10 (MuJoCo's own limit), a qvel entry not
//   finite or beyond kMaxHealthySpeed (the simulation diverged: nothing on a robot moves at
//   1000 m/s or rad/s), a qacc entry not finite or beyond 1e10, and the MuJoCo warnings
//   (contact or constraint buffer full, singular inertia, bad numbers), each attributed to
//   a robot: the one whose dof it names, or for a full buffer the robots whose contacts
//   were dropped, else the one holding the most contacts.
// - Why per robot, and before MuJoCo looks: MuJoCo 2.2.2's mj_checkPos/mj_checkVel
//   (start of mj_step1) and mj_checkAcc (in mj_step2) answer one bad number anywhere
//   with mj_resetData on the WHOLE stage. So Step checks qpos/qvel itself before
//   mj_step1 (state edited between steps: viewer, tests) and after integrating, and runs
//   mj_step2's stages itself (mj_fwdActuation, mj_fwdAcceleration, own check of
//   qacc_smooth, mj_fwdConstraint, mj_sensorAcc, own check of qacc, mj_Euler), leaving out
//   mj_checkAcc. The qacc_smooth check matters: the constraint solver couples all robots
//   (dense factorisations, one line search), so a NaN reaching it would spread to every
//   robot; a robot failed there has its forces zeroed first. Otherwise the robots are
//   separate kinematic trees: a bad number stays in its robot's block of the
//   block-diagonal mass matrix.
// - What happens: the robot is marked failed (RobotHealth::failed), powered down, and held
//   still at its last healthy pose (qpos restored, qvel and warm start zeroed) before and
//   after every step, so it stays on stage as an obstacle with finite state. One RunEvent
//   (time, robot, kind, message) says why. Nothing is thrown: the process and the other
//   robots go on. Failed robots' contacts still count against the stage's contact memory.
// - Cost: a few comparisons per dof and step (about 1 µs for 16 robots), a copy of each
//   healthy robot's qpos block per step.
//
// Threads. The controllers may run on several threads (SetThreads): between mj_step1 and
// mj_step2 mjData is read-only, each controller writes only its own robot's ctrl block
// and its own memory, so the robots are independent work items. Which thread computes
// which robot changes no number: a run gives the same state bit for bit with any count.
#ifndef YANGBOT_SIM_RUNNER_H_
#define YANGBOT_SIM_RUNNER_H_

#include <mujoco/mujoco.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/handkerchief_throw.h"
#include "sim/throw_metrics.h"
#include "sim/metrics.h"
#include "sim/scene.h"

namespace yangbot {

/// A qvel entry beyond this (m/s or rad/s) means the simulation diverged.
constexpr double kMaxHealthySpeed = 1000;

class ReferenceFollower;  // controllers/reference_follower.h
struct RunState;

/// Per-robot control logic. Implementations live in controllers/; the runner only
/// calls them. A controller reads its own robot's block of mjData (see RobotIndex).
/// Compute may run on any thread, concurrently with other robots' controllers: it must
/// write only `ctrl` and the controller's own members (no globals, no shared caches).
class RobotController {
 public:
  virtual ~RobotController() = default;
  /// Deep copy, memory included (for snapshots and replays).
  virtual std::unique_ptr<RobotController> Clone() const = 0;
  /// Motor torques (size robot_info().nu, N·m) for robot `robot` at d.time. `d` holds the
  /// results of mj_step1 (kinematics, velocities, qM, qfrc_bias, sensors) for the whole stage.
  virtual void Compute(const Scene& scene, int robot, const mjData& d, double* ctrl) = 0;
  /// Whether the controller has declared its robot fallen (it then relaxes its joints).
  virtual bool fallen() const { return false; }
  /// The controller as a follower of a planned motion (controllers/reference_follower.h:
  /// its plan swapped mid-run, its pose estimate, its recovery steps); null when it
  /// follows none.
  virtual ReferenceFollower* follower() { return nullptr; }
  /// The same, read-only.
  virtual const ReferenceFollower* follower() const { return nullptr; }
};

/// Acts on a run after every physics step, with memory of its own that is part of the
/// run (RunState::hook): the show's supervisor (choreography/supervisor.h), which re-plans
/// around robots that fall or drop out. A cloned or restored run carries a copy, so a
/// replay acts as the run first did.
class StepHook {
 public:
  virtual ~StepHook() = default;
  /// Called at the end of every Step, after the metrics.
  virtual void AfterStep(const Scene& scene, RunState* state) = 0;
  /// A copy with the same memory.
  virtual std::unique_ptr<StepHook> Clone() const = 0;
};

/// Makes the controller of robot i.
using ControllerFactory = std::function<std::unique_ptr<RobotController>(const Scene&, int robot)>;

/// An injected fault: the only forces on robots besides gravity, contacts and motors
/// (and a viewer user's mouse push), and the only sensor or motor defects.
struct Fault {
  enum class Kind {
    kDropout,    ///< the robot stops and is powered down for good
    kPush,       ///< a force on its torso for `duration`
    kImuFreeze,  ///< its IMU readings hold their values at `time` for `duration`
    kWeakMotor,  ///< motor `joint` keeps `fraction` of its torque limit from `time` on
    kNetOutage,  ///< its network link loses every message for `duration` (sim/clock_sync.h)
    kClockDrift,  ///< its clock runs `ppm` faster from `time` on (sim/clock_sync.h)
  };
  Kind kind = Kind::kPush;
  int robot = 0;                  ///< robot index
  double time = 0;                ///< s, start
  double duration = 0;            ///< s (push, imu)
  double force[3] = {0, 0, 0};    ///< N, world frame, applied at the torso's centre of mass (push)
  std::string joint;              ///< actuator name, e.g. "left_knee" (motor)
  double fraction = 1;            ///< share of the torque limit left, [0, 1] (motor)
  double ppm = 0;                 ///< ppm, extra clock rate, |ppm| <= 1e5 (clock)
};

/// Parses "dropout:ROBOT@TIME", "push:ROBOT@TIME:FX,FY,FZ:DURATION",
/// "imu:ROBOT@TIME:DURATION", "motor:ROBOT@TIME:JOINT:FRACTION", "net:ROBOT@TIME:DURATION"
/// or "clock:ROBOT@TIME:PPM"; throws Error.
Fault ParseFault(const std::string& text);

/// Checks a fault against the stage (robot index, motor name, IMU present); throws Error.
void CheckFault(const Scene& scene, const Fault& fault);

/// What the health checks remember about one robot.
struct RobotHealth {
  bool failed = false;                 ///< a health check ended its dance (held still, no power)
  std::string failure;                 ///< kind of the event that ended it ("diverged", ...)
  std::vector<mjtNum> last_good_qpos;  ///< its qpos block (size nq) when last healthy; held there once failed
};

/// What the runner remembers about one fault while it acts.
struct FaultProgress {
  bool started = false;               ///< its start time has come (event reported)
  int actuator = -1;                  ///< motor: local actuator index
  std::vector<mjtNum> held_readings;  ///< imu: the robot's IMU sensordata at the fault's start
};

/// Wall time spent in each part of Step, added up over the steps taken while
/// RunState::profile points at it (nanoseconds).
struct StepProfile {
  int64_t physics_ns = 0;      ///< mj_step1 and mj_step2's stages (MuJoCo)
  int64_t controllers_ns = 0;  ///< every robot's controller and its ctrl clamp (wall time)
  int64_t metrics_ns = 0;      ///< UpdateMetrics
  int64_t hook_ns = 0;         ///< RunState::hook's AfterStep (the show's supervisor)
  int64_t runner_ns = 0;       ///< health checks, faults, warnings: the rest of Step
  int64_t steps = 0;           ///< steps measured
};

class ControllerThreads;

/// Everything that changes during a run.
struct RunState {
  mjData* data = nullptr;                                   ///< owned
  std::vector<std::unique_ptr<RobotController>> controllers;  ///< one per robot
  std::vector<Fault> faults;                                ///< injected faults
  std::vector<HankyThrow> throws;  ///< planned handkerchief throws (throw-mode stages only)
  HankyThrowLog throw_log;         ///< which throws are seated again (sim/throw_metrics.h)
  std::vector<FaultProgress> fault_progress;                ///< one per fault (grown as faults are added)
  std::vector<bool> powered;                                ///< false once a robot drops out or fails
  std::vector<RobotHealth> health;                          ///< one per robot
  Metrics metrics;                                          ///< measured from the state, events included
  uint64_t seed = 0;                                        ///< initial-posture noise seed
  int64_t steps = 0;                                        ///< physics steps taken
  std::unique_ptr<StepHook> hook;  ///< acts after every step (null: nothing); cloned with the run
  StepProfile* profile = nullptr;  ///< not owned; when set, Step adds its timings (not cloned)
  std::unique_ptr<ControllerThreads> threads;  ///< SetThreads's workers; none: one thread (not cloned)

  RunState() = default;
  ~RunState();
  RunState(const RunState&) = delete;
  RunState& operator=(const RunState&) = delete;
  /// Deep copy (mjData, controllers, metrics) for snapshots; the copy runs on one thread
  /// and is not profiled.
  std::unique_ptr<RunState> Clone(const Scene& scene) const;
};

/// Starts a run: every robot in the "stand" posture (plus a small seeded joint-angle
/// noise, ±`noise` rad), one controller per robot from `factory`. Throws Error on a fault
/// that does not fit the stage (CheckFault).
std::unique_ptr<RunState> StartRun(const Scene& scene, const ControllerFactory& factory,
                                   uint64_t seed, std::vector<Fault> faults = {},
                                   double noise = 0.002);

/// Advances the run by one physics step (scene.model()->opt.timestep seconds), then lets
/// RunState::hook act.
void Step(const Scene& scene, RunState* state);

/// Runs the controllers of later Steps on `threads` threads: the caller's and threads - 1
/// workers (0: std::thread::hardware_concurrency()). 1 stops the workers. Results are
/// the same bit for bit with any count (see the top of this file).
void SetThreads(RunState* state, int threads);

/// Threads the controllers run on (1 without SetThreads).
int Threads(const RunState& state);

/// Advances until d.time >= t_end; calls `progress` (if set) every ~1 s of sim time.
void RunUntil(const Scene& scene, RunState* state, double t_end,
              const std::function<void(const RunState&)>& progress = nullptr);

/// Number of robots whose dance a health check ended.
int FailedRobots(const RunState& state);

}  // namespace yangbot

#endif  // YANGBOT_SIM_RUNNER_H_
