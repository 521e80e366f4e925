#include "sim/runner.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <exception>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

#include "sim/error.h"

namespace yangbot {

namespace {

// The form each fault kind is written in (for error messages).
const char* FaultUsage(const std::string& kind) {
  if (kind == "dropout") return "dropout:ROBOT@TIME";
  if (kind == "push") return "push:ROBOT@TIME:FX,FY,FZ:DURATION";
  if (kind == "imu") return "imu:ROBOT@TIME:DURATION";
  if (kind == "motor") return "motor:ROBOT@TIME:JOINT:FRACTION";
  if (kind == "net") return "net:ROBOT@TIME:DURATION";
  if (kind == "clock") return "clock:ROBOT@TIME:PPM";
  return "dropout:ROBOT@TIME, push:ROBOT@TIME:FX,FY,FZ:DURATION, imu:ROBOT@TIME:DURATION, "
         "motor:ROBOT@TIME:JOINT:FRACTION, net:ROBOT@TIME:DURATION or clock:ROBOT@TIME:PPM";
}

}  // namespace

Fault ParseFault(const std::string& text) {
  std::string kind;
  auto fail = [&](const std::string& why) -> Fault {
    throw Error("error: bad --fault '" + text + "': " + why + " (expected " + FaultUsage(kind) +
                ")");
  };
  const size_t colon = text.find(':');
  if (colon == std::string::npos) return fail("missing ':' after the fault kind");
  kind = text.substr(0, colon);
  std::string rest = text.substr(colon + 1);
  Fault fault;
  if (kind == "dropout") {
    fault.kind = Fault::Kind::kDropout;
  } else if (kind == "push") {
    fault.kind = Fault::Kind::kPush;
  } else if (kind == "imu") {
    fault.kind = Fault::Kind::kImuFreeze;
  } else if (kind == "motor") {
    fault.kind = Fault::Kind::kWeakMotor;
  } else if (kind == "net") {
    fault.kind = Fault::Kind::kNetOutage;
  } else if (kind == "clock") {
    fault.kind = Fault::Kind::kClockDrift;
  } else {
    const std::string unknown = kind;
    kind.clear();
    return fail("unknown fault kind '" + unknown + "'");
  }
  // Strict number parsing: the whole token must be a finite number.
  auto number = [&](const std::string& token, const char* what) {
    size_t used = 0;
    double v = 0;
    try {
      v = std::stod(token, &used);
    } catch (...) {
      fail(std::string("bad ") + what + " '" + token + "'");
    }
    if (used != token.size() || !std::isfinite(v)) fail(std::string("bad ") + what + " '" + token + "'");
    return v;
  };
  auto duration = [&](const std::string& token) {
    const double v = number(token, "duration");
    if (v <= 0 || v > 1e4) fail("duration must be in (0, 1e4] s");
    return v;
  };
  const size_t at = rest.find('@');
  if (at == std::string::npos) return fail("missing '@TIME'");
  const std::string robot = rest.substr(0, at);
  if (robot.empty() || robot.size() > 3 ||
      !std::all_of(robot.begin(), robot.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return fail("bad robot index '" + robot + "' (robots are numbered from 0)");
  }
  fault.robot = std::stoi(robot);
  rest = rest.substr(at + 1);
  std::vector<std::string> parts;
  std::stringstream stream(rest);
  for (std::string part; std::getline(stream, part, ':');) parts.push_back(part);
  if (!rest.empty() && rest.back() == ':') parts.push_back("");
  if (parts.empty()) return fail("missing time");
  fault.time = number(parts[0], "time");
  if (fault.time < 0) return fail("time must be >= 0");
  switch (fault.kind) {
    case Fault::Kind::kDropout:
      if (parts.size() != 1) return fail("dropout takes only a time");
      return fault;
    case Fault::Kind::kImuFreeze:
      if (parts.size() != 2) return fail("imu needs a DURATION");
      fault.duration = duration(parts[1]);
      return fault;
    case Fault::Kind::kNetOutage:
      if (parts.size() != 2) return fail("net needs a DURATION");
      fault.duration = duration(parts[1]);
      return fault;
    case Fault::Kind::kClockDrift:
      if (parts.size() != 2) return fail("clock needs a PPM");
      fault.ppm = number(parts[1], "ppm");
      if (std::abs(fault.ppm) > 1e5) return fail("PPM must be within ±1e5");
      return fault;
    case Fault::Kind::kWeakMotor: {
      if (parts.size() != 3) return fail("motor needs a JOINT and a FRACTION");
      fault.joint = parts[1];
      if (fault.joint.empty()) return fail("missing JOINT (a motor name, e.g. left_knee)");
      fault.fraction = number(parts[2], "fraction");
      if (fault.fraction < 0 || fault.fraction > 1) return fail("FRACTION must be in [0, 1]");
      return fault;
    }
    case Fault::Kind::kPush:
      break;
  }
  if (parts.size() != 3) return fail("push needs FX,FY,FZ and DURATION");
  std::vector<std::string> components;
  std::stringstream forces(parts[1]);
  for (std::string part; std::getline(forces, part, ',');) components.push_back(part);
  if (components.size() != 3) return fail("force needs three components");
  for (int k = 0; k < 3; ++k) {
    fault.force[k] = number(components[k], "force");
    if (std::abs(fault.force[k]) > 1e5) return fail("force beyond 1e5 N");
  }
  fault.duration = duration(parts[2]);
  return fault;
}

void CheckFault(const Scene& scene, const Fault& fault) {
  if (fault.robot < 0 || fault.robot >= scene.robot_count()) {
    throw Error("error: fault names robot " + std::to_string(fault.robot) + " but the stage has " +
                std::to_string(scene.robot_count()) + " robots (0 to " +
                std::to_string(scene.robot_count() - 1) + ")");
  }
  const RobotInfo& info = scene.robot_info();
  if (fault.kind == Fault::Kind::kWeakMotor &&
      RobotInfo::IndexOf(info.actuator_names, fault.joint) < 0) {
    std::string motors;
    for (const auto& name : info.actuator_names) motors += (motors.empty() ? "" : ", ") + name;
    throw Error("error: motor fault names '" + fault.joint + "' but the robot's motors are " +
                motors);
  }
  if (fault.kind == Fault::Kind::kImuFreeze && info.imu_sensors.empty()) {
    throw Error(info.path + ": error: an imu fault needs an IMU: sensors on a site named 'imu'");
  }
}

// A fixed set of worker threads that, with the caller, run the items of one job
// (`ForEach`) and return when all are done. Items are claimed one at a time from a shared
// counter, so a worker the OS is slow to wake costs only the items it did not take: the
// caller goes on claiming. A claim carries the job's number, so a worker that wakes late
// can never take an item of a later job.
class ControllerThreads {
 public:
  explicit ControllerThreads(int threads) {
    for (int i = 1; i < threads; ++i) workers_.emplace_back([this] { Work(); });
  }
  ~ControllerThreads() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    for (std::thread& worker : workers_) worker.join();
  }
  ControllerThreads(const ControllerThreads&) = delete;
  ControllerThreads& operator=(const ControllerThreads&) = delete;

  // Threads in all, the caller's included.
  int size() const { return static_cast<int>(workers_.size()) + 1; }

  // Calls item(i) for every i in [0, count) on the caller and the workers; rethrows the
  // first exception an item threw once every item has finished.
  void ForEach(int count, const std::function<void(int)>& item) {
    if (count <= 0) return;
    uint32_t job;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job = ++job_;
      item_ = &item;
      count_ = count;
      remaining_.store(count);
      next_.store(static_cast<uint64_t>(job) << 32);
    }
    wake_.notify_all();
    RunItems(job, count, item);
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [&] { return remaining_.load() == 0; });
    item_ = nullptr;
    if (error_) {
      std::exception_ptr error = error_;
      error_ = nullptr;
      std::rethrow_exception(error);
    }
  }

 private:
  // Claims and runs items of job `job` until none are left.
  void RunItems(uint32_t job, int count, const std::function<void(int)>& item) {
    uint64_t claim = next_.load();
    while (true) {
      if (static_cast<uint32_t>(claim >> 32) != job ||
          static_cast<int>(claim & 0xffffffffu) >= count) {
        return;
      }
      if (!next_.compare_exchange_weak(claim, claim + 1)) continue;
      try {
        item(static_cast<int>(claim & 0xffffffffu));
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!error_) error_ = std::current_exception();
      }
      if (remaining_.fetch_sub(1) == 1) {
        std::lock_guard<std::mutex> lock(mutex_);
        done_.notify_all();
      }
      claim = next_.load();
    }
  }

  void Work() {
    uint32_t seen = 0;
    while (true) {
      const std::function<void(int)>* item;
      int count;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return stop_ || (job_ != seen && item_ != nullptr); });
        if (stop_) return;
        seen = job_;
        item = item_;
        count = count_;
      }
      RunItems(seen, count, *item);
    }
  }

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  bool stop_ = false;                          // guarded by mutex_
  uint32_t job_ = 0;                           // guarded by mutex_: number of the current job
  const std::function<void(int)>* item_ = nullptr;  // guarded by mutex_; null between jobs
  int count_ = 0;                              // guarded by mutex_
  std::exception_ptr error_;                   // guarded by mutex_
  std::atomic<uint64_t> next_{0};              // job number << 32 | next unclaimed item
  std::atomic<int> remaining_{0};              // items of the current job not yet finished
};

