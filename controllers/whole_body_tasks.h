// The QP of the whole-body controller, task by task (controllers/README.md "Whole-body
// controller"): variables x = [qdd (nv), w_c (6 per stance foot)], w_c the contact wrench
// (force, moment; world axes) at the sole centre. Each task adds weight * |A x - b|^2 to
// the cost, b a PD law on the reference; the contacts add the floating base's dynamics
// (equality), the stance feet (a heavy task), the motor limits and the contact wrench
// cones (inequalities). The controller (whole_body_controller.h) decides what the
// references are; this file only turns them into the QP's rows, and the solution into
// torques.
#ifndef YANGBOT_CONTROLLERS_WHOLE_BODY_TASKS_H_
#define YANGBOT_CONTROLLERS_WHOLE_BODY_TASKS_H_

#include <mujoco/mujoco.h>

#include <Eigen/Core>
#include <array>
#include <vector>

#include "controllers/balance_recovery.h"
#include "controllers/qp_solver.h"
#include "controllers/reference.h"
#include "controllers/robot_state.h"
#include "controllers/step_rhythm.h"
#include "controllers/whole_body_gains.h"
#include "sim/scene.h"

namespace yangbot {

/// A 6-D vector (linear over angular), m/s or m/s².
using Vector6d = Eigen::Matrix<double, 6, 1>;

namespace detail {

/// AddTask's sums over the rows of A (and b), `Rows` of them known at compile time (0: read
/// A.rows()), so that a task's few rows unroll; each sum runs over the rows in order.
template <int Rows, typename MatrixA, typename VectorB>
void AddTaskSupport(const MatrixA& A, const VectorB& b, double weight, const int* support, int m,
                    QpProblem* p) {
  const int rows = Rows > 0 ? Rows : static_cast<int>(A.rows());
  for (int jj = 0; jj < m; ++jj) {
    const int j = support[jj];
    double gj = 0.0;
    for (int r = 0; r < rows; ++r) gj += A(r, j) * b(r);
    p->g(j) -= weight * gj;
    for (int ii = jj; ii < m; ++ii) {
      const int i = support[ii];
      double hij = 0.0;
      for (int r = 0; r < rows; ++r) hij += A(r, i) * A(r, j);
      hij *= weight;
      p->H(i, j) += hij;
      if (i != j) p->H(j, i) += hij;
    }
  }
}

}  // namespace detail

/// Adds weight * |A x_head - b|^2 to the cost of `p` (A acts on the first A.cols() variables).
/// Only the columns of A with a nonzero entry touch H and g (a limb's Jacobian spans the
/// base and its own chain); each product enters both halves of H, so H stays symmetric.
template <typename MatrixA, typename VectorB>
void AddTask(const MatrixA& A, const VectorB& b, double weight, QpProblem* p) {
  constexpr int kMaxColumns = 256;
  const int k = static_cast<int>(A.cols());
  const int rows = static_cast<int>(A.rows());
  if (k > kMaxColumns) {
    p->H.topLeftCorner(k, k).noalias() += weight * A.transpose() * A;
    p->g.head(k).noalias() -= weight * A.transpose() * b;
    return;
  }
  std::array<int, kMaxColumns> support;
  int m = 0;
  for (int j = 0; j < k; ++j) {
    for (int r = 0; r < rows; ++r) {
      if (A(r, j) != 0.0) {
        support[m++] = j;
        break;
      }
    }
  }
  // The controller's tasks have 1 (pelvis), 3 (CoM), 5 (line foot) or 6 (foot) rows.
  switch (rows) {
    case 1:
      return detail::AddTaskSupport<1>(A, b, weight, support.data(), m, p);
    case 3:
      return detail::AddTaskSupport<3>(A, b, weight, support.data(), m, p);
    case 5:
      return detail::AddTaskSupport<5>(A, b, weight, support.data(), m, p);
    case 6:
      return detail::AddTaskSupport<6>(A, b, weight, support.data(), m, p);
    default:
      return detail::AddTaskSupport<0>(A, b, weight, support.data(), m, p);
  }
}

/// The Jacobians of the previous tick, for the J-dot v terms (finite differences over one
/// tick): the only kinematic state kept across ticks.
struct JacobianHistory {
  Eigen::MatrixXd J_com;                 ///< 3 x nv
  std::array<Eigen::MatrixXd, 2> J_foot; ///< 6 x nv each (left, right sole site)
  double time = -1;                      ///< s; < 0: none yet
};

/// This tick's dynamics and kinematics of one robot (per-tick scratch, sized once).
struct WholeBodyKinematics {
  Eigen::MatrixXd M;                      ///< nv x nv mass matrix
  Eigen::VectorXd h;                      ///< nv bias forces
  Eigen::MatrixXd J_com;                  ///< 3 x nv
  Eigen::MatrixXd J_pelvis;               ///< 6 x nv, at the pelvis origin
  std::array<Eigen::MatrixXd, 2> J_foot;  ///< 6 x nv, at each sole site
  std::array<int, 2> sole_site{};         ///< site ids in the shared model (left, right)
  Eigen::Vector3d com = Eigen::Vector3d::Zero();           ///< m
  Eigen::Vector3d com_velocity = Eigen::Vector3d::Zero();  ///< m/s (J_com v)
  Eigen::Vector3d com_jdotv = Eigen::Vector3d::Zero();     ///< m/s²
  std::array<Vector6d, 2> foot_velocity{Vector6d::Zero(), Vector6d::Zero()};  ///< J_foot v
  std::array<Vector6d, 2> foot_jdotv{Vector6d::Zero(), Vector6d::Zero()};     ///< J-dot_foot v
};

/// Fills `kin` for robot `index` of the shared scene (`sole_site` its sole sites, `v` its
/// nv velocities with the base's angular rate from the gyro) and moves `history` on.
void ComputeKinematics(const mjModel* m, const mjData& d, const RobotIndex& index, const std::array<int, 2>& sole_site,
                       const Eigen::VectorXd& v, JacobianHistory* history, WholeBodyKinematics* kin);

/// A foot task's rows: all 6 for a box sole; for a line sole (it rolls about its long
/// axis) position and the rotations about the sole's own pitch and heading axes.
class FootTask {
 public:
  /// Adds the task `J` qdd = `a` (J the foot's 6 x nv Jacobian, `a` its 6-D target
  /// acceleration) of `weight` to `p`; `sole_site` orients a line sole's rows.
  void Add(const mjData& d, int sole_site, bool line, const Eigen::MatrixXd& J, const Vector6d& a, double weight,
           QpProblem* p);

