#include "controllers/latched_hanky.h"

#include <array>

#include "controllers/robot_dynamics.h"
#include "sim/handkerchief_throw.h"

namespace yangbot {
namespace {

constexpr int kMaxDofs = 64;  // robots with more dofs take the dense products

}  // namespace

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
    // The pin's Jacobian spans the base and its arm's chain: the products touch only those
    // columns, each entry summed in the order a dense product sums it (k = 0, 1, 2).
    std::array<int, kMaxDofs> support;
    int count = 0;
    for (int j = 0; j < nv && count < kMaxDofs; ++j) {
      if ((J.col(j).array() != 0.0).any()) support[count++] = j;
    }
    if (count == kMaxDofs) {
      const auto Jp = J.topRows<3>();
      const auto Jr = J.bottomRows<3>();
      M->noalias() += mass * Jp.transpose() * Jp;
      M->noalias() += Jr.transpose() * inertia * Jr;
    } else {
      std::array<Eigen::Vector3d, kMaxDofs> rotated;  // (Jr' I) row by row
      for (int a = 0; a < count; ++a) {
        const int i = support[a];
        for (int c = 0; c < 3; ++c) {
          rotated[a](c) = J(3, i) * inertia(0, c) + J(4, i) * inertia(1, c) + J(5, i) * inertia(2, c);
        }
      }
      for (int b = 0; b < count; ++b) {
        const int j = support[b];
        for (int a = 0; a < count; ++a) {
          const int i = support[a];
          const double linear = J(0, i) * J(0, j) + J(1, i) * J(1, j) + J(2, i) * J(2, j);
          (*M)(i, j) += mass * linear;
        }
        for (int a = 0; a < count; ++a) {
          const int i = support[a];
          (*M)(i, j) += rotated[a](0) * J(3, j) + rotated[a](1) * J(4, j) + rotated[a](2) * J(5, j);
        }
      }
    }
    const auto Jp = J.topRows<3>();
    h->noalias() += Jp.transpose() * Eigen::Vector3d(0, 0, -mass * m->opt.gravity[2]);
  }
}

}  // namespace yangbot