RunState::~RunState() {
  if (data) mj_deleteData(data);
}

std::unique_ptr<RunState> RunState::Clone(const Scene& scene) const {
  auto copy = std::make_unique<RunState>();
  copy->data = mj_makeData(scene.model());
  mj_copyData(copy->data, scene.model(), data);
  for (const auto& c : controllers) copy->controllers.push_back(c->Clone());
  copy->faults = faults;
  copy->throws = throws;
  copy->throw_log = throw_log;
  copy->fault_progress = fault_progress;
  copy->powered = powered;
  copy->health = health;
  copy->metrics = metrics;
  copy->seed = seed;
  copy->steps = steps;
  if (hook) copy->hook = hook->Clone();
  return copy;
}

namespace {

std::string Number(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.3g", v);
  return buffer;
}

// Stage joint owning qpos address `adr` (or dof `adr` when `dof` is set), with the entry's
// index inside the joint for free and ball joints: "r01/floating_base[2]", "r01/left_knee".
std::string EntryName(const mjModel* m, int adr, bool dof) {
  for (int j = 0; j < m->njnt; ++j) {
    const int begin = dof ? m->jnt_dofadr[j] : m->jnt_qposadr[j];
    const int type = m->jnt_type[j];
    const int size = type == mjJNT_FREE ? (dof ? 6 : 7)
                     : type == mjJNT_BALL ? (dof ? 3 : 4)
                                           : 1;
    if (adr < begin || adr >= begin + size) continue;
    const char* name = mj_id2name(m, mjOBJ_JOINT, j);
    std::string out = name ? name : "joint " + std::to_string(j);
    if (size > 1) out += "[" + std::to_string(adr - begin) + "]";
    return out;
  }
  return "entry " + std::to_string(adr);
}

// Robot owning stage body `body`, -1 for the world and the flying handkerchiefs.
int RobotOfBody(const Scene& scene, int body) {
  const int robot = body >= 1 ? (body - 1) / scene.robot_info().nbody : -1;
  return robot < scene.robot_count() ? robot : -1;  // flying handkerchiefs come last
}

// Puts a failed robot back at its last healthy pose, at rest and unpowered.
void HoldStill(const Scene& scene, RunState* state, int robot) {
  const RobotInfo& info = scene.robot_info();
  const RobotIndex& r = scene.robot(robot);
  mjData* d = state->data;
  const std::vector<mjtNum>& pose = state->health[robot].last_good_qpos;
  std::copy(pose.begin(), pose.end(), d->qpos + r.qpos_begin);
  std::fill(d->qvel + r.dof_begin, d->qvel + r.dof_begin + info.nv, 0.0);
  // Its forces too, so that a bad number found mid-step goes no further (the constraint
  // solver couples all robots, and mj_Euler integrates qfrc_smooth + qfrc_constraint).
  for (mjtNum* v : {d->qacc, d->qacc_smooth, d->qfrc_smooth, d->qfrc_constraint}) {
    std::fill(v + r.dof_begin, v + r.dof_begin + info.nv, 0.0);
  }
  std::fill(d->qacc_warmstart + r.dof_begin, d->qacc_warmstart + r.dof_begin + info.nv, 0.0);
  std::fill(d->ctrl + r.ctrl_begin, d->ctrl + r.ctrl_begin + info.nu, 0.0);
}

// Ends robot `robot`'s dance: reports why, powers it down and holds it still.
void FailRobot(const Scene& scene, RunState* state, int robot, const std::string& kind,
               const std::string& why) {
  RobotHealth& health = state->health[robot];
  if (health.failed) return;
  health.failed = true;
  health.failure = kind;
  state->powered[robot] = false;
  state->metrics.events.push_back(
      {state->data->time, robot, kind,
       why + "; its dance ends: powered down and held at its last healthy pose"});
  HoldStill(scene, state, robot);
}

// The per-robot qpos/qvel check (see runner.h). Healthy robots' poses are remembered.
void CheckState(const Scene& scene, RunState* state) {
  const mjModel* m = scene.model();
  const RobotInfo& info = scene.robot_info();
  mjData* d = state->data;
  for (int i = 0; i < scene.robot_count(); ++i) {
    if (state->health[i].failed) {
      HoldStill(scene, state, i);
      continue;
    }
    const RobotIndex& r = scene.robot(i);
    const mjtNum* q = d->qpos + r.qpos_begin;
    const mjtNum* v = d->qvel + r.dof_begin;
    // Branch-free; NaN fails every comparison.
    bool healthy = true;
    for (int k = 0; k < info.nq; ++k) healthy &= std::abs(q[k]) <= mjMAXVAL;
    for (int k = 0; k < info.nv; ++k) healthy &= std::abs(v[k]) <= kMaxHealthySpeed;
    if (healthy) {
      std::copy(q, q + info.nq, state->health[i].last_good_qpos.begin());
      continue;
    }
    // Rare path: name the first bad entry.
    for (int k = 0; k < info.nq; ++k) {
      if (!(std::abs(q[k]) <= mjMAXVAL)) {
        FailRobot(scene, state, i, std::isfinite(q[k]) ? "diverged" : "bad_state",
                  "qpos of " + EntryName(m, r.qpos_begin + k, false) + " is " + Number(q[k]));
        break;
      }
    }
    for (int k = 0; k < info.nv && !state->health[i].failed; ++k) {
      if (!(std::abs(v[k]) <= kMaxHealthySpeed)) {
        FailRobot(scene, state, i, std::isfinite(v[k]) ? "diverged" : "bad_state",
                  "qvel of " + EntryName(m, r.dof_begin + k, true) + " is " + Number(v[k]) +
                      (std::isfinite(v[k]) ? " (beyond " + Number(kMaxHealthySpeed) +
                                                 "): the simulation diverged"
                                           : ""));
      }
    }
  }
}

// Fails the robots whose accelerations (`qacc`: d->qacc_smooth before the constraint
// solver, d->qacc after it) MuJoCo's mj_checkAcc would reset the stage for.
void CheckAcceleration(const Scene& scene, RunState* state, const mjtNum* qacc) {
  const RobotInfo& info = scene.robot_info();
  for (int i = 0; i < scene.robot_count(); ++i) {
    if (state->health[i].failed) continue;
    const mjtNum* a = qacc + scene.robot(i).dof_begin;
    bool healthy = true;
    for (int k = 0; k < info.nv; ++k) healthy &= std::abs(a[k]) <= mjMAXVAL;
    if (healthy) continue;
    for (int k = 0; k < info.nv; ++k) {
      if (!(std::abs(a[k]) <= mjMAXVAL)) {
        FailRobot(scene, state, i, "bad_qacc",
                  "qacc of " + EntryName(scene.model(), scene.robot(i).dof_begin + k, true) +
                      " is " + Number(a[k]));
        break;
      }
    }
  }
}

// Attributes the MuJoCo warnings raised during this step (counts above `before`) to robots.
void CheckWarnings(const Scene& scene, RunState* state, const int before[mjNWARNING]) {
  const mjModel* m = scene.model();
  const mjData* d = state->data;
  const RobotInfo& info = scene.robot_info();
  const int n = scene.robot_count();
  for (int w = 0; w < mjNWARNING; ++w) {
    if (d->warning[w].number == before[w] || w == mjWARN_VGEOMFULL) continue;  // visual only
    const int info_index = d->warning[w].lastinfo;
    switch (w) {
      case mjWARN_CONTACTFULL:
      case mjWARN_CNSTRFULL: {
        // Contacts are dropped once the memory is full: blame the robots that lost contacts
        // (no constraint rows), else the robot holding the most contacts.
        std::vector<int> contacts(n, 0), dropped(n, 0);
        for (int c = 0; c < d->ncon; ++c) {
          const mjContact& con = d->contact[c];
          int robot = RobotOfBody(scene, m->geom_bodyid[con.geom1]);
          if (robot < 0) robot = RobotOfBody(scene, m->geom_bodyid[con.geom2]);
          if (robot < 0) continue;
          ++contacts[robot];
          dropped[robot] += w == mjWARN_CNSTRFULL && !con.exclude && con.efc_address < 0;
        }
        const bool any_dropped = std::any_of(dropped.begin(), dropped.end(), [](int k) { return k > 0; });
        const std::vector<int>& blame = any_dropped ? dropped : contacts;
        const int worst = static_cast<int>(std::max_element(blame.begin(), blame.end()) - blame.begin());
        const bool contact = w == mjWARN_CONTACTFULL;
        for (int i = 0; i < n; ++i) {
          if (blame[i] == 0 || (!any_dropped && i != worst)) continue;
          FailRobot(scene, state, i, contact ? "contact_overflow" : "constraint_overflow",
                    std::string("the stage's ") +
                        (contact ? "contact memory (nconmax " + std::to_string(m->nconmax)
                                 : "constraint memory (njmax " + std::to_string(m->njmax)) +
                        ") is full; this robot holds " + std::to_string(contacts[i]) + " of " +
                        std::to_string(d->ncon) + " contacts" +
                        (any_dropped ? ", " + std::to_string(dropped[i]) + " of them dropped" : ""));
        }
        break;
      }
      case mjWARN_INERTIA:
        if (info_index >= 0 && info_index < m->nv) {
          FailRobot(scene, state, info_index / info.nv, "singular_inertia",
                    "the mass matrix is singular at " + EntryName(m, info_index, true));
        }
        break;
      case mjWARN_BADQPOS:
      case mjWARN_BADQVEL:
      case mjWARN_BADQACC:
      case mjWARN_BADCTRL: {
        // CheckState/CheckAcceleration and the ctrl clamp catch these first; if MuJoCo still
        // saw one it has reset the stage, which must not pass silently either.
        const int size = w == mjWARN_BADQPOS ? info.nq : w == mjWARN_BADCTRL ? info.nu : info.nv;
        const int robot = info_index >= 0 && size > 0 ? info_index / size : -1;
        if (robot >= 0 && robot < n) {
          FailRobot(scene, state, robot, "bad_state",
                    std::string("MuJoCo: ") + mju_warningText(w, info_index));
        } else {
          state->metrics.events.push_back({d->time, -1, "mujoco_warning",
                                           std::string("MuJoCo: ") + mju_warningText(w, info_index)});
        }
        break;
      }
      default:
        state->metrics.events.push_back({d->time, -1, "mujoco_warning",
                                         std::string("MuJoCo: ") + mju_warningText(w, info_index)});
    }
  }
}

// The stage addresses of robot `robot`'s IMU readings, in RobotInfo::imu_sensors order.
template <typename F>
void ForEachImuValue(const Scene& scene, int robot, F&& f) {
  const mjModel* m = scene.model();
  for (int local : scene.robot_info().imu_sensors) {
    const int id = scene.robot(robot).sensor_begin + local;
    for (int k = 0; k < m->sensor_dim[id]; ++k) f(m->sensor_adr[id] + k);
  }
}

bool Active(const Fault& f, double time) { return time >= f.time && time < f.time + f.duration; }

// Starts the faults whose time has come and applies pushes, dropouts and frozen IMUs.
void ApplyFaults(const Scene& scene, RunState* state) {
  const mjModel* m = scene.model();
  mjData* d = state->data;
  const RobotInfo& info = scene.robot_info();
  // Forces are cleared every step so only active pushes act.
  mju_zero(d->xfrc_applied, 6 * m->nbody);
  if (state->fault_progress.size() < state->faults.size()) {
    state->fault_progress.resize(state->faults.size());  // faults added during the run
  }
  for (size_t k = 0; k < state->faults.size(); ++k) {
    const Fault& f = state->faults[k];
    FaultProgress& progress = state->fault_progress[k];
    if (d->time < f.time) continue;
    if (!progress.started) {
      progress.started = true;
      std::string kind, message;
      switch (f.kind) {
        case Fault::Kind::kDropout:
          kind = "dropout";
          message = "dropped out: powered down";
          break;
        case Fault::Kind::kPush:
          kind = "push";
          message = "pushed with (" + Number(f.force[0]) + ", " + Number(f.force[1]) + ", " +
                    Number(f.force[2]) + ") N for " + Number(f.duration) + " s";
          break;
        case Fault::Kind::kImuFreeze:
          kind = "imu_freeze";
          message = "IMU readings frozen for " + Number(f.duration) + " s";
          ForEachImuValue(scene, f.robot,
                          [&](int adr) { progress.held_readings.push_back(d->sensordata[adr]); });
          break;
        case Fault::Kind::kWeakMotor:
          kind = "weak_motor";
          progress.actuator = RobotInfo::IndexOf(info.actuator_names, f.joint);
          message = "motor '" + f.joint + "' limited to " + Number(100 * f.fraction) +
                    "% of its torque" +
                    (progress.actuator < 0 ? " (no such motor: fault ignored)" : "");
          break;
        case Fault::Kind::kNetOutage:  // acts on the links (sim/clock_sync.h)
          kind = "net_outage";
          message = "network link down for " + Number(f.duration) + " s";
          break;
        case Fault::Kind::kClockDrift:
          kind = "clock_drift";
          message = "clock runs " + Number(f.ppm) + " ppm fast from now on";
          break;
      }
      state->metrics.events.push_back({d->time, f.robot, kind, message});
    }
    if (f.kind == Fault::Kind::kDropout) state->powered[f.robot] = false;
    if (f.kind == Fault::Kind::kPush && Active(f, d->time)) {
      const int body = scene.robot(f.robot).body_begin + info.torso_body;
      // Applied at the body's centre of mass (xfrc_applied acts at xipos).
      for (int c = 0; c < 3; ++c) d->xfrc_applied[6 * body + c] += f.force[c];
    }
  }
}

// Overwrites the IMU readings of robots under an active imu fault with the held values.
void HoldImuReadings(const Scene& scene, RunState* state) {
  for (size_t k = 0; k < state->faults.size(); ++k) {
    const Fault& f = state->faults[k];
    const FaultProgress& progress = state->fault_progress[k];
    if (f.kind != Fault::Kind::kImuFreeze || !progress.started || !Active(f, state->data->time)) {
      continue;
    }
    size_t next = 0;
    ForEachImuValue(scene, f.robot, [&](int adr) {
      if (next < progress.held_readings.size()) state->data->sensordata[adr] = progress.held_readings[next++];
    });
  }
}

// Clamps the commands of weakened motors to their reduced torque limits.
void LimitWeakMotors(const Scene& scene, RunState* state) {
  const RobotInfo& info = scene.robot_info();
  for (size_t k = 0; k < state->faults.size(); ++k) {
    const Fault& f = state->faults[k];
    const int a = state->fault_progress[k].actuator;
    if (f.kind != Fault::Kind::kWeakMotor || !state->fault_progress[k].started || a < 0) continue;
    double& ctrl = state->data->ctrl[scene.robot(f.robot).ctrl_begin + a];
    ctrl = std::clamp(ctrl, f.fraction * info.ctrl_min[a], f.fraction * info.ctrl_max[a]);
  }
}

}  // namespace

