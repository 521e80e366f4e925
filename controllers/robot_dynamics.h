// One robot's rigid-body dynamics, read from the shared scene's mjData after mj_step1
// without touching the rest of the stage: the nv x nv block of the mass matrix, the
// bias forces, and Jacobians restricted to the robot's own dofs. Costs O(nv * depth)
// per Jacobian, independent of how many robots share the scene.
#ifndef YANGBOT_CONTROLLERS_ROBOT_DYNAMICS_H_
#define YANGBOT_CONTROLLERS_ROBOT_DYNAMICS_H_

#include <mujoco/mujoco.h>

#include <Eigen/Core>

namespace yangbot {

/// Row-major dynamic matrix (matches MuJoCo's layout).
using MatrixRX = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// Copies the mass matrix block of dofs [dof_begin, +nv) into M (nv x nv), from d.qM.
void RobotMassMatrix(const mjModel* m, const mjData& d, int dof_begin, int nv, Eigen::MatrixXd* M);

/// Copies the bias forces (Coriolis, centrifugal, gravity) of the robot's dofs (size nv).
void RobotBias(const mjData& d, int dof_begin, int nv, Eigen::VectorXd* h);

/// Jacobian (6 x nv: linear rows then angular rows, world frame) of a point (world
/// coordinates) attached to `body`, restricted to dofs [dof_begin, +nv).
void RobotPointJacobian(const mjModel* m, const mjData& d, int body, const double point[3],
                        int dof_begin, int nv, Eigen::MatrixXd* J);

/// Jacobian (3 x nv) of the centre of mass of the subtree rooted at `root_body` (the
/// whole robot when it is the robot's root), restricted to dofs [dof_begin, +nv).
void RobotComJacobian(const mjModel* m, const mjData& d, int root_body, int dof_begin, int nv,
                      Eigen::MatrixXd* J);

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_ROBOT_DYNAMICS_H_
