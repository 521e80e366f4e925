#include "controllers/walking_reference.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace yangbot {
namespace {

void CopyFoot(const FootState& from, bool in_contact, FootReference* to) {
  to->position = from.position;
  to->velocity = from.velocity;
  to->acceleration = from.acceleration;
  to->yaw = from.yaw;
  to->yaw_rate = from.yaw_rate;
  to->in_contact = in_contact;
}

// Cubic Hermite from (p0, v0) at 0 to (p1, v1) at T: position, rate, acceleration at t.
Eigen::Vector3d Hermite(double p0, double v0, double p1, double v1, double T, double t) {
  if (T <= 0) return {p1, v1, 0};
  const double s = std::clamp(t / T, 0.0, 1.0);
  const double h00 = 2 * s * s * s - 3 * s * s + 1, h10 = s * s * s - 2 * s * s + s;
  const double h01 = -2 * s * s * s + 3 * s * s, h11 = s * s * s - s * s;
  const double d00 = 6 * s * s - 6 * s, d10 = 3 * s * s - 4 * s + 1, d01 = -d00, d11 = 3 * s * s - 2 * s;
  const double a00 = 12 * s - 6, a10 = 6 * s - 4, a01 = -a00, a11 = 6 * s - 2;
  return {h00 * p0 + h10 * T * v0 + h01 * p1 + h11 * T * v1,
          (d00 * p0 + d10 * T * v0 + d01 * p1 + d11 * T * v1) / T,
          (a00 * p0 + a10 * T * v0 + a01 * p1 + a11 * T * v1) / (T * T)};
}

}  // namespace

double GaitSwingTime(double step_period) {
  return step_period < kRockMinPeriod ? 0.9 * step_period : std::min(kDanceSwing, 0.9 * step_period);
}

void SetGaitSwingTimes(FootstepPlan* plan) {
  const int n = static_cast<int>(plan->steps.size());
  for (int i = 0; i < n; ++i) {
    const double period = i > 0   ? plan->steps[i].touchdown_time - plan->steps[i - 1].touchdown_time
                          : n > 1 ? plan->steps[1].touchdown_time - plan->steps[0].touchdown_time
                                  : kRockMinPeriod;
    Footstep& step = plan->steps[i];
    step.liftoff_time = std::max(step.touchdown_time - GaitSwingTime(period), plan->start_time);
  }
}

Eigen::Vector3d WalkingReference::RockingOffset(const WalkingSample& w) const {
  const FootstepPlan& plan = pattern_->plan();
  const int n = static_cast<int>(plan.steps.size());
  if (n == 0) return Eigen::Vector3d::Zero();
  const double g = 9.81;
  const double h = pattern_->gains().params.com_height;
  const double omega = std::sqrt(g / h);
  const double s = posture_.rock_offset;
  // Stance side of step i: +1 when the left foot bears the weight (the right swings).
  auto side = [&](int i) { return plan.steps[i].foot == Foot::kRight ? 1.0 : -1.0; };
  auto pivot = [&](int i) {
    const Stance& before = pattern_->StanceBefore(i);
    const Pose2 l = before.left, r = before.right;
    const double half = 0.5 * std::hypot(l.x - r.x, l.y - r.y);
    return side(i) * (half - posture_.rock_pivot_inset);
  };
  // Only steps of at least rock_min_period rock; quicker steps keep the CoM on the
  // midpoint of the feet (the 285 steps/min gait), so one plan can mix both.
  auto rocks = [&](int i) {
    const double period = i > 0 ? plan.steps[i].touchdown_time - plan.steps[i - 1].touchdown_time
                          : n > 1 ? plan.steps[1].touchdown_time - plan.steps[0].touchdown_time
                                  : 1e9;
    return period >= posture_.rock_min_period - 1e-9;
  };
  auto amplitude = [&](int i) { return rocks(i) ? s : 0.0; };
  // State at time tau after the lift-off of step i (no fall for a quick step).
  auto fall = [&](int i, double tau) -> Eigen::Vector3d {
    if (!rocks(i)) return Eigen::Vector3d::Zero();
    const double p = pivot(i), u0 = side(i) * s;
    const double c = std::cosh(omega * tau), sh = std::sinh(omega * tau);
    return {p + (u0 - p) * c, (u0 - p) * omega * sh, (u0 - p) * omega * omega * c};
  };
  const double shift = pattern_->params().shift_time;
  if (w.phase == WalkPhase::kLeftSwing || w.phase == WalkPhase::kRightSwing) {
    const Footstep& step = plan.steps[w.step_index];
    return fall(w.step_index, w.time - step.liftoff_time);
  }
  const int i = w.step_index;  // next to lift off (n: after the last)
  if (i <= 0 || w.phase == WalkPhase::kStanding) {
    if (w.time < plan.start_time || i == 0) {
      const double t1 = plan.steps[0].liftoff_time;
      const double t0 = std::max(plan.start_time, t1 - shift);
      if (w.time < t0) return Eigen::Vector3d::Zero();
      return Hermite(0, 0, side(0) * amplitude(0), 0, t1 - t0, w.time - t0);
    }
  }
  const Footstep& prev = plan.steps[std::min(i, n) - 1];
  const Eigen::Vector3d td = fall(std::min(i, n) - 1, prev.touchdown_time - prev.liftoff_time);
  if (i >= n) {
    return Hermite(td.x(), td.y(), 0, 0, shift, w.time - prev.touchdown_time);
  }
  const double t1 = plan.steps[i].liftoff_time;
  return Hermite(td.x(), td.y(), side(i) * amplitude(i), 0, t1 - prev.touchdown_time, w.time - prev.touchdown_time);
}

