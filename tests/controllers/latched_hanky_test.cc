// The latched handkerchiefs' share of the mass matrix and bias forces
// (controllers/latched_hanky.h) against the dense products it stands for.
#include "controllers/latched_hanky.h"

#include <gtest/gtest.h>

#include "controllers/robot_dynamics.h"
#include "sim/handkerchief_throw.h"
#include "sim/scene.h"

namespace yangbot {
namespace {

TEST(LatchedHankyTest, AddsTheDenseProductsBitForBit) {
  SceneOptions options;
  options.robots = 2;
  options.throwing_hankies = true;
  auto scene = Scene::Build(options);
  const mjModel* m = scene->model();
  mjData* d = mj_makeData(m);
  mj_resetDataKeyframe(m, d, scene->stand_key());
  mj_forward(m, d);
  const int nv = scene->robot_info().nv;
  for (int robot = 0; robot < scene->robot_count(); ++robot) {
    Eigen::MatrixXd M = Eigen::MatrixXd::Identity(nv, nv), dense_M = M;
    Eigen::VectorXd h = Eigen::VectorXd::Ones(nv), dense_h = h;
    AddLatchedHankies(*scene, robot, *d, &M, &h);
    int latched = 0;
    for (const HandkerchiefProp& p : scene->hankies()) {
      if (p.robot != robot || !MeasureHanky(m, d, p).in_reach) continue;
      ++latched;
      Eigen::MatrixXd J;
      RobotPointJacobian(m, *d, p.pin_body, d->xipos + 3 * p.body, scene->robot(robot).dof_begin, nv, &J);
      const double mass = m->body_mass[p.body];
      const Eigen::Map<const Eigen::Matrix<double, 3, 3, Eigen::RowMajor>> R(d->ximat + 9 * p.body);
      const Eigen::Vector3d principal(m->body_inertia + 3 * p.body);
      const Eigen::Matrix3d inertia = R * principal.asDiagonal() * R.transpose();
      const auto Jp = J.topRows<3>();
      const auto Jr = J.bottomRows<3>();
      dense_M.noalias() += mass * Jp.transpose() * Jp;
      dense_M.noalias() += Jr.transpose() * inertia * Jr;
      dense_h.noalias() += Jp.transpose() * Eigen::Vector3d(0, 0, -mass * m->opt.gravity[2]);
    }
    EXPECT_EQ(latched, 2) << "robot " << robot;
    EXPECT_TRUE((M.array() == dense_M.array()).all()) << "robot " << robot << "\n" << M - dense_M;
    EXPECT_TRUE((h.array() == dense_h.array()).all()) << "robot " << robot;
    EXPECT_FALSE(M.isApprox(Eigen::MatrixXd::Identity(nv, nv)));
  }
  mj_deleteData(d);
}

}  // namespace
}  // namespace yangbot