std::unique_ptr<RunState> StartRun(const Scene& scene, const ControllerFactory& factory,
                                   uint64_t seed, std::vector<Fault> faults, double noise) {
  const mjModel* m = scene.model();
  for (const Fault& f : faults) CheckFault(scene, f);
  auto state = std::make_unique<RunState>();
  state->data = mj_makeData(m);
  state->seed = seed;
  state->faults = std::move(faults);
  state->fault_progress.resize(state->faults.size());
  state->powered.assign(scene.robot_count(), true);
  mjData* d = state->data;
  mj_resetDataKeyframe(m, d, scene.stand_key());
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> uniform(-noise, noise);
  const RobotInfo& info = scene.robot_info();
  for (int i = 0; i < scene.robot_count(); ++i) {
    for (int a = 0; a < info.nu; ++a) {
      d->qpos[scene.robot(i).qpos_begin + info.actuator_qpos[a]] += uniform(rng);
    }
  }
  mj_forward(m, d);
  state->health.resize(scene.robot_count());
  for (int i = 0; i < scene.robot_count(); ++i) {
    const mjtNum* q = d->qpos + scene.robot(i).qpos_begin;
    state->health[i].last_good_qpos.assign(q, q + info.nq);
  }
  for (int i = 0; i < scene.robot_count(); ++i) state->controllers.push_back(factory(scene, i));
  state->metrics.robots.resize(scene.robot_count());
  return state;
}

