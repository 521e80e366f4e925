#include "sim/handkerchief_throw.h"

#include <algorithm>
#include <cmath>

namespace yangbot {
namespace {

constexpr double kGravity = 9.81;     // m/s²
constexpr double kFlightStep = 0.002; // s, the planner's integration step
constexpr double kLaunchTime = 0.1;   // s after release in which the latch stays open
constexpr double kStroke = 0.05;      // m, the ejector's stroke
// Winch gains on the tether's length against the planned flight (N/m, N·s/m): 30 g
// follows at about 3 Hz, well inside the 2 N the motor gives.
constexpr double kWinchKp = 10;
constexpr double kWinchKd = 1;

// The latest throw of robot `robot`'s hand `side` released by `time`, or nullptr.
const HankyThrow* ActiveThrow(const std::vector<HankyThrow>& throws, int robot, int side,
                              double time) {
  const HankyThrow* active = nullptr;
  for (const HankyThrow& t : throws) {
    if (t.robot != robot || t.side != side || t.release > time) continue;
    if (!active || t.release > active->release) active = &t;
  }
  return active;
}

// Integrates a vertical flight launched at `speed` for `tau` s, pulled down by `tension` N
// once falling: returns the height, puts the rate in `rate` and the apex in `apex` (apex,
// apex_time) when not null.
double Fly(double speed, double tau, double tension_n, double* rate, HankyFlight* apex) {
  const double beta = kHankyDrag / kHankyMass;  // 1/m
  double z = 0, v = speed;
  for (double t = 0; t < tau; t += kFlightStep) {
    const double h = std::min(kFlightStep, tau - t);
    const double tension = v < 0 ? tension_n / kHankyMass : 0;  // the winch, falling
    v += (-kGravity - beta * std::abs(v) * v - tension) * h;
    z += v * h;
    if (apex && z > apex->apex) {
      apex->apex = z;
      apex->apex_time = t + h;
    }
  }
  if (rate) *rate = v;
  return z;
}

// PlanHankyFlight, remembered for the last few throw shapes (the firmware asks every step).
HankyFlight RememberedPlan(double duration, double apex) {
  struct Entry {
    double duration, apex;
    HankyFlight flight;
  };
  thread_local std::vector<Entry> memo;
  for (const Entry& e : memo) {
    if (e.duration == duration && e.apex == apex) return e.flight;
  }
  if (memo.size() >= 16) memo.erase(memo.begin());
  memo.push_back({duration, apex, PlanHankyFlight(duration, apex)});
  return memo.back().flight;
}

}  // namespace

double HankyFlightHeight(double speed, double tau, double* rate, double tension) {
  return Fly(speed, tau, tension, rate, nullptr);
}

HankyFlight PlanHankyFlight(double duration, double apex) {
  HankyFlight out;
  if (!(duration > 0)) return out;
  if (apex > 0) {
    // The apex grows with the launch speed (no tension on the way up) ...
    double lo = 0, hi = 30;
    for (int k = 0; k < 40; ++k) {
      const double mid = 0.5 * (lo + hi);
      HankyFlight f;
      Fly(mid, 2 * mid / 9.81 + 0.1, 0, nullptr, &f);
      (f.apex < apex ? lo : hi) = mid;
    }
    out.speed = 0.5 * (lo + hi);
    // ... and the height at `duration` falls as the tension grows: bisect for 0 within
    // [-kHankyMaxTension, 4 kHankyMaxTension] (a negative one holds it up: not feasible).
    double low = -kHankyMaxTension, high = 4 * kHankyMaxTension;
    for (int k = 0; k < 40; ++k) {
      const double mid = 0.5 * (low + high);
      (Fly(out.speed, duration, mid, nullptr, nullptr) > 0 ? low : high) = mid;
    }
    out.tension = 0.5 * (low + high);
  } else {
    // The height at `duration` grows with the launch speed: bisect for 0.
    out.tension = kHankyDescentTension;
    double lo = 0, hi = 30;
    for (int k = 0; k < 40; ++k) {
      const double mid = 0.5 * (lo + hi);
      (Fly(mid, duration, out.tension, nullptr, nullptr) < 0 ? lo : hi) = mid;
    }
    out.speed = 0.5 * (lo + hi);
  }
  Fly(out.speed, duration, out.tension, nullptr, &out);
  return out;
}

HankyState MeasureHanky(const mjModel* m, const mjData* d, const HandkerchiefProp& h) {
  (void)m;
  HankyState pose;
  const mjtNum* pin = d->site_xpos + 3 * h.hub_site;
  const mjtNum* hub = d->site_xpos + 3 * h.flight_hub_site;
  mjtNum dif[3];
  mju_sub3(dif, hub, pin);
  pose.distance = mju_norm3(dif);
  pose.height = dif[2];
  const mjtNum* a = d->xmat + 9 * h.pin_body;
  const mjtNum* b = d->xmat + 9 * h.body;
  const double cosine = a[2] * b[2] + a[5] * b[5] + a[8] * b[8];  // z axes (third columns)
  pose.tilt = std::acos(std::clamp(cosine, -1.0, 1.0));
  pose.spin_rate = d->qvel[h.dof_begin + 5];  // a free joint's angular velocity is local
  pose.in_reach = pose.distance < kHankyCaptureDistance && pose.tilt < kHankyCaptureTilt;
  pose.seated = pose.distance < kHankySeatedDistance && pose.tilt < kHankySeatedTilt;
  return pose;
}

void ApplyHankyDrag(const Scene& scene, mjData* d) {
  for (const HandkerchiefProp& h : scene.hankies()) {
    const mjtNum* v = d->qvel + h.dof_begin;  // world-frame velocity of the centre of mass
    const double speed = mju_norm3(v);
    for (int k = 0; k < 3; ++k) d->xfrc_applied[6 * h.body + k] -= kHankyDrag * speed * v[k];
  }
}

void ControlHankies(const Scene& scene, const std::vector<HankyThrow>& throws, mjData* d) {
  const mjModel* m = scene.model();
  for (const HandkerchiefProp& h : scene.hankies()) {
    const HankyState pose = MeasureHanky(m, d, h);
    const HankyThrow* t = ActiveThrow(throws, h.robot, h.side, d->time);
    // From a release to the end of its catch window the latch closes only on a hub in the
    // catch funnel (distance and tilt). Otherwise it holds any hub within its reach
    // whatever the tilt: a seated handkerchief knocked askew (a neighbour's brushing it)
    // stays latched and the springs right it, instead of dropping onto its tether.
    const bool throwing = t && d->time <= t->catch_time + kHankyCatchWindow;
    const bool held = pose.in_reach || (!throwing && pose.distance < kHankyCaptureDistance);
    double latch = held ? 0 : 1, push = 0, winch = 0;
    // A catch closes the latch softly: opened by the hub's share of the reach, the springs
    // pull k L (1 - L / reach), at most a quarter of their full pull half-way in, and all of
    // it once seated; at full stiffness from the reach's edge they snapped the cloth in with
    // up to 180 N and jerked the arm and the torso.
    if (throwing && held) latch = std::clamp(pose.distance / kHankyCaptureDistance, 0.0, 1.0);
    const double tau = t ? d->time - t->release : 0;
    if (t && tau < kLaunchTime) {
      const HankyFlight plan = RememberedPlan(t->catch_time - t->release, t->apex);
      latch = 1;
      mjtNum base[3];
      mju_sub3(base, d->site_xpos + 3 * h.hub_site, d->site_xpos + 3 * h.pusher_site);
      const double travel = d->ten_length[h.pusher_tendon] - mju_norm3(base);
      if (travel < kStroke && d->ten_velocity[h.pusher_tendon] < plan.speed) {
        push = m->actuator_ctrlrange[2 * h.pusher_ctrl + 1];
      }
    } else if (!held) {
      // On the planned flight while it lasts; after it (a late or missed catch) or with no
      // throw at all (a handkerchief knocked off its pin), reeled in onto the pin.
      double height = 0, rate = 0, tension = 0;
      if (t && tau < t->catch_time - t->release) {
        const HankyFlight plan = RememberedPlan(t->catch_time - t->release, t->apex);
        height = HankyFlightHeight(plan.speed, tau, &rate, plan.tension);
        tension = rate < 0 ? plan.tension : 0;
      }
      const double pull = tension +
                          kWinchKp * (d->ten_length[h.tether_tendon] - std::max(height, 0.0)) +
                          kWinchKd * (d->ten_velocity[h.tether_tendon] - rate);
      winch = -std::clamp(pull, 0.0, -m->actuator_ctrlrange[2 * h.winch_ctrl]);
    }
    for (const int a : h.latch_ctrl) d->ctrl[a] = latch;
    d->ctrl[h.pusher_ctrl] = push;
    d->ctrl[h.winch_ctrl] = winch;
  }
}

}  // namespace yangbot
