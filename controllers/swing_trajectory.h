// Swing-foot trajectory from lift-off to touch-down. With s = (t - t0) / (t1 - t0):
//   horizontal position and yaw: p0 + (p1 - p0) q(s),  q(s) = 10 s^3 - 15 s^4 + 6 s^5
//   height:                      z0 + (z1 - z0) q(s) + 64 h s^3 (1 - s)^3
// q is the quintic with zero velocity and acceleration at both ends; the sextic bump
// 64 s^3 (1 - s)^3 also has zero value, velocity and acceleration at both ends and its
// single maximum, 1, at s = 1/2, so a foot lifted and set down at equal heights peaks
// exactly h above them at mid-swing. The foot leaves and lands at rest.
#ifndef YANGBOT_CONTROLLERS_SWING_TRAJECTORY_H_
#define YANGBOT_CONTROLLERS_SWING_TRAJECTORY_H_

#include <Eigen/Core>

namespace yangbot {

/// Desired state of one foot (sole frame origin), world frame.
struct FootState {
  Eigen::Vector3d position = Eigen::Vector3d::Zero();      ///< m
  Eigen::Vector3d velocity = Eigen::Vector3d::Zero();      ///< m/s
  Eigen::Vector3d acceleration = Eigen::Vector3d::Zero();  ///< m/s^2
  double yaw = 0;               ///< rad, about world z (continuous, not wrapped)
  double yaw_rate = 0;          ///< rad/s
  double yaw_acceleration = 0;  ///< rad/s^2
};

/// Value, first and second derivative (per unit s) of the minimum-jerk quintic
/// q(s) = 10 s^3 - 15 s^4 + 6 s^5, s clamped to [0, 1]; q(0) = 0, q(1) = 1.
Eigen::Vector3d QuinticBlend(double s);

/// Smooth lift-off to touch-down motion of one foot; see the file comment.
class SwingTrajectory {
 public:
  /// A foot standing still at the origin for all time.
  SwingTrajectory() = default;
  /// From `start_position` (m) and `start_yaw` (rad) at `start_time` (s) to `end_position`
  /// and `end_yaw` at `end_time` (> start_time), peaking `apex_height` (m, >= 0) above
  /// the straight line between the end heights at mid-swing. Yaw is interpolated
  /// without wrapping: pass an end yaw within pi of the start for the shortest turn.
  SwingTrajectory(const Eigen::Vector3d& start_position, double start_yaw,
                  const Eigen::Vector3d& end_position, double end_yaw, double start_time,
                  double end_time, double apex_height);

  /// Desired foot state at time t (s); before start_time the start pose at rest,
  /// after end_time the end pose at rest.
  FootState Sample(double t) const;

  /// Lift-off time (s).
  double start_time() const { return start_time_; }
  /// Touch-down time (s).
  double end_time() const { return end_time_; }
  /// Apex height (m) above the line between the end heights.
  double apex_height() const { return apex_height_; }

 private:
  Eigen::Vector3d start_position_ = Eigen::Vector3d::Zero();
  Eigen::Vector3d end_position_ = Eigen::Vector3d::Zero();
  double start_yaw_ = 0;
  double end_yaw_ = 0;
  double start_time_ = 0;
  double end_time_ = 1;
  double apex_height_ = 0;
};

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_SWING_TRAJECTORY_H_
