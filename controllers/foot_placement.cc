#include "controllers/foot_placement.h"

#include <algorithm>
#include <cmath>

namespace yangbot {

void FootPlacement::Reset() {
  feet_ = {};
  com_offset_.setZero();
  last_time_ = -1;
  last_touchdown_ = -1e9;
}

void FootPlacement::StartSwing(const ReferenceSource& source, double t, int side) {
  Foot& f = feet_[side];
  f.swinging = true;
  f.liftoff = t;
  f.lift_offset = f.offset;
  f.target = f.offset;
  RobotReference r;
  double before = t, after = -1;
  for (double dt = params_.search_step; dt <= params_.search_horizon + 1e-9; dt += params_.search_step) {
    source.Sample(t + dt, &r);
    if (r.feet[side].in_contact) {
      after = t + dt;
      break;
    }
    before = t + dt;
  }
  if (after < 0) {  // no touch-down ahead: the foot lands where the plan's reference ends
    f.touchdown = t + params_.search_horizon;
    f.planned_landing = r.feet[side].position.head<2>();
    return;
  }
  for (int i = 0; i < 5; ++i) {  // bisect the touch-down to search_step / 32
    const double mid = 0.5 * (before + after);
    source.Sample(mid, &r);
    (r.feet[side].in_contact ? after : before) = mid;
  }
  source.Sample(after, &r);
  f.touchdown = after;
  f.planned_landing = r.feet[side].position.head<2>();
}

Eigen::Vector2d FootPlacement::Target(const FootPlacementInput& in, int side) const {
  const Foot& f = feet_[side];
  const int other = 1 - side;
  const double t_rem = std::max(0.0, f.touchdown - in.time);
  const double grow = std::exp(in.omega * t_rem);
  const double decay = std::exp(-params_.dcm_gain * in.omega * t_rem);
  const Eigen::Vector2d along(std::cos(in.sole_yaw[other]), std::sin(in.sole_yaw[other]));
  const Eigen::Vector2d across(-along.y(), along.x());
  // Predicted DCM error at the touch-down, per axis of the stance sole.
  Eigen::Vector2d error_at_touchdown = Eigen::Vector2d::Zero();
  for (const Eigen::Vector2d& u : {along, across}) {
    const double e = in.dcm_error.dot(u);
    const bool clamped = std::abs((in.cop - in.cop_free).dot(u)) > 1e-3;
    double e_t = e * decay;
    if (clamped) {
      const double d = (in.cop - in.cop_reference).dot(u);
      e_t = d + (e - d) * grow;
    }
    error_at_touchdown += e_t * u;
  }
  Eigen::Vector2d shift = (1 + params_.landing_gain) * error_at_touchdown;
  shift = shift.cwiseMax(-params_.max_shift).cwiseMin(params_.max_shift);
  // Reach and width limits about the stance foot (a crossing the plan has is kept).
  const Eigen::Vector2d planned = f.planned_landing - in.sole[other];
  const Eigen::Vector2d landing = planned + shift;
  const double sign = side == 0 ? 1 : -1;  // the left foot lands on the stance foot's left
  double a = std::clamp(landing.dot(along), -params_.max_reach, params_.max_reach);
  double c = sign * landing.dot(across);
  if (sign * planned.dot(across) >= params_.min_width) {
    c = std::clamp(c, params_.min_width, params_.max_width);
  }
  return a * along + sign * c * across - planned;
}

void FootPlacement::Replan(const FootPlacementInput& in) {
  for (int side = 0; side < 2; ++side) {
    if (feet_[side].swinging && in.time < feet_[side].touchdown - params_.freeze_time) {
      feet_[side].target = Target(in, side);
    }
  }
}

void FootPlacement::Shift(const ReferenceSource& source, double time, RobotReference* ref) {
  // The CoM reference goes with the standing feet's offsets, weighted as the plan puts the
  // CoM between its feet (a swinging foot counts with its offset at lift-off).
  const Eigen::Vector2d left = ref->feet[0].position.head<2>(), across = ref->feet[1].position.head<2>() - left;
  const double w = across.squaredNorm() > 1e-6
                       ? std::clamp((ref->com.head<2>() - left).dot(across) / across.squaredNorm(), 0.0, 1.0)
                       : 0.5;
  auto standing = [&](int side) { return feet_[side].swinging ? feet_[side].lift_offset : feet_[side].offset; };
  // Only once the plan stands (both feet down settle_time after the last touch-down):
  // shifting it while walking fed the landings back into the CoM and the walks fell.
  const bool standing_still = ref->feet[0].in_contact && ref->feet[1].in_contact &&
                              time - last_touchdown_ >= params_.settle_time;
  const Eigen::Vector2d goal = standing_still ? Eigen::Vector2d((1 - w) * standing(0) + w * standing(1))
                                              : com_offset_;
  const double dt = last_time_ >= 0 ? std::max(0.0, time - last_time_) : 0;
  last_time_ = time;
  const Eigen::Vector2d rate = (goal - com_offset_) / params_.com_shift_time;
  com_offset_ += std::min(1.0, dt / params_.com_shift_time) * (goal - com_offset_);
  ref->com.head<2>() += com_offset_;
  ref->com_velocity.head<2>() += rate;
  for (int side = 0; side < 2; ++side) {
    FootReference& foot = ref->feet[side];
    Foot& f = feet_[side];
    if (foot.in_contact) {
      if (f.swinging) {  // landed: it stands where it was sent
        f.swinging = false;
        f.offset = f.target;
        last_touchdown_ = time;
      }
      foot.position.head<2>() += f.offset;
      continue;
    }
    if (!f.swinging) StartSwing(source, time, side);
    // Quintic blend from the lift-off offset to the target over the swing.
    const double duration = std::max(1e-3, f.touchdown - f.liftoff);
    const double tau = std::clamp((time - f.liftoff) / duration, 0.0, 1.0);
    const double s = tau * tau * tau * (10 - 15 * tau + 6 * tau * tau);
    const double ds = 30 * tau * tau * (1 - tau) * (1 - tau) / duration;
    const double dds = 60 * tau * (1 - 3 * tau + 2 * tau * tau) / (duration * duration);
    const Eigen::Vector2d change = f.target - f.lift_offset;
    foot.position.head<2>() += f.lift_offset + s * change;
    foot.velocity.head<2>() += ds * change;
    foot.acceleration.head<2>() += dds * change;
    // Meets the floor moving down at landing_speed: + v W s²(1 − s) over the last window W.
    const double window = std::min(params_.landing_window, 0.5 * duration);
    const double sw = (time - (f.touchdown - window)) / window;
    if (sw > 0 && sw < 1) {
      const double v = params_.landing_speed;
      foot.position.z() += v * window * sw * sw * (1 - sw);
      foot.velocity.z() += v * (2 * sw - 3 * sw * sw);
      foot.acceleration.z() += v / window * (2 - 6 * sw);
    }
  }
}

}  // namespace yangbot
