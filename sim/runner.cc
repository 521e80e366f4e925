#include "sim/runner.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <sstream>

#include "sim/error.h"

namespace yangbot {

Fault ParseFault(const std::string& text) {
  auto fail = [&](const std::string& why) -> Fault {
    throw Error("error: bad --fault '" + text + "': " + why +
                " (expected dropout:ROBOT@TIME or push:ROBOT@TIME:FX,FY,FZ:DURATION)");
  };
  const size_t colon = text.find(':');
  if (colon == std::string::npos) return fail("missing ':' after the fault kind");
  const std::string kind = text.substr(0, colon);
  std::string rest = text.substr(colon + 1);
  Fault fault;
  if (kind == "dropout") {
    fault.kind = Fault::Kind::kDropout;
  } else if (kind == "push") {
    fault.kind = Fault::Kind::kPush;
  } else {
    return fail("unknown fault kind '" + kind + "'");
  }
  // Strict number parsing: the whole token must be a finite number.
  auto number = [&](const std::string& token, const char* what) {
    size_t used = 0;
    double v = 0;
    try {
      v = std::stod(token, &used);
    } catch (...) {
      fail(std::string("bad ") + what);
    }
    if (used != token.size() || !std::isfinite(v)) fail(std::string("bad ") + what);
    return v;
  };
  const size_t at = rest.find('@');
  if (at == std::string::npos) return fail("missing '@TIME'");
  const std::string robot = rest.substr(0, at);
  if (robot.empty() || robot.size() > 3 ||
      !std::all_of(robot.begin(), robot.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return fail("bad robot index");
  }
  fault.robot = std::stoi(robot);
  rest = rest.substr(at + 1);
  std::vector<std::string> parts;
  std::stringstream stream(rest);
  for (std::string part; std::getline(stream, part, ':');) parts.push_back(part);
  if (parts.empty()) return fail("missing time");
  fault.time = number(parts[0], "time");
  if (fault.time < 0) return fail("time must be >= 0");
  if (fault.kind == Fault::Kind::kDropout) {
    if (parts.size() != 1) return fail("dropout takes no force");
    return fault;
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
  fault.duration = number(parts[2], "duration");
  if (fault.duration <= 0 || fault.duration > 1e4) return fail("duration must be in (0, 1e4] s");
  return fault;
}

RunState::~RunState() {
  if (data) mj_deleteData(data);
}

std::unique_ptr<RunState> RunState::Clone(const Scene& scene) const {
  auto copy = std::make_unique<RunState>();
  copy->data = mj_makeData(scene.model());
  mj_copyData(copy->data, scene.model(), data);
  for (const auto& c : controllers) copy->controllers.push_back(c->Clone());
  copy->faults = faults;
  copy->powered = powered;
  copy->metrics = metrics;
  copy->seed = seed;
  copy->steps = steps;
  return copy;
}

std::unique_ptr<RunState> StartRun(const Scene& scene, const ControllerFactory& factory,
                                   uint64_t seed, std::vector<Fault> faults, double noise) {
  const mjModel* m = scene.model();
  for (const Fault& f : faults) {
    if (f.robot < 0 || f.robot >= scene.robot_count()) {
      throw Error("error: fault names robot " + std::to_string(f.robot) + " but the stage has " +
                  std::to_string(scene.robot_count()) + " robots");
    }
  }
  auto state = std::make_unique<RunState>();
  state->data = mj_makeData(m);
  state->seed = seed;
  state->faults = std::move(faults);
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
  for (int i = 0; i < scene.robot_count(); ++i) state->controllers.push_back(factory(scene, i));
  state->metrics.robots.resize(scene.robot_count());
  return state;
}

void Step(const Scene& scene, RunState* state) {
  const mjModel* m = scene.model();
  mjData* d = state->data;
  const RobotInfo& info = scene.robot_info();
  const int warnings_before = CountWarnings(*d);
  mj_step1(m, d);
  // Faults that start now; forces are cleared every step so only active pushes act.
  mju_zero(d->xfrc_applied, 6 * m->nbody);
  for (const Fault& f : state->faults) {
    if (f.kind == Fault::Kind::kDropout && d->time >= f.time) state->powered[f.robot] = false;
    if (f.kind == Fault::Kind::kPush && d->time >= f.time && d->time < f.time + f.duration) {
      const int body = scene.robot(f.robot).body_begin + info.torso_body;
      // Applied at the body's centre of mass (xfrc_applied acts at xipos).
      for (int k = 0; k < 3; ++k) d->xfrc_applied[6 * body + k] += f.force[k];
    }
  }
  for (int i = 0; i < scene.robot_count(); ++i) {
    double* ctrl = d->ctrl + scene.robot(i).ctrl_begin;
    if (state->powered[i]) {
      state->controllers[i]->Compute(scene, i, *d, ctrl);
      for (int a = 0; a < info.nu; ++a) {
        ctrl[a] = std::isfinite(ctrl[a]) ? std::clamp(ctrl[a], info.ctrl_min[a], info.ctrl_max[a])
                                         : 0.0;
      }
    } else {
      std::fill(ctrl, ctrl + info.nu, 0.0);
    }
  }
  mj_step2(m, d);
  ++state->steps;
  UpdateMetrics(scene, *d, warnings_before, &state->metrics);
}

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

}  // namespace yangbot
