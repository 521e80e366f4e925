// What a robot senses of itself, read from its own block of the shared mjData:
// joint angles and rates, the base pose and twist (ground truth for now; an estimator
// can replace it), and the IMU. Controllers read this, never other robots' state.
#ifndef YANGBOT_CONTROLLERS_ROBOT_STATE_H_
#define YANGBOT_CONTROLLERS_ROBOT_STATE_H_

#include <mujoco/mujoco.h>

#include <Eigen/Core>

#include "sim/scene.h"

namespace yangbot {

/// Name-resolved local indices a controller needs (same for every robot copy).
struct RobotLayout {
  int left_sole_site = -1;   ///< local site id ("left_sole")
  int right_sole_site = -1;  ///< local site id ("right_sole")
  int left_foot_body = -1;   ///< local body id ("left_ankle_link")
  int right_foot_body = -1;  ///< local body id ("right_ankle_link")
  int torso_body = -1;       ///< local body id ("torso_link")
  int left_hand_site = -1;   ///< local site id ("left_hand"), -1 if absent
  int right_hand_site = -1;  ///< local site id ("right_hand"), -1 if absent
  int left_hanky = -1;       ///< actuator index of the left spinner, -1 if absent
  int right_hanky = -1;      ///< actuator index of the right spinner, -1 if absent
  int imu_site = -1;         ///< local site id ("imu"), -1 if absent
  int imu_quat_sensor = -1;  ///< local sensor id (framequat "imu_quat" at the imu site), -1 if absent
  int imu_gyro_sensor = -1;  ///< local sensor id (gyro "imu_gyro"), -1 if absent

  /// Resolves the names; throws yangbot::Error naming what the robot lacks.
  static RobotLayout Resolve(const RobotInfo& info);
  /// Actuator index of a joint motor by name, or -1.
  static int Actuator(const RobotInfo& info, const char* name);
};

/// The sensed state of one robot.
struct RobotState {
  double time = 0;           ///< s
  /// Generalized positions (size nq; free joint first). The base orientation q[3..6]
  /// (w, x, y, z) comes from the IMU when the robot has one.
  Eigen::VectorXd q;
  /// Generalized velocities (size nv). The base angular rate v[3..5] (pelvis frame) comes
  /// from the IMU's gyro when the robot has one.
  Eigen::VectorXd v;
  Eigen::VectorXd joint_q;   ///< actuated joint angles (size nu, actuator order), rad
  Eigen::VectorXd joint_v;   ///< actuated joint rates (size nu), rad/s
  bool from_imu = false;     ///< base orientation and rate came from the IMU sensors

  /// Reads robot `robot`'s state from d: joints and base position/velocity from qpos and
  /// qvel (ground truth), base orientation and angular rate from the IMU sensordata
  /// (framequat and gyro at the "imu" site, computed by mj_step1), or from qpos/qvel when
  /// `layout` names no IMU.
  void Read(const Scene& scene, int robot, const mjData& d, const RobotLayout& layout);

  /// Base (root body) orientation, world from body.
  Eigen::Matrix3d BaseRotation() const;
};

/// Velocity (m/s, world frame) of the centre of mass of bodies [body_begin, +nbody),
/// from the com-based body velocities (cvel) that mj_step1 computed; out has size 3.
void ComVelocity(const mjModel* m, const mjData& d, int body_begin, int nbody, double out[3]);

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_ROBOT_STATE_H_
