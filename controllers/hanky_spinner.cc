#include "controllers/hanky_spinner.h"

#include <cmath>

namespace yangbot {

double HankySpinTorque(double angle, double rate, double phase_ref, double rate_ref,
                       const HankySpinGains& gains) {
  const double phase_error = WrapAngle(phase_ref - angle);
  return gains.kp * phase_error + gains.kd * (rate_ref - rate) + gains.damping * rate_ref;
}

void HankySpinUp::Look(const ReferenceSource* plan, double t, int side, double angle, double rate) {
  RobotReference r;
  plan->Sample(t + kLead, &r);
  if (!r.hanky[side].spinning) return;
  // The start: the first spinning sample, bisected to 1 ms.
  double still = t, spinning = t + kLead;
  while (spinning - still > 1e-3) {
    const double mid = 0.5 * (still + spinning);
    plan->Sample(mid, &r);
    (r.hanky[side].spinning ? spinning : still) = mid;
  }
  plan->Sample(spinning, &r);
  const HankyReference& target = r.hanky[side];
  Ramp& ramp = ramps_[side];
  ramp.from = t;
  ramp.to = spinning;
  ramp.angle = angle;
  ramp.rate = rate;
  ramp.target_rate = target.rate;
  // The travel nearest to a steady change of rate, with whole turns added in the spin's
  // sense until the cubic's rate never turns against it.
  const double span = ramp.to - ramp.from;
  const double steady = 0.5 * (rate + target.rate) * span;
  double turn = steady + WrapAngle(target.phase - angle - steady);
  const double sense = target.rate >= 0 ? 1.0 : -1.0;
  for (int tries = 0; tries < 4; ++tries) {
    // Cubic rate r(s) = v0 + a s + b s^2 over [0, span]: its least value's sign.
    const double a = (6 * turn / span - 4 * rate - 2 * target.rate) / span;
    const double b = (-6 * turn / span + 3 * rate + 3 * target.rate) / (span * span);
    double least = std::min(sense * rate, sense * target.rate);
    if (b != 0) {
      const double s = -a / (2 * b);
      if (s > 0 && s < span) least = std::min(least, sense * (rate + a * s + b * s * s));
    }
    if (least >= -1e-9 || sense * rate < 0) break;
    turn += sense * 2 * M_PI;
  }
  ramp.turn = turn;
  ramp.active = true;
}

void HankySpinUp::Apply(const ReferenceSource* plan, double t, const std::array<double, 2>& angle,
                        const std::array<double, 2>& rate, RobotReference* ref) {
  if (plan == nullptr) return;
  if (plan != plan_) {
    plan_ = plan;
    ramps_ = {};
    look_ = {-1, -1};
  }
  for (int side = 0; side < 2; ++side) {
    Ramp& ramp = ramps_[side];
    HankyReference& h = ref->hanky[side];
    if (h.spinning || (ramp.active && t >= ramp.to)) {
      ramp.active = false;
      look_[side] = -1;
      continue;
    }
    if (!ramp.active && t >= look_[side]) {
      look_[side] = t + kLook;
      Look(plan, t, side, angle[side], rate[side]);
    }
    if (!ramp.active) continue;
    // Cubic Hermite from (angle, rate) at `from` to (angle + turn, target_rate) at `to`.
    const double span = ramp.to - ramp.from;
    const double s = t - ramp.from;
    const double a = (6 * ramp.turn / span - 4 * ramp.rate - 2 * ramp.target_rate) / span;
    const double b = (-6 * ramp.turn / span + 3 * ramp.rate + 3 * ramp.target_rate) / (span * span);
    h.spinning = true;
    h.phase = ramp.angle + ramp.rate * s + 0.5 * a * s * s + b * s * s * s / 3;
    h.rate = ramp.rate + a * s + b * s * s;
    h.acceleration = a + 2 * b * s;
  }
}

}  // namespace yangbot