 private:
  Eigen::MatrixXd rows_;  // a line foot's 5 rows (scratch)
  Eigen::VectorXd target_;
};

/// Swing foot `side`: pose tracking of `foot` (flat, heading from the plan), foot_kp/kd.
void AddSwingFootTask(const mjData& d, int side, const FootReference& foot, const WholeBodyKinematics& kin,
                      bool line, const WholeBodyGains& k, FootTask* task, QpProblem* p);

/// Pelvis orientation (heading, sway roll, bow pitch; `R_base` measured) toward the
/// reference, roll and pitch about the pelvis heading's axes, with `weights`.
void AddPelvisTask(const WholeBodyKinematics& kin, const Eigen::VectorXd& v, const Eigen::Matrix3d& R_base,
                   const RobotReference& ref, const WholeBodyGains& k, const PelvisWeights& weights, QpProblem* p);

/// The joints the posture task tells apart (actuator indices) and the standing posture.
struct PostureJoints {
  std::vector<int> arms;                ///< kArmJoints actuators, in RobotReference::arm_q order
  int torso = -1;                       ///< waist twist
  std::array<int, 2> hanky{-1, -1};     ///< spinners (left, right; -1: none)
  std::vector<double> nominal_q;        ///< rad per actuator (standing posture)
};

/// Joint posture: torso twist, arms, nominal leg bend (redundancy), handkerchief spin
/// phase-locked to the reference; `hanky_error` gets the wrapped spin phase errors (rad).
void AddPostureTasks(const RobotInfo& info, const PostureJoints& joints, const RobotState& state,
                     const RobotReference& ref, const WholeBodyGains& k, std::array<double, 2>* hanky_error,
                     QpProblem* p);

/// Regularisation of the qdd (nv) and the wrenches (6 per `stance_count` foot).
void AddRegularisation(const WholeBodyGains& k, int nv, int stance_count, QpProblem* p);

/// The slope (m/m, sole frame) of the CoP line of `sole` rolled by its sole site's frame `R`
/// (see SoleRectangle::toe_slope); 0 for soles without a toe bar.
double ContactLineSlope(const SoleRectangle& sole, const Eigen::Matrix3d& R);

/// m, how far the roll of a sole whose collision geoms reach `extent` (heel x_min, toe
/// x_max, toe-bar ends y_min and y_max, sole frame) puts the lower end of its toe bar below
/// the lower of its heel and toe centre, the sole site's frame being `R`; 0 for a sole
/// without a toe bar or one that does not roll.
double ToeBarRollDrop(const SoleRectangle& extent, const Eigen::Matrix3d& R);

/// The contacts of the `stance` feet: the floating base's dynamics (equality), stance feet
/// that do not accelerate (a task of w_stance, damped by stance_damping), the motor limits
/// and per foot a unilateral minimum force, the friction pyramid, the CoP within the
/// `soles` rectangles and a bounded yaw moment (inequalities).
void AddContacts(const mjData& d, const RobotInfo& info, const WholeBodyKinematics& kin, const std::vector<int>& stance,
                 const std::array<SoleRectangle, 2>& soles, bool line, const WholeBodyGains& k, FootTask* task,
                 QpProblem* p);

/// Recovery steps keep the knees bent: a lower bound on the `knees`' accelerations that
/// stops them at knee_min within knee_limit_horizon.
void AddKneeBounds(const RobotInfo& info, const std::array<int, 2>& knees, const RobotState& state,
                   const WholeBodyGains& k, int n, QpProblem* p);

/// The whole-body QP solved in fewer variables: the floating base's six equalities give the
/// first stance foot's wrench from the rest, w_1 = K y + k0 (y: qdd and the other foot's
/// wrench), so the solver sees n - 6 variables and no equality: the same strictly convex
/// problem, so the same optimum, without the equalities' QR and with a smaller Cholesky.
class WholeBodyQp {
 public:
  /// Solves `p` (AddContacts' layout: nv qdd, then 6 per stance foot; 6 equality rows) into
  /// `*solution` as QpSolver::Solve would, x and multipliers in p's variables and rows.
  /// Solves `p` as it is where the elimination does not apply (the wrench's Hessian rows
  /// not diagonal, bounds on it, a singular 6 x 6 block).
  QpStatus Solve(const QpProblem& p, int nv, QpSolution* solution);
  /// The solver of the (reduced) problem.
  QpSolver& solver() { return solver_; }
  /// Whether the last Solve eliminated the wrench (false: it solved the problem as given).
  bool reduced() const { return reduced_last_; }

 private:
  // Builds reduced_ (n - 6 variables) from p; false where the elimination does not apply.
  bool Reduce(const QpProblem& p, int nv);

  QpSolver solver_;
  QpProblem reduced_;
  QpSolution reduced_solution_;
  Eigen::Matrix<double, 6, 6> inverse_;           // A_e^-1, A_e the equalities' w_1 block
  Eigen::Matrix<double, 6, Eigen::Dynamic> K_;    // 6 x (n - 6): w_1 = K y + k0
  Vector6d k0_ = Vector6d::Zero();
  Eigen::VectorXd work_;                          // size n
  bool reduced_last_ = false;
};

/// Solves `p` (dropping the knee bounds, then the minimum normal forces, if infeasible)
/// and, when optimal, sets `tau` (nv) from the dynamics and `cop` (m, floor plane) to the
/// centre of pressure of the contact wrenches (left as it was without a normal force).
QpStatus SolveForTorques(const mjData& d, const RobotInfo& info, const WholeBodyKinematics& kin,
                         const std::vector<int>& stance, WholeBodyQp* qp, QpProblem* p, QpSolution* solution,
                         Eigen::VectorXd* tau, Eigen::Vector2d* cop);

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_WHOLE_BODY_TASKS_H_