namespace {

// Adds the time since the last mark to a part of a StepProfile (nothing without one).
class StepClock {
 public:
  explicit StepClock(StepProfile* profile) : profile_(profile) {
    if (profile_) last_ = std::chrono::steady_clock::now();
  }
  // Adds the time since the previous mark to `part` of the profile.
  void Mark(int64_t StepProfile::*part) {
    if (!profile_) return;
    const auto now = std::chrono::steady_clock::now();
    profile_->*part += std::chrono::duration_cast<std::chrono::nanoseconds>(now - last_).count();
    last_ = now;
  }

 private:
  StepProfile* profile_;
  std::chrono::steady_clock::time_point last_;
};

// Robot i's controller writes its ctrl block, clamped to ctrlrange (NaN -> 0); an
// unpowered robot gets zero torque. Touches robot i's ctrl block and controller only.
void ComputeControl(const Scene& scene, RunState* state, int i) {
  const RobotInfo& info = scene.robot_info();
  double* ctrl = state->data->ctrl + scene.robot(i).ctrl_begin;
  if (!state->powered[i]) {
    std::fill(ctrl, ctrl + info.nu, 0.0);
    return;
  }
  state->controllers[i]->Compute(scene, i, *state->data, ctrl);
  for (int a = 0; a < info.nu; ++a) {
    ctrl[a] = std::isfinite(ctrl[a]) ? std::clamp(ctrl[a], info.ctrl_min[a], info.ctrl_max[a])
                                     : 0.0;
  }
}

}  // namespace

