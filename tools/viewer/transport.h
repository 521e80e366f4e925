// The viewer's transport: play/pause, single steps, speed, restart and seeking, with a
// history of snapshots every 2 s of sim time (a seek restores the nearest earlier one and
// re-simulates). Plain single-threaded code, no GL and no locks: the viewer's physics
// thread drives it under the session mutex (session.h), and tests drive it directly.
#ifndef YANGBOT_TOOLS_VIEWER_TRANSPORT_H_
#define YANGBOT_TOOLS_VIEWER_TRANSPORT_H_

#include <mujoco/mujoco.h>

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <vector>

#include "sim/runner.h"
#include "sim/scene.h"

namespace yangbot {

/// What a run needs to continue bit for bit: mjData's state (time, qpos, qvel, act, solver
/// warm start, inputs, warning counters) plus the rest of RunState (controllers with their
/// memory, faults and their progress, power, robots' health, metrics, the handkerchief
/// throws and which are seated again, a copy of the run's
/// hook: the show's supervisor, so a seek replays it as the run first went). Unlike
/// RunState::Clone it leaves out mjData's scratch memory, which MuJoCo 2.2.2 sizes from
/// njmax (about 1.7 GB for 16 robots).
class RunSnapshot {
 public:
  RunSnapshot() = default;
  RunSnapshot(RunSnapshot&&) = default;
  RunSnapshot& operator=(RunSnapshot&&) = default;

  /// Captures `state`.
  static RunSnapshot Capture(const Scene& scene, const RunState& state);
  /// Makes `state` continue exactly as the captured run would (its mjData is reused).
  void Restore(const Scene& scene, RunState* state) const;
  /// Physics steps taken when captured.
  int64_t steps() const { return steps_; }
  /// Sim time when captured (s).
  double time() const { return time_; }
  /// Faults of the captured run (the transport appends faults injected later).
  std::vector<Fault>* mutable_faults() { return &faults_; }

 private:
  void CopyInto(mjData* d) const;
  double time_ = 0;
  std::vector<mjtNum> qpos_, qvel_, act_, warmstart_, ctrl_, qfrc_applied_, xfrc_applied_;
  std::vector<mjtNum> mocap_pos_, mocap_quat_, userdata_;
  std::vector<mjWarningStat> warnings_;
  std::vector<std::unique_ptr<RobotController>> controllers_;
  std::vector<Fault> faults_;
  std::vector<FaultProgress> fault_progress_;
  std::vector<HankyThrow> throws_;
  HankyThrowLog throw_log_;
  std::vector<bool> powered_;
  std::vector<RobotHealth> health_;
  Metrics metrics_;
  uint64_t seed_ = 0;
  int64_t steps_ = 0;
  std::unique_ptr<StepHook> hook_;
};

/// Play state, speed, stepping and seeking of one run.
///
/// Real time comes in through AddWallTime (scaled by the speed into a budget of steps);
/// StepIfDue takes one step when the budget, a requested single step or a seek calls for
/// it. Seek(t) restores the nearest snapshot at or before t (or keeps the current state when
/// that is nearer) and then steps to t through StepIfDue, so the physics thread can release
/// its lock between steps; FinishSeek does it all at once.
class Transport {
 public:
  /// Speed meaning "as fast as the computer can step".
  static constexpr double kAsFastAsPossible = std::numeric_limits<double>::infinity();
  /// Slowest speed (times real time).
  static constexpr double kMinSpeed = 0.01;
  /// Most sim time (s) the budget may owe real time; beyond it the run falls behind.
  static constexpr double kMaxLag = 0.1;
  /// Sim time between snapshots (s) unless told otherwise.
  static constexpr double kSnapshotPeriod = 2.0;

  /// Starts the run (StartRun), paused at time 0. `scene` must outlive the transport.
  /// `setup` (may be null) completes the new run before it is first captured (e.g.
  /// SuperviseShow, choreography/supervisor.h: the run's hook).
  Transport(const Scene& scene, const ControllerFactory& factory, uint64_t seed,
            std::vector<Fault> faults = {}, double snapshot_period = kSnapshotPeriod,
            const std::function<void(RunState*)>& setup = nullptr);

