#include "controllers/swing_trajectory.h"

#include <algorithm>

#include "sim/error.h"

namespace yangbot {

Eigen::Vector3d QuinticBlend(double s) {
  s = std::clamp(s, 0.0, 1.0);
  const double s2 = s * s;
  const double s3 = s2 * s;
  return {s3 * (10 - 15 * s + 6 * s2), 30 * s2 * (1 - 2 * s + s2), 60 * s * (1 - 3 * s + 2 * s2)};
}

namespace {

// Value, first and second derivative of b(s) = 64 s^3 (1 - s)^3, s in [0, 1].
Eigen::Vector3d ApexBump(double s) {
  s = std::clamp(s, 0.0, 1.0);
  const double u = 1 - s;
  return {64 * s * s * s * u * u * u,
          192 * s * s * u * u * (u - s),               // 64 * 3 s^2 u^2 (1 - 2 s)
          384 * s * u * (u * u - 3 * s * u + s * s)};  // 64 * 6 s u (1 - 5 s + 5 s^2)
}

}  // namespace

SwingTrajectory::SwingTrajectory(const Eigen::Vector3d& start_position, double start_yaw,
                                 const Eigen::Vector3d& end_position, double end_yaw,
                                 double start_time, double end_time, double apex_height)
    : start_position_(start_position),
      end_position_(end_position),
      start_yaw_(start_yaw),
      end_yaw_(end_yaw),
      start_time_(start_time),
      end_time_(end_time),
      apex_height_(apex_height) {
  if (!(end_time > start_time)) throw Error("swing trajectory: end_time must follow start_time");
  if (!(apex_height >= 0)) throw Error("swing trajectory: apex_height must be >= 0");
}

FootState SwingTrajectory::Sample(double t) const {
  const double duration = end_time_ - start_time_;
  const double s = (t - start_time_) / duration;
  FootState out;
  if (s <= 0) {
    out.position = start_position_;
    out.yaw = start_yaw_;
    return out;
  }
  if (s >= 1) {
    out.position = end_position_;
    out.yaw = end_yaw_;
    return out;
  }
  // d/dt = (1 / duration) d/ds.
  const double inv = 1 / duration;
  const Eigen::Vector3d q = QuinticBlend(s);
  const Eigen::Vector3d bump = ApexBump(s) * apex_height_;
  const Eigen::Vector3d delta = end_position_ - start_position_;
  out.position = start_position_ + delta * q(0);
  out.velocity = delta * (q(1) * inv);
  out.acceleration = delta * (q(2) * inv * inv);
  out.position.z() += bump(0);
  out.velocity.z() += bump(1) * inv;
  out.acceleration.z() += bump(2) * inv * inv;
  const double yaw_delta = end_yaw_ - start_yaw_;
  out.yaw = start_yaw_ + yaw_delta * q(0);
  out.yaw_rate = yaw_delta * q(1) * inv;
  out.yaw_acceleration = yaw_delta * q(2) * inv * inv;
  return out;
}

}  // namespace yangbot
