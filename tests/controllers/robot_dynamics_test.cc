#include "controllers/robot_dynamics.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "sim/scene.h"

namespace yangbot {
namespace {

// Three robots in random poses and velocities: the per-robot blocks must equal
// MuJoCo's own full-model quantities.
class RobotDynamicsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SceneOptions options;
    options.robots = 3;
    scene_ = Scene::Build(options);
    m_ = scene_->model();
    d_ = mj_makeData(m_);
    mj_resetDataKeyframe(m_, d_, scene_->stand_key());
    std::mt19937 rng(5);
    std::uniform_real_distribution<double> u(-0.3, 0.3);
    for (int i = 7; i < m_->nq; ++i) d_->qpos[i] += u(rng);
    for (int r = 0; r < 3; ++r) {  // keep free-joint quaternions normalised
      mju_normalize4(d_->qpos + scene_->robot(r).qpos_begin + 3);
    }
    for (int i = 0; i < m_->nv; ++i) d_->qvel[i] = u(rng);
    mj_forward(m_, d_);
  }
  void TearDown() override { mj_deleteData(d_); }
  std::unique_ptr<Scene> scene_;
  const mjModel* m_ = nullptr;
  mjData* d_ = nullptr;
};

TEST_F(RobotDynamicsTest, MassMatrixBlockEqualsTheFullMatrix) {
  std::vector<double> full(m_->nv * m_->nv);
  mj_fullM(m_, full.data(), d_->qM);
  const int nv = scene_->robot_info().nv;
  const int begin = scene_->robot(1).dof_begin;
  Eigen::MatrixXd M;
  RobotMassMatrix(m_, *d_, begin, nv, &M);
  for (int i = 0; i < nv; ++i) {
    for (int j = 0; j < nv; ++j) {
      EXPECT_NEAR(M(i, j), full[(begin + i) * m_->nv + begin + j], 1e-12);
    }
  }
}

TEST_F(RobotDynamicsTest, PointJacobianEqualsMjJac) {
  const int nv = scene_->robot_info().nv;
  const RobotIndex& r = scene_->robot(2);
  const int body = mj_name2id(m_, mjOBJ_BODY, "r02/left_ankle_link");
  const double point[3] = {1.0, -2.0, 0.3};
  std::vector<double> jacp(3 * m_->nv), jacr(3 * m_->nv);
  mj_jac(m_, d_, jacp.data(), jacr.data(), point, body);
  Eigen::MatrixXd J;
  RobotPointJacobian(m_, *d_, body, point, r.dof_begin, nv, &J);
  for (int row = 0; row < 3; ++row) {
    for (int k = 0; k < nv; ++k) {
      EXPECT_NEAR(J(row, k), jacp[row * m_->nv + r.dof_begin + k], 1e-12);
      EXPECT_NEAR(J(3 + row, k), jacr[row * m_->nv + r.dof_begin + k], 1e-12);
    }
  }
}

TEST_F(RobotDynamicsTest, ComJacobianEqualsMjJacSubtreeCom) {
  const int nv = scene_->robot_info().nv;
  const RobotIndex& r = scene_->robot(1);
  std::vector<double> jac(3 * m_->nv);
  mj_jacSubtreeCom(m_, d_, jac.data(), r.body_begin);
  Eigen::MatrixXd J;
  RobotComJacobian(m_, *d_, r.body_begin, r.dof_begin, nv, &J);
  for (int row = 0; row < 3; ++row) {
    for (int k = 0; k < nv; ++k) EXPECT_NEAR(J(row, k), jac[row * m_->nv + r.dof_begin + k], 1e-12);
  }
}

}  // namespace
}  // namespace yangbot
