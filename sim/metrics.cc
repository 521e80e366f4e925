#include "sim/metrics.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>
#include <vector>

namespace yangbot {

int Metrics::falls() const {
  return static_cast<int>(std::count_if(robots.begin(), robots.end(),
                                        [](const RobotMetrics& r) { return r.fallen; }));
}

double PelvisHeight(const Scene& scene, const mjData& d, int robot) {
  return d.xpos[3 * scene.robot(robot).body_begin + 2];
}

double TorsoTilt(const Scene& scene, const mjData& d, int robot) {
  const int body = scene.robot(robot).body_begin + scene.robot_info().torso_body;
  const double zz = std::clamp(d.xmat[9 * body + 8], -1.0, 1.0);  // body z axis . world z
  return std::acos(zz);
}

namespace {

// The robot that owns geom `g`, or -1 (the stage's geoms, flying handkerchiefs).
int GeomRobot(const Scene& scene, int g) {
  const int first = scene.robot(0).geom_begin;
  const int per_robot = scene.robot_info().ngeom;
  if (g < first || per_robot <= 0) return -1;
  const int robot = (g - first) / per_robot;
  return robot < scene.robot_count() ? robot : -1;
}

// Adds this step's contacts between robots to metrics->robot_contacts (and a "bump" event
// when two robots start touching).
void UpdateRobotContacts(const Scene& scene, const mjData& d, Metrics* metrics) {
  // Normal force summed per robot pair this step; bumps are rare, so a short list.
  struct PairForce {
    int a, b;
    double force;
  };
  std::vector<PairForce> touching;
  for (int c = 0; c < d.ncon; ++c) {
    const mjContact& contact = d.contact[c];
    int a = GeomRobot(scene, contact.geom1), b = GeomRobot(scene, contact.geom2);
    if (a < 0 || b < 0 || a == b || contact.efc_address < 0) continue;
    if (a > b) std::swap(a, b);
    mjtNum force[6];
    mj_contactForce(scene.model(), &d, c, force);  // force[0]: along the contact normal
    auto it = std::find_if(touching.begin(), touching.end(),
                           [&](const PairForce& p) { return p.a == a && p.b == b; });
    if (it == touching.end()) {
      touching.push_back({a, b, force[0]});
    } else {
      it->force += force[0];
    }
  }
  const double dt = scene.model()->opt.timestep;
  for (const PairForce& p : touching) {
    auto& bumps = metrics->robot_contacts;
    auto open = std::find_if(bumps.rbegin(), bumps.rend(), [&](const RobotContact& r) {
      return r.robot_a == p.a && r.robot_b == p.b && d.time - r.end_time < kBumpGap;
    });
    if (open == bumps.rend()) {
      bumps.push_back({p.a, p.b, d.time, d.time, 0, 0});
      char message[64];
      std::snprintf(message, sizeof(message), "touched robot %d", p.b);
      metrics->events.push_back({d.time, p.a, "bump", message});
      open = bumps.rbegin();
    }
    open->end_time = d.time;
    open->peak_force = std::max(open->peak_force, p.force);
    open->impulse += p.force * dt;
  }
}

}  // namespace

int CountWarnings(const mjData& d) {
  int total = 0;
  for (int i = 0; i < mjNWARNING; ++i) total += d.warning[i].number;
  return total;
}

void UpdateMetrics(const Scene& scene, const mjData& d, int warnings_before, Metrics* metrics) {
  const int n = scene.robot_count();
  const RobotInfo& info = scene.robot_info();
  metrics->robots.resize(n);
  ++metrics->steps;
  metrics->mujoco_warnings += std::max(0, CountWarnings(d) - warnings_before);
  for (int i = 0; i < n; ++i) {
    RobotMetrics& r = metrics->robots[i];
    const double height = PelvisHeight(scene, d, i);
    const double tilt = TorsoTilt(scene, d, i);
    r.min_pelvis_height = std::min(r.min_pelvis_height, height);
    r.max_tilt = std::max(r.max_tilt, tilt);
    if (!r.fallen && IsFallen(height, tilt)) {
      r.fallen = true;
      r.fall_time = d.time;
      char message[96];
      std::snprintf(message, sizeof(message), "fell: pelvis %.2f m high, torso tilted %.0f deg",
                    height, tilt * 180 / M_PI);
      metrics->events.push_back({d.time, i, "fall", message});
    }
    const int u0 = scene.robot(i).ctrl_begin;
    bool saturated = false;
    for (int a = 0; a < info.nu; ++a) {
      const double limit = std::max(std::abs(info.ctrl_min[a]), std::abs(info.ctrl_max[a]));
      const double ratio = limit > 0 ? std::abs(d.ctrl[u0 + a]) / limit : 0;
      r.max_torque_ratio = std::max(r.max_torque_ratio, ratio);
      saturated |= ratio >= 1.0 - 1e-9;
    }
    r.saturated_ticks += saturated;
  }
  for (int i = 0; i < n; ++i) {
    const double* pi = d.xpos + 3 * scene.robot(i).body_begin;
    for (int j = i + 1; j < n; ++j) {
      const double* pj = d.xpos + 3 * scene.robot(j).body_begin;
      const double distance = std::hypot(pi[0] - pj[0], pi[1] - pj[1]);
      if (distance < metrics->min_separation) {
        metrics->min_separation = distance;
        metrics->min_separation_time = d.time;
      }
    }
  }
  if (n > 1) UpdateRobotContacts(scene, d, metrics);
}

}  // namespace yangbot