WalkingReference::WalkingReference(std::shared_ptr<const WalkingPattern> pattern,
                                   const WalkingPosture& posture)
    : pattern_(std::move(pattern)), posture_(posture) {}

void WalkingReference::Sample(double t, RobotReference* out) const {
  ReferenceCursor cold;
  SampleFrom(t, &cold, out);
}

void WalkingReference::SampleFrom(double t, ReferenceCursor* cursor, RobotReference* out) const {
  const WalkingSample s = pattern_->Sample(t - posture_.delay, cursor);
  out->time = t;
  out->com = s.com_position;
  out->com_velocity = s.com_velocity;
  out->com_acceleration = s.com_acceleration;
  if (posture_.com_height > 0) {
    out->com.z() = pattern_->params().ground_height + posture_.com_height;
  }
  // Lateral axis: across the mean heading of the feet; centre: midpoint of the feet.
  const double yaw = 0.5 * (s.left.yaw + s.right.yaw);
  const Eigen::Vector2d across(-std::sin(yaw), std::cos(yaw));
  const Eigen::Vector2d mid = 0.5 * (s.left.position + s.right.position).head<2>();
  const double off = across.dot(out->com.head<2>() - mid);
  // World roll of the pelvis: positive roll (left side up) leans the upper body to the right.
  out->trunk_roll = -posture_.roll_per_lateral_offset * off;
  if (posture_.lateral_com_scale != 1) {
    const double off_v = across.dot(out->com_velocity.head<2>() - 0.5 * (s.left.velocity + s.right.velocity).head<2>());
    const double k = posture_.lateral_com_scale - 1;
    out->com.head<2>() += k * off * across;
    out->com_velocity.head<2>() += k * off_v * across;
    out->com_acceleration.head<2>() -= across.dot(out->com_acceleration.head<2>()) * (1 - posture_.lateral_com_scale) * across;
  }
  if (posture_.rock_offset > 0) {
    const Eigen::Vector3d u = RockingOffset(s);
    out->com.head<2>() += u.x() * across;
    out->com_velocity.head<2>() += u.y() * across;
    out->com_acceleration.head<2>() += u.z() * across;
    // Zero through stretches of quick steps: they walk with the pelvis level.
    out->trunk_roll = -posture_.roll_per_lateral_offset * u.x();
  }
  out->zmp = s.zmp_reference;
  CopyFoot(s.left, s.left_in_contact, &out->feet[0]);
  CopyFoot(s.right, s.right_in_contact, &out->feet[1]);
  // Yaws are continuous in the pattern: the mean is the heading halfway between the feet.
  out->pelvis_yaw = 0.5 * (s.left.yaw + s.right.yaw);
  out->pelvis_yaw_rate = 0.5 * (s.left.yaw_rate + s.right.yaw_rate);
  out->torso_yaw = posture_.torso_yaw;
  out->torso_yaw_rate = 0;
  out->trunk_pitch = posture_.trunk_pitch;
  out->arm_q = posture_.arm_q;
  out->arm_qd.fill(0);
  for (auto& h : out->hanky) {
    h = HankyReference{};
    if (posture_.hanky_rate != 0) {
      // Phase from the conductor's clock: every robot spinning at this rate is in phase.
      h.spinning = true;
      h.rate = 2 * M_PI * posture_.hanky_rate;
      h.phase = std::remainder(h.rate * t, 2 * M_PI);
    }
  }
}

}  // namespace yangbot