void Step(const Scene& scene, RunState* state) {
  const mjModel* m = scene.model();
  mjData* d = state->data;
  StepClock clock(state->profile);
  // Before MuJoCo's own checks, which would reset the whole stage (see runner.h).
  CheckState(scene, state);
  int warnings[mjNWARNING];
  for (int w = 0; w < mjNWARNING; ++w) warnings[w] = d->warning[w].number;
  const int warnings_before = CountWarnings(*d);
  clock.Mark(&StepProfile::runner_ns);
  mj_step1(m, d);
  clock.Mark(&StepProfile::physics_ns);
  ApplyFaults(scene, state);
  ApplyHankyDrag(scene, d);
  HoldImuReadings(scene, state);
  clock.Mark(&StepProfile::runner_ns);
  if (state->threads && scene.robot_count() > 1) {
    state->threads->ForEach(scene.robot_count(), [&](int i) { ComputeControl(scene, state, i); });
  } else {
    for (int i = 0; i < scene.robot_count(); ++i) ComputeControl(scene, state, i);
  }
  clock.Mark(&StepProfile::controllers_ns);
  LimitWeakMotors(scene, state);
  ControlHankies(scene, state->throws, d);
  clock.Mark(&StepProfile::runner_ns);
  // mj_step2 without mj_checkAcc (it resets the whole stage on one robot's bad qacc). The
  // stage always uses the Euler integrator (robot files' <option> is not copied), so this
  // is exactly mj_step2 otherwise.
  mj_fwdActuation(m, d);
  mj_fwdAcceleration(m, d);
  clock.Mark(&StepProfile::physics_ns);
  CheckAcceleration(scene, state, d->qacc_smooth);  // before the solver couples the robots
  clock.Mark(&StepProfile::runner_ns);
  mj_fwdConstraint(m, d);
  mj_sensorAcc(m, d);
  clock.Mark(&StepProfile::physics_ns);
  HoldImuReadings(scene, state);
  CheckAcceleration(scene, state, d->qacc);
  clock.Mark(&StepProfile::runner_ns);
  mj_Euler(m, d);
  clock.Mark(&StepProfile::physics_ns);
  ++state->steps;
  CheckWarnings(scene, state, warnings);
  CheckState(scene, state);
  clock.Mark(&StepProfile::runner_ns);
  UpdateMetrics(scene, *d, warnings_before, &state->metrics);
  UpdateHankyThrowLog(scene, state->throws, *d, &state->throw_log);
  clock.Mark(&StepProfile::metrics_ns);
  if (state->hook) {
    state->hook->AfterStep(scene, state);
    clock.Mark(&StepProfile::hook_ns);
  }
  if (state->profile) ++state->profile->steps;
}

void SetThreads(RunState* state, int threads) {
  if (threads <= 0) threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (threads == Threads(*state)) return;
  state->threads.reset();
  if (threads > 1) state->threads = std::make_unique<ControllerThreads>(threads);
}

int Threads(const RunState& state) { return state.threads ? state.threads->size() : 1; }

void RunUntil(const Scene& scene, RunState* state, double t_end,
              const std::function<void(const RunState&)>& progress) {
  const double dt = scene.model()->opt.timestep;
  double next_report = state->data->time + 1.0;
  while (state->data->time < t_end - 0.5 * dt) {
    Step(scene, state);
    if (progress && state->data->time >= next_report) {
      progress(*state);
      next_report += 1.0;
    }
  }
}

int FailedRobots(const RunState& state) {
  return static_cast<int>(std::count_if(state.health.begin(), state.health.end(),
                                        [](const RobotHealth& h) { return h.failed; }));
}

}  // namespace yangbot
