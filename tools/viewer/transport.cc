#include "tools/viewer/transport.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "sim/error.h"

namespace yangbot {
namespace {

std::vector<mjtNum> CopyOf(const mjtNum* values, int count) {
  return std::vector<mjtNum>(values, values + count);
}

void CopyTo(const std::vector<mjtNum>& values, mjtNum* out) {
  std::copy(values.begin(), values.end(), out);
}

}  // namespace

RunSnapshot RunSnapshot::Capture(const Scene& scene, const RunState& state) {
  const mjModel* m = scene.model();
  const mjData* d = state.data;
  RunSnapshot s;
  s.time_ = d->time;
  s.qpos_ = CopyOf(d->qpos, m->nq);
  s.qvel_ = CopyOf(d->qvel, m->nv);
  s.act_ = CopyOf(d->act, m->na);
  s.warmstart_ = CopyOf(d->qacc_warmstart, m->nv);
  s.ctrl_ = CopyOf(d->ctrl, m->nu);
  s.qfrc_applied_ = CopyOf(d->qfrc_applied, m->nv);
  s.xfrc_applied_ = CopyOf(d->xfrc_applied, 6 * m->nbody);
  s.mocap_pos_ = CopyOf(d->mocap_pos, 3 * m->nmocap);
  s.mocap_quat_ = CopyOf(d->mocap_quat, 4 * m->nmocap);
  s.userdata_ = CopyOf(d->userdata, m->nuserdata);
  s.warnings_.assign(d->warning, d->warning + mjNWARNING);
  for (const auto& c : state.controllers) s.controllers_.push_back(c->Clone());
  s.faults_ = state.faults;
  s.fault_progress_ = state.fault_progress;
  s.throws_ = state.throws;
  s.throw_log_ = state.throw_log;
  s.powered_ = state.powered;
  s.health_ = state.health;
  s.metrics_ = state.metrics;
  s.seed_ = state.seed;
  s.steps_ = state.steps;
  if (state.hook) s.hook_ = state.hook->Clone();
  return s;
}

void RunSnapshot::CopyInto(mjData* d) const {
  d->time = time_;
  CopyTo(qpos_, d->qpos);
  CopyTo(qvel_, d->qvel);
  CopyTo(act_, d->act);
  CopyTo(warmstart_, d->qacc_warmstart);
  CopyTo(ctrl_, d->ctrl);
  CopyTo(qfrc_applied_, d->qfrc_applied);
  CopyTo(xfrc_applied_, d->xfrc_applied);
  CopyTo(mocap_pos_, d->mocap_pos);
  CopyTo(mocap_quat_, d->mocap_quat);
  CopyTo(userdata_, d->userdata);
  std::copy(warnings_.begin(), warnings_.end(), d->warning);
}

void RunSnapshot::Restore(const Scene& scene, RunState* state) const {
  mjData* d = state->data;
  // mj_forward refreshes what the renderer and readouts show (positions, contacts), but it
  // also rewrites the solver warm start and may count warnings: copy the state again after.
  CopyInto(d);
  mj_forward(scene.model(), d);
  CopyInto(d);
  state->controllers.clear();
  for (const auto& c : controllers_) state->controllers.push_back(c->Clone());
  state->faults = faults_;
  // Faults the transport appended after the capture have not started yet.
  state->fault_progress = fault_progress_;
  state->fault_progress.resize(faults_.size());
  state->throws = throws_;
  state->throw_log = throw_log_;
  state->powered = powered_;
  // A robot that failed after the capture dances again (and one failed before stays held).
  state->health = health_;
  state->metrics = metrics_;
  state->seed = seed_;
  state->steps = steps_;
  state->hook = hook_ ? hook_->Clone() : nullptr;
}

Transport::Transport(const Scene& scene, const ControllerFactory& factory, uint64_t seed,
                     std::vector<Fault> faults, double snapshot_period,
                     const std::function<void(RunState*)>& setup)
    : scene_(scene), dt_(scene.model()->opt.timestep), initial_faults_(faults) {
  snapshot_every_ = std::max<int64_t>(1, std::llround(snapshot_period / dt_));
  state_ = StartRun(scene, factory, seed, std::move(faults));
  if (setup) setup(state_.get());
  snapshots_.emplace(0, RunSnapshot::Capture(scene_, *state_));
  mjv_defaultPerturb(&perturb_);
}

void Transport::Play() {
  if (!playing_) budget_ = 0;
  playing_ = true;
  pending_steps_ = 0;
}

void Transport::Pause() {
  playing_ = false;
  budget_ = 0;
}

void Transport::TogglePlay() {
  if (playing_) {
    Pause();
  } else {
    Play();
  }
}

void Transport::RequestStep() {
  if (!playing_ && !seeking()) pending_steps_ = std::min(pending_steps_ + 1, 1000);
}

void Transport::SetSpeed(double speed) {
  if (std::isnan(speed)) return;
  speed_ = std::isinf(speed) ? kAsFastAsPossible : std::clamp(speed, kMinSpeed, 1e3);
  budget_ = 0;
}

void Transport::AddWallTime(double wall_seconds) {
  if (!(wall_seconds > 0)) return;
  window_wall_ += wall_seconds;
  if (window_wall_ >= 0.5) {
    realtime_factor_ = window_sim_ / window_wall_;
    window_wall_ = window_sim_ = 0;
  }
  if (playing_ && !seeking() && !std::isinf(speed_)) {
    budget_ = std::min(budget_ + wall_seconds * speed_, kMaxLag);
  }
}

bool Transport::StepDue() const {
  if (seeking()) return state_->steps < seek_target_;
  if (!playing_) return pending_steps_ > 0;
  return std::isinf(speed_) || budget_ >= dt_ * (1 - 1e-6);
}

bool Transport::StepIfDue() {
  if (!StepDue()) return false;
  if (seeking()) {
    TakeStep(/*user=*/false);
    if (state_->steps >= seek_target_) seek_target_ = -1;
    return true;
  }
  if (playing_) {
    if (!std::isinf(speed_)) budget_ -= dt_;
  } else {
    --pending_steps_;
  }
  TakeStep(/*user=*/true);
  window_sim_ += dt_;
  return true;
}

int Transport::Update(double wall_seconds, int max_steps) {
  AddWallTime(wall_seconds);
  int taken = 0;
  while (taken < max_steps && StepIfDue()) ++taken;
  return taken;
}

void Transport::TakeStep(bool user) {
  const mjModel* m = scene_.model();
  mjData* d = state_->data;
  const int body = perturb_.select;
  const bool push = user && perturb_.active && body > 0 && body < m->nbody;
  if (push) {
    // runner.h's Step clears xfrc_applied after mj_step1 (only faults write it), so the
    // perturbation's force and torque at the body's centre of mass go in as the equivalent
    // generalised force, for this one step.
    mju_zero(d->xfrc_applied + 6 * body, 6);
    mjv_applyPerturbForce(m, d, &perturb_);
    mjtNum force[3], torque[3];
    mju_copy3(force, d->xfrc_applied + 6 * body);
    mju_copy3(torque, d->xfrc_applied + 6 * body + 3);
    mju_zero(d->xfrc_applied + 6 * body, 6);
    mju_zero(d->qfrc_applied, m->nv);
    mj_applyFT(m, d, force, torque, d->xipos + 3 * body, body, d->qfrc_applied);
    // The run leaves the recorded timeline: later snapshots no longer describe it.
    snapshots_.erase(snapshots_.upper_bound(state_->steps), snapshots_.end());
  }
  Step(scene_, state_.get());
  if (push) mju_zero(d->qfrc_applied, m->nv);
  horizon_steps_ = std::max(horizon_steps_, state_->steps);
  if (state_->steps % snapshot_every_ == 0 && !snapshots_.count(state_->steps)) {
    snapshots_.emplace(state_->steps, RunSnapshot::Capture(scene_, *state_));
  }
}

void Transport::Restart() {
  snapshots_.erase(snapshots_.upper_bound(0), snapshots_.end());
  RunSnapshot& start = snapshots_.at(0);
  *start.mutable_faults() = initial_faults_;
  start.Restore(scene_, state_.get());
  budget_ = 0;
  pending_steps_ = 0;
  seek_target_ = -1;
  horizon_steps_ = 0;
  perturb_.active = 0;
  window_wall_ = window_sim_ = 0;
  realtime_factor_ = 0;
}

void Transport::Seek(double time) {
  if (std::isnan(time)) return;
  const int64_t target = std::llround(std::clamp(time, 0.0, 1e6) / dt_);
  // The nearest known state at or before the target: a snapshot, or the run itself.
  auto it = std::prev(snapshots_.upper_bound(target));
  if (!(state_->steps <= target && state_->steps >= it->first)) {
    it->second.Restore(scene_, state_.get());
  }
  budget_ = 0;
  pending_steps_ = 0;
  seek_target_ = state_->steps < target ? target : -1;
}

double Transport::seek_target() const {
  return seeking() ? static_cast<double>(seek_target_) * dt_ : time();
}

void Transport::FinishSeek() {
  while (seeking()) StepIfDue();
}

void Transport::InjectFault(const Fault& fault) {
  if (fault.robot < 0 || fault.robot >= scene_.robot_count()) {
    throw Error("error: fault names robot " + std::to_string(fault.robot) + " but the stage has " +
                std::to_string(scene_.robot_count()) + " robots");
  }
  state_->faults.push_back(fault);
  snapshots_.erase(snapshots_.upper_bound(state_->steps), snapshots_.end());
  for (auto& [steps, snapshot] : snapshots_) snapshot.mutable_faults()->push_back(fault);
}

double Transport::horizon() const { return static_cast<double>(horizon_steps_) * dt_; }

std::vector<double> Transport::snapshot_times() const {
  std::vector<double> times;
  for (const auto& [steps, snapshot] : snapshots_) times.push_back(snapshot.time());
  return times;
}

}  // namespace yangbot