  /// The stage.
  const Scene& scene() const { return scene_; }
  /// The run now.
  const RunState& state() const { return *state_; }
  /// The run now, for readers that need a non-const mjData (mjv_updateScene).
  RunState* mutable_state() { return state_.get(); }
  /// Sim time now (s).
  double time() const { return state_->data->time; }
  /// Physics steps taken now.
  int64_t steps() const { return state_->steps; }

  /// Whether real time moves the run.
  bool playing() const { return playing_; }
  /// Starts playing.
  void Play();
  /// Pauses: no step is due until Play or RequestStep.
  void Pause();
  /// Play <-> pause.
  void TogglePlay();
  /// When paused, asks for exactly one more physics step (ignored while playing or seeking).
  void RequestStep();
  /// Speed, times real time (kAsFastAsPossible: no real-time limit).
  double speed() const { return speed_; }
  /// Sets the speed, clamped to [kMinSpeed, 1e3] or kAsFastAsPossible.
  void SetSpeed(double speed);

  /// Real time passed (s): adds speed x wall_seconds of sim time to the step budget
  /// (while playing) and feeds the real-time factor.
  void AddWallTime(double wall_seconds);
  /// Whether StepIfDue would take a step now.
  bool StepDue() const;
  /// Takes one physics step if one is due (see class comment); returns whether it did.
  bool StepIfDue();
  /// AddWallTime, then StepIfDue up to max_steps times; returns the steps taken.
  int Update(double wall_seconds, int max_steps = std::numeric_limits<int>::max());

  /// Back to time 0 with only the faults given at construction; keeps play state and speed.
  void Restart();
  /// Moves the run to sim time `time` (s, rounded to a whole step, >= 0); see class comment.
  void Seek(double time);
  /// Whether a seek is still stepping towards its target.
  bool seeking() const { return seek_target_ >= 0; }
  /// Sim time the current seek goes to (s); the current time when not seeking.
  double seek_target() const;
  /// Steps until the current seek (if any) is done.
  void FinishSeek();

  /// Appends a fault to the run (RunState::faults) and to every earlier snapshot, so a seek
  /// back and forth replays it; snapshots after the current time are dropped. Throws Error
  /// on a bad robot index.
  void InjectFault(const Fault& fault);

  /// The user's mouse perturbation (mjv_initPerturb / mjv_movePerturb edit it). While
  /// active on a robot body, playing and single steps apply mjv_applyPerturbForce's force
  /// for that step; seeks never do. Snapshots after such a step are dropped.
  mjvPerturb* mutable_perturb() { return &perturb_; }
  /// The user's mouse perturbation.
  const mjvPerturb& perturb() const { return perturb_; }

  /// Measured sim seconds per real second over the last ~0.5 s (0 when paused).
  double realtime_factor() const { return realtime_factor_; }
  /// Furthest sim time reached since the last restart (s): the end of a seek slider.
  double horizon() const;
  /// Number of snapshots kept.
  int snapshot_count() const { return static_cast<int>(snapshots_.size()); }
  /// Sim times of the snapshots kept (s), ascending.
  std::vector<double> snapshot_times() const;

 private:
  void TakeStep(bool user);
  const Scene& scene_;
  double dt_;
  int64_t snapshot_every_;  // steps between snapshots
  std::unique_ptr<RunState> state_;
  std::vector<Fault> initial_faults_;
  std::map<int64_t, RunSnapshot> snapshots_;  // by step count; step 0 always present
  bool playing_ = false;
  double speed_ = 1;
  double budget_ = 0;         // sim seconds owed to real time
  int pending_steps_ = 0;     // single steps requested while paused
  int64_t seek_target_ = -1;  // step count; -1: not seeking
  int64_t horizon_steps_ = 0;
  mjvPerturb perturb_;
  double window_wall_ = 0, window_sim_ = 0;  // real-time factor window
  double realtime_factor_ = 0;
};

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_VIEWER_TRANSPORT_H_
