#include "controllers/latched_hanky.h"

#include "controllers/robot_dynamics.h"
#include "sim/handkerchief_throw.h"

namespace yangbot {

void AddLatchedHankies(const Scene& scene, int robot, const mjData& d, Eigen::MatrixXd* M,
                       Eigen::VectorXd* h) {
  const mjModel* m = scene.model();
  const int nv = static_cast<int>(h->size());
  const int dof_begin = scene.robot(robot).dof_begin;
  thread_local Eigen::MatrixXd J;  // 6 x nv scratch: no allocation once sized
  for (const HandkerchiefProp& p : scene.hankies()) {
    if (p.robot != robot || !MeasureHanky(m, &d, p).in_reach) continue;
    RobotPointJacobian(m, d, p.pin_body, d.xipos + 3 * p.body, dof_begin, nv, &J);
    const double mass = m->body_mass[p.body];
    const Eigen::Map<const Eigen::Matrix<double, 3, 3, Eigen::RowMajor>> R(d.ximat + 9 * p.body);
    const Eigen::Vector3d principal(m->body_inertia + 3 * p.body);
    const Eigen::Matrix3d inertia = R * principal.asDiagonal() * R.transpose();
    const auto Jp = J.topRows<3>();
    const auto Jr = J.bottomRows<3>();
    M->noalias() += mass * Jp.transpose() * Jp;
    M->noalias() += Jr.transpose() * inertia * Jr;
    h->noalias() += Jp.transpose() * Eigen::Vector3d(0, 0, -mass * m->opt.gravity[2]);
  }
}

}  // namespace yangbot
