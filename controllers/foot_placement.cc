#include "controllers/foot_placement.h"

#include <algorithm>
#include <cmath>

#include "controllers/angles.h"

namespace yangbot {

void FootPlacement::Reset() {
  feet_ = {};
  com_offset_.setZero();
  shift_from_.setZero();
  shift_to_.setZero();
  shift_start_ = -1e9;
  last_touchdown_ = -1e9;
}

void FootPlacement::StartSwing(const ReferenceSource& source, double t, int side,
                               const Eigen::Vector2d& landing_shift) {
  Foot& f = feet_[side];
  f.swinging = true;
  f.liftoff = t;
  f.lift_offset = f.offset;
  f.target = f.offset;
  f.landing_speed = params_.landing_speed;
  RobotReference r;
  source.Sample(t, &r);
  const double lift_yaw = r.feet[side].yaw;
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
    f.planned_landing = r.feet[side].position.head<2>() + landing_shift;
    return;
  }
  for (int i = 0; i < 5; ++i) {  // bisect the touch-down to search_step / 32
    const double mid = 0.5 * (before + after);
    source.Sample(mid, &r);
    (r.feet[side].in_contact ? after : before) = mid;
  }
  source.Sample(after, &r);
  f.touchdown = after;
  f.planned_landing = r.feet[side].position.head<2>() + landing_shift;
  const bool straight = std::abs(WrapAngle(r.feet[side].yaw - lift_yaw)) < params_.straight_turn &&
                        after - t >= params_.straight_swing_time;
  f.landing_speed = straight ? params_.straight_landing_speed : params_.landing_speed;
}

double LandingGain(const FootPlacementParams& params, double swing_time) {
  const double span = params.long_swing_time - params.short_swing_time;
  if (span <= 0) return swing_time >= params.long_swing_time ? 0 : params.landing_gain;
  const double share = std::clamp((params.long_swing_time - swing_time) / span, 0.0, 1.0);
  return share * params.landing_gain;
}

Eigen::Vector2d FootPlacement::Target(const FootPlacementInput& in, int side) const {
  const Foot& f = feet_[side];
  const int other = 1 - side;
  const double t_rem = std::max(0.0, f.touchdown - in.time);
  const double grow = std::exp(in.omega * t_rem);
  const double decay = std::exp(-in.dcm_gain * in.omega * t_rem);
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
  Eigen::Vector2d shift = (1 + LandingGain(params_, f.touchdown - f.liftoff)) * error_at_touchdown;
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

void FootPlacement::Shift(const ReferenceSource& source, double time,
                          const std::array<Eigen::Vector2d, 2>& landing_shift, RobotReference* ref) {
  // The CoM reference goes with the standing feet's offsets: the plan ends with it midway
  // between the feet.
  auto standing = [&](int side) { return feet_[side].swinging ? feet_[side].lift_offset : feet_[side].offset; };
  // Only once the plan stands (both feet down settle_time after the last touch-down), back
  // to none when it walks again; each change a smoothstep over com_shift_time with its
  // velocity and acceleration (a first-order lag's velocity step threw the DCM reference
  // 20 cm and the robot fell at the end of turns).
  const bool standing_still = ref->feet[0].in_contact && ref->feet[1].in_contact &&
                              time - last_touchdown_ >= params_.settle_time;
  const Eigen::Vector2d goal = standing_still ? Eigen::Vector2d(0.5 * (standing(0) + standing(1)))
                                              : Eigen::Vector2d::Zero();
  if ((goal - shift_to_).norm() > 1e-3) {
    shift_from_ = com_offset_;
    shift_to_ = goal;
    shift_start_ = time;
  }
  const double T = params_.com_shift_time;
  const double u = std::clamp((time - shift_start_) / T, 0.0, 1.0);
  const Eigen::Vector2d change = shift_to_ - shift_from_;
  com_offset_ = shift_from_ + u * u * (3 - 2 * u) * change;
  ref->com.head<2>() += com_offset_;
  ref->com_velocity.head<2>() += 6 * u * (1 - u) / T * change;
  ref->com_acceleration.head<2>() += (u < 1 ? 6 * (1 - 2 * u) / (T * T) : 0.0) * change;
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
    if (!f.swinging) StartSwing(source, time, side, landing_shift[side]);
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
      const double v = f.landing_speed;
      foot.position.z() += v * window * sw * sw * (1 - sw);
      foot.velocity.z() += v * (2 * sw - 3 * sw * sw);
      foot.acceleration.z() += v / window * (2 - 6 * sw);
    }
  }
}

}  // namespace yangbot
