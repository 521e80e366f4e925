#include "controllers/robot_state.h"

#include <Eigen/Geometry>
#include <string>

#include "sim/error.h"

namespace yangbot {

int RobotLayout::Actuator(const RobotInfo& info, const char* name) {
  return RobotInfo::IndexOf(info.actuator_names, name);
}

RobotLayout RobotLayout::Resolve(const RobotInfo& info) {
  RobotLayout layout;
  const std::string missing = MissingH1Layout(info);
  if (!missing.empty()) {
    throw Error(info.path + ": error: not an H1 layout: the controllers need the H1's body, "
                "joint and motor names (those of MuJoCo Menagerie's unitree_h1); missing " +
                missing);
  }
  // The stage adds the sole sites an H1 lacks (sim/scene.h), so this only guards the layout.
  auto need = [&](const std::vector<std::string>& names, const char* name, const char* kind) {
    const int index = RobotInfo::IndexOf(names, name);
    if (index < 0) {
      throw Error(info.path + ": error: the controller needs a " + kind + " named '" + name + "'");
    }
    return index;
  };
  layout.left_sole_site = need(info.site_names, "left_sole", "site");
  layout.right_sole_site = need(info.site_names, "right_sole", "site");
  layout.left_foot_body = RobotInfo::IndexOf(info.body_names, "left_ankle_link");
  layout.right_foot_body = RobotInfo::IndexOf(info.body_names, "right_ankle_link");
  layout.torso_body = RobotInfo::IndexOf(info.body_names, "torso_link");
  layout.left_hand_site = RobotInfo::IndexOf(info.site_names, "left_hand");
  layout.right_hand_site = RobotInfo::IndexOf(info.site_names, "right_hand");
  // The IMU (optional): both sensors on the "imu" site, which must sit on the root body.
  layout.imu_site = RobotInfo::IndexOf(info.site_names, "imu");
  layout.imu_quat_sensor = RobotInfo::IndexOf(info.sensor_names, "imu_quat");
  layout.imu_gyro_sensor = RobotInfo::IndexOf(info.sensor_names, "imu_gyro");
  if (layout.imu_site < 0 || layout.imu_quat_sensor < 0 || layout.imu_gyro_sensor < 0) {
    layout.imu_site = layout.imu_quat_sensor = layout.imu_gyro_sensor = -1;
  }
  layout.left_hanky = Actuator(info, "left_hanky");
  layout.right_hanky = Actuator(info, "right_hanky");
  return layout;
}

void RobotState::Read(const Scene& scene, int robot, const mjData& d, const RobotLayout& layout) {
  const RobotInfo& info = scene.robot_info();
  const RobotIndex& index = scene.robot(robot);
  const mjModel* m = scene.model();
  time = d.time;
  q = Eigen::Map<const Eigen::VectorXd>(d.qpos + index.qpos_begin, info.nq);
  v = Eigen::Map<const Eigen::VectorXd>(d.qvel + index.dof_begin, info.nv);
  const int site = index.site_begin + layout.imu_site;
  from_imu = layout.imu_site >= 0 && m->site_bodyid[site] == index.body_begin;
  if (from_imu) {
    // Site frame in the body frame; the sensors measure the site, the state is the body's.
    const Eigen::Quaterniond body_site(m->site_quat[4 * site], m->site_quat[4 * site + 1],
                                       m->site_quat[4 * site + 2], m->site_quat[4 * site + 3]);
    const double* quat = d.sensordata + m->sensor_adr[index.sensor_begin + layout.imu_quat_sensor];
    const double* gyro = d.sensordata + m->sensor_adr[index.sensor_begin + layout.imu_gyro_sensor];
    const Eigen::Quaterniond world_site(quat[0], quat[1], quat[2], quat[3]);
    const Eigen::Quaterniond world_body = (world_site * body_site.conjugate()).normalized();
    q.segment<4>(3) << world_body.w(), world_body.x(), world_body.y(), world_body.z();
    v.segment<3>(3) = body_site * Eigen::Vector3d(gyro[0], gyro[1], gyro[2]);
  }
  joint_q.resize(info.nu);
  joint_v.resize(info.nu);
  for (int a = 0; a < info.nu; ++a) {
    joint_q[a] = q[info.actuator_qpos[a]];
    joint_v[a] = v[info.actuator_dof[a]];
  }
}

Eigen::Matrix3d RobotState::BaseRotation() const {
  return Eigen::Quaterniond(q[3], q[4], q[5], q[6]).normalized().toRotationMatrix();
}

void ComVelocity(const mjModel* m, const mjData& d, int body_begin, int nbody, double out[3]) {
  out[0] = out[1] = out[2] = 0;
  double mass = 0;
  for (int b = body_begin; b < body_begin + nbody; ++b) {
    // cvel is (angular, linear) at the tree root's subtree com, in world axes.
    const double* cvel = d.cvel + 6 * b;
    const double* origin = d.subtree_com + 3 * m->body_rootid[b];
    const double* p = d.xipos + 3 * b;
    const double r[3] = {p[0] - origin[0], p[1] - origin[1], p[2] - origin[2]};
    const double v[3] = {cvel[3] + cvel[1] * r[2] - cvel[2] * r[1],
                         cvel[4] + cvel[2] * r[0] - cvel[0] * r[2],
                         cvel[5] + cvel[0] * r[1] - cvel[1] * r[0]};
    for (int k = 0; k < 3; ++k) out[k] += m->body_mass[b] * v[k];
    mass += m->body_mass[b];
  }
  for (int k = 0; k < 3; ++k) out[k] /= mass;
}

}  // namespace yangbot
