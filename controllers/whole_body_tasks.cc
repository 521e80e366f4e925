#include "controllers/whole_body_tasks.h"

#include <Eigen/Geometry>
#include <Eigen/LU>
#include <algorithm>
#include <cmath>
#include <limits>

#include "controllers/angles.h"
#include "controllers/robot_dynamics.h"

namespace yangbot {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr int kContactRows = 15;       // inequality rows of one stance sole's wrench
constexpr double kYawFriction = 0.03;  // m: |yaw moment| <= kYawFriction * normal force
// m: yaw moment a line sole holds about one end with the other end unloaded (its rounded
// contact patch), per newton of normal force. Measured over the gait rows of both robots:
// 0.05 let the stock H1's stance foot spin under a 0.8 rad turning swing, 0.02 broke its
// 1 m/s forward walk.
constexpr double kGripFloor = 0.035;
constexpr double kMaxKneeBrake = 1e3;  // rad/s², most knee deceleration knee_min asks for

using Matrix3 = Eigen::Matrix3d;
using Vector3 = Eigen::Vector3d;

Matrix3 RotationOf(const double* xmat) {
  return Eigen::Map<const Eigen::Matrix<double, 3, 3, Eigen::RowMajor>>(xmat);
}

// Orientation error e (world axes) with R_des = exp([e]) R, for small-angle PD.
Vector3 OrientationError(const Matrix3& desired, const Matrix3& actual) {
  const Eigen::AngleAxisd aa(desired * actual.transpose());
  return aa.angle() * aa.axis();
}

Matrix3 YawPitchRoll(double yaw, double pitch, double roll) {
  return (Eigen::AngleAxisd(yaw, Vector3::UnitZ()) * Eigen::AngleAxisd(pitch, Vector3::UnitY()) *
          Eigen::AngleAxisd(roll, Vector3::UnitX()))
      .toRotationMatrix();
}

}  // namespace

double ContactLineSlope(const SoleRectangle& sole, const Eigen::Matrix3d& R) {
  constexpr double kTipped = 0.02;  // rad of roll from which the foot rests on one toe-bar end
  const double roll = std::atan2(R(2, 1), R(2, 2));
  return -sole.toe_slope * std::clamp(roll / kTipped, -1.0, 1.0);  // roll > 0: on the -y end
}

double ToeBarRollDrop(const SoleRectangle& extent, const Matrix3& R) {
  const double zx = R(2, 0), zy = R(2, 1);  // world heights of the sole's x and y axes
  const double flat = std::min(zx * extent.x_min, zx * extent.x_max);
  const double toe_end = zx * extent.x_max + std::min(zy * extent.y_min, zy * extent.y_max);
  return std::max(0.0, flat - toe_end);
}

void ComputeKinematics(const mjModel* m, const mjData& d, const RobotIndex& index, const std::array<int, 2>& sole_site,
                       const Eigen::VectorXd& v, JacobianHistory* history, WholeBodyKinematics* kin) {
  const int nv = static_cast<int>(v.size());
  RobotMassMatrix(m, d, index.dof_begin, nv, &kin->M);
  RobotBias(d, index.dof_begin, nv, &kin->h);
  RobotComJacobian(m, d, index.body_begin, index.dof_begin, nv, &kin->J_com);
  kin->sole_site = sole_site;
  for (int side = 0; side < 2; ++side) {
    RobotPointJacobian(m, d, m->site_bodyid[sole_site[side]], d.site_xpos + 3 * sole_site[side], index.dof_begin, nv,
                       &kin->J_foot[side]);
  }
  RobotPointJacobian(m, d, index.body_begin, d.xpos + 3 * index.body_begin, index.dof_begin, nv, &kin->J_pelvis);

  // J-dot v by finite differences of the Jacobians over the last tick.
  const double dt = history->time >= 0 ? d.time - history->time : 0;
  kin->com = Vector3(d.subtree_com + 3 * index.body_begin);
  kin->com_velocity.noalias() = kin->J_com * v;  // noalias: no dynamic-size temporary
  kin->com_jdotv = Vector3::Zero();
  for (int side = 0; side < 2; ++side) {
    kin->foot_velocity[side].noalias() = kin->J_foot[side] * v;
    kin->foot_jdotv[side].setZero();
  }
  if (dt > 0 && dt < 0.05) {
    // Coefficient-wise products: no temporary for the differences.
    kin->com_jdotv = (kin->J_com - history->J_com).lazyProduct(v) / dt;
    for (int side = 0; side < 2; ++side) {
      kin->foot_jdotv[side] = (kin->J_foot[side] - history->J_foot[side]).lazyProduct(v) / dt;
    }
  }
  history->J_com = kin->J_com;
  history->J_foot = kin->J_foot;
  history->time = d.time;
}

void FootTask::Add(const mjData& d, int sole_site, bool line, const Eigen::MatrixXd& J, const Vector6d& a,
                   double weight, QpProblem* p) {
  if (!line) {
    AddTask(J, a, weight, p);
    return;
  }
  // Linear rows, and the angular rows about the sole's own y (pitch) and z (heading) axes.
  const Matrix3 R = RotationOf(d.site_xmat + 9 * sole_site);
  rows_.resize(5, J.cols());
  target_.resize(5);
  rows_.topRows<3>() = J.topRows<3>();
  target_.head<3>() = a.head<3>();
  for (int i = 0; i < 2; ++i) {
    const Vector3 axis = R.col(i + 1);
    rows_.row(3 + i).noalias() = axis.transpose().lazyProduct(J.bottomRows<3>());  // no temporary
    target_(3 + i) = axis.dot(a.tail<3>());
  }
  AddTask(rows_, target_, weight, p);
}

void AddSwingFootTask(const mjData& d, int side, const FootReference& f, const WholeBodyKinematics& kin, bool line,
                      const WholeBodyGains& k, FootTask* task, QpProblem* p) {
  const int site = kin.sole_site[side];
  const Vector3 pos(d.site_xpos + 3 * site);
  const Matrix3 R = RotationOf(d.site_xmat + 9 * site);
  const Vector6d& jv = kin.foot_velocity[side];
  Vector6d acc;
  acc.head<3>() = f.acceleration + k.foot_kp * (f.position - pos) + k.foot_kd * (f.velocity - jv.head<3>());
  acc.tail<3>() = k.foot_kp * OrientationError(YawPitchRoll(f.yaw, 0, 0), R) +
                  k.foot_kd * (Vector3(0, 0, f.yaw_rate) - jv.tail<3>());
  task->Add(d, site, line, kin.J_foot[side], acc - kin.foot_jdotv[side], k.w_foot, p);
}

void AddPelvisTask(const WholeBodyKinematics& kin, const Eigen::VectorXd& v, const Matrix3& R,
                   const RobotReference& ref, const WholeBodyGains& k, const PelvisWeights& weights, QpProblem* p) {
  const Eigen::MatrixXd& J_pelvis = kin.J_pelvis;
  const Vector3 omega_pelvis = J_pelvis.bottomRows<3>() * v;
  const Vector3 acc = k.pelvis_kp * OrientationError(YawPitchRoll(ref.pelvis_yaw, ref.trunk_pitch, ref.trunk_roll), R) +
                      k.pelvis_kd * (Vector3(0, 0, ref.pelvis_yaw_rate) - omega_pelvis);
  // Roll and pitch about the pelvis heading's axes (world z turned by the heading).
  const double c = std::cos(ref.pelvis_yaw), sn = std::sin(ref.pelvis_yaw);
  const auto J_roll = c * J_pelvis.row(3) + sn * J_pelvis.row(4);  // expressions: no copies
  const auto J_pitch = -sn * J_pelvis.row(3) + c * J_pelvis.row(4);
  AddTask(J_roll, Eigen::Matrix<double, 1, 1>(c * acc.x() + sn * acc.y()), weights.roll, p);
  AddTask(J_pitch, Eigen::Matrix<double, 1, 1>(-sn * acc.x() + c * acc.y()), weights.pitch, p);
  AddTask(J_pelvis.bottomRows<1>(), acc.tail<1>(), weights.yaw, p);  // heading
}

void AddPostureTasks(const RobotInfo& info, const PostureJoints& joints, const RobotState& state,
                     const RobotReference& ref, const WholeBodyGains& k, std::array<double, 2>* hanky_error,
                     QpProblem* p) {
  for (int a = 0; a < info.nu; ++a) {
    const int dof = info.actuator_dof[a];
    double q_ref = joints.nominal_q[a], qd_ref = 0, kp = k.posture_kp, kd = k.posture_kd, w = k.w_legs;
    double acc = 0;
    bool have_acc = false;
    if (a == joints.torso) {
      q_ref = ref.torso_yaw, qd_ref = ref.torso_yaw_rate, w = k.w_torso;
    } else if (a == joints.hanky[0] || a == joints.hanky[1]) {
      const int side = a == joints.hanky[0] ? 0 : 1;
      const HankyReference& hr = ref.hanky[side];
      const double error = hr.spinning ? WrapAngle(hr.phase - state.joint_q[a]) : 0;
      (*hanky_error)[side] = error;
      acc = (hr.spinning ? hr.acceleration : 0) + k.hanky_kp * error +
            k.hanky_kd * ((hr.spinning ? hr.rate : 0) - state.joint_v[a]);
      have_acc = true;
      w = k.w_hanky;
    } else {
      const auto arm = std::find(joints.arms.begin(), joints.arms.end(), a);
      if (arm != joints.arms.end()) {
        const int j = static_cast<int>(arm - joints.arms.begin());
        q_ref = ref.arm_q[j], qd_ref = ref.arm_qd[j], kp = k.arm_kp, kd = k.arm_kd, w = k.w_arms;
      }
    }
    if (!have_acc) acc = kp * (q_ref - state.joint_q[a]) + kd * (qd_ref - state.joint_v[a]);
    p->H(dof, dof) += w;
    p->g(dof) -= w * acc;
  }
}

void AddRegularisation(const WholeBodyGains& k, int nv, int stance_count, QpProblem* p) {
  p->H.diagonal().head(nv).array() += k.w_qdd;
  p->H.diagonal().tail(6 * stance_count).array() += k.w_wrench;
}

void AddContacts(const mjData& d, const RobotInfo& info, const WholeBodyKinematics& kin, const std::vector<int>& stance,
                 const std::array<SoleRectangle, 2>& soles, bool line, const WholeBodyGains& k, FootTask* task,
                 QpProblem* p) {
  const int nv = info.nv;
  const int ns = static_cast<int>(stance.size());
  const int n = nv + 6 * ns;
  // Equality: the floating base's dynamics. Stance feet do not accelerate: a task of
  // weight w_stance, not an equality (see WholeBodyGains::w_stance).
  p->A_eq.setZero(6, n);
  p->A_eq.topLeftCorner(6, nv) = kin.M.topRows(6);
  p->b_eq = -kin.h.head(6);
  for (int s = 0; s < ns; ++s) {
    const int side = stance[s];
    p->A_eq.block(0, nv + 6 * s, 6, 6) = -kin.J_foot[side].leftCols(6).transpose();
    task->Add(d, kin.sole_site[side], line, kin.J_foot[side],
              -kin.foot_jdotv[side] - k.stance_damping * kin.foot_velocity[side], k.w_stance, p);
  }

  // Inequalities: torque limits, then contact wrench cones.
  const int rows = info.nu + kContactRows * ns;
  p->C.setZero(rows, n);
  p->c_lower.setConstant(rows, -kInf);
  p->c_upper.setConstant(rows, kInf);
  for (int a = 0; a < info.nu; ++a) {
    const int dof = info.actuator_dof[a];
    p->C.row(a).head(nv) = kin.M.row(dof);
    for (int s = 0; s < ns; ++s) p->C.row(a).segment(nv + 6 * s, 6) = -kin.J_foot[stance[s]].col(dof).transpose();
    p->c_lower(a) = k.torque_margin * info.ctrl_min[a] - kin.h(dof);
    p->c_upper(a) = k.torque_margin * info.ctrl_max[a] - kin.h(dof);
  }
  for (int s = 0; s < ns; ++s) {
    const int side = stance[s];
    const Matrix3 R = RotationOf(d.site_xmat + 9 * kin.sole_site[side]);
    const SoleRectangle& sole = soles[side];
    const int f = nv + 6 * s, t = f + 3;  // force and moment columns
    int row = info.nu + kContactRows * s;
    auto add = [&](const Vector3& force_row, const Vector3& moment_row, double lo, double hi) {
      p->C.row(row).segment<3>(f) = force_row.transpose();
      p->C.row(row).segment<3>(t) = moment_row.transpose();
      p->c_lower(row) = lo;
      p->c_upper(row) = hi;
      ++row;
    };
    const Vector3 x = R.col(0), y = R.col(1), z = R.col(2), zero = Vector3::Zero();
    const double mu = k.friction;
    add(z, zero, k.min_normal_force, kInf);               // unilateral
    add(x - mu * z, zero, -kInf, 0);                      // friction pyramid
    add(x + mu * z, zero, 0, kInf);
    add(y - mu * z, zero, -kInf, 0);
    add(y + mu * z, zero, 0, kInf);
    const double slope = ContactLineSlope(sole, R);       // CoP y - slope (CoP x - heel)
    add((slope * sole.heel - sole.y_max) * z, x + slope * y, -kInf, 0);  // <= y_max
    add((slope * sole.heel - sole.y_min) * z, x + slope * y, 0, kInf);   // >= y_min
    add(sole.x_max * z, y, 0, kInf);                      // CoP x <= x_max
    add(sole.x_min * z, y, -kInf, 0);                     // CoP x >= x_min
    add(-kYawFriction * z, z, -kInf, 0);                  // yaw moment
    add(kYawFriction * z, z, 0, kInf);
    // Yaw grip of a line sole: it stands on its two ends (heel x_min, toe x_max), each
    // holding a sideways friction force up to mu times its own load (plus kGripFloor's
    // share), so the yaw moment and the sideways force are what those two forces give: a
    // sole whose CoP sits at its heel holds little yaw about that heel. The |m_z| <=
    // kYawFriction f_z rows alone bound the moment about the sole's centre, which a
    // sideways force at the heel adds to: the stock H1's stance foot, its CoP at the heel
    // under a 0.8 rad turning swing, spun 0.2 rad and the turn in place ran off 1.3-1.7 m.
    const bool line = sole.y_max - sole.y_min < kLineSoleWidth;
    const double xh = sole.x_min, xt = sole.x_max;
    auto grip = [&](const Vector3& force_row, const Vector3& moment_row) {
      add(force_row - kGripFloor * z, moment_row, -kInf, line ? 0 : kInf);  // inactive on wider soles
    };
    grip(-xh * y + mu * xh * z, z + mu * y);    // toe's sideways force <= mu f_toe
    grip(xh * y + mu * xh * z, -z + mu * y);    // and >= -mu f_toe
    grip(xt * y - mu * xt * z, -z - mu * y);    // heel's sideways force <= mu f_heel
    grip(-xt * y - mu * xt * z, z - mu * y);    // and >= -mu f_heel
  }
  p->x_lower.resize(0);
  p->x_upper.resize(0);
}

void AddKneeBounds(const RobotInfo& info, const std::array<int, 2>& knees, const RobotState& state,
                   const WholeBodyGains& k, int n, QpProblem* p) {
  if (!(k.knee_min > -kInf)) return;
  p->x_lower.setConstant(n, -kInf);
  p->x_upper.setConstant(n, kInf);
  for (const int a : knees) {
    const double h = k.knee_limit_horizon;
    const double q = state.joint_q[a], qd = state.joint_v[a];
    p->x_lower(info.actuator_dof[a]) = std::max(-kMaxKneeBrake, 2 * (k.knee_min - q - qd * h) / (h * h));
  }
}

bool WholeBodyQp::Reduce(const QpProblem& p, int nv) {
  const int n = static_cast<int>(p.H.rows());
  const int e = nv;               // first column of w_1
  const int rest = n - nv - 6;    // columns after w_1
  const int nr = n - 6;
  const Eigen::Index m = p.C.rows();
  if (nv < 0 || rest < 0 || p.A_eq.rows() != 6 || p.A_eq.cols() != n || p.b_eq.size() != 6 ||
      p.H.cols() != n || p.g.size() != n || (m > 0 && p.C.cols() != n) || p.c_lower.size() != m ||
      p.c_upper.size() != m) {
    return false;
  }
  // w_1's rows and columns of H hold only the diagonal (the wrench regularisation).
  const auto rows = p.H.middleRows<6>(e);
  const auto columns = p.H.middleCols<6>(e);
  const Eigen::Matrix<double, 6, 6> block_ee = p.H.block<6, 6>(e, e);
  if ((rows.leftCols(nv).array() != 0.0).any() || (rows.rightCols(rest).array() != 0.0).any() ||
      (columns.topRows(nv).array() != 0.0).any() || (columns.bottomRows(rest).array() != 0.0).any() ||
      !block_ee.isDiagonal(0.0)) {
    return false;
  }
  const auto free = [](const Eigen::VectorXd& v, int begin, double infinity) {
    return v.size() == 0 || (v.segment(begin, 6).array() == infinity).all();
  };
  if (!free(p.x_lower, e, -kInf) || !free(p.x_upper, e, kInf)) return false;
  // A_e w_1 + A_r y = b: w_1 = A_e^-1 (b - A_r y).
  const Eigen::Matrix<double, 6, 6> block = p.A_eq.block<6, 6>(0, e);
  const Eigen::PartialPivLU<Eigen::Matrix<double, 6, 6>> lu(block);
  if (!(lu.rcond() > 1e-12)) return false;
  inverse_ = lu.inverse();
  K_.resize(6, nr);
  K_.leftCols(nv).noalias() = (-inverse_).lazyProduct(p.A_eq.leftCols(nv));
  K_.rightCols(rest).noalias() = (-inverse_).lazyProduct(p.A_eq.rightCols(rest));
  k0_.noalias() = inverse_ * p.b_eq;

  // Cost: H_rr + K' D K, g_r + K' (D k0 + g_e), D = diag(H_ee). K has 6 rows: its
  // products are 6-term dot products of columns (one per entry of the lower triangle, added
  // to both halves), cheaper than a general matrix product at this size.
  const Vector6d d = p.H.diagonal().segment<6>(e);
  QpProblem& r = reduced_;
  r.H.resize(nr, nr);
  r.H.topLeftCorner(nv, nv) = p.H.topLeftCorner(nv, nv);
  r.H.topRightCorner(nv, rest) = p.H.topRightCorner(nv, rest);
  r.H.bottomLeftCorner(rest, nv) = p.H.bottomLeftCorner(rest, nv);
  r.H.bottomRightCorner(rest, rest) = p.H.bottomRightCorner(rest, rest);
  for (int j = 0; j < nr; ++j) {
    const Vector6d dk = d.cwiseProduct(K_.col(j));
    r.H(j, j) += K_.col(j).dot(dk);
    for (int i = j + 1; i < nr; ++i) {
      const double value = K_.col(i).dot(dk);
      r.H(i, j) += value;
      r.H(j, i) += value;
    }
  }
  r.g.resize(nr);
  r.g.head(nv) = p.g.head(nv);
  r.g.tail(rest) = p.g.tail(rest);
  const Vector6d linear = d.cwiseProduct(k0_) + p.g.segment<6>(e);
  r.g.noalias() += K_.transpose().lazyProduct(linear);
  r.A_eq.resize(0, nr);
  r.b_eq.resize(0);

  // Rows: C_r + C_e K, bounds shifted by C_e k0, only for rows that involve w_1 (the
  // torque rows of its leg's joints and its own cone; the rest keep their zeros).
  r.C.resize(m, nr);
  r.C.leftCols(nv) = p.C.leftCols(nv);
  r.C.rightCols(rest) = p.C.rightCols(rest);
  r.c_lower = p.c_lower;
  r.c_upper = p.c_upper;
  const auto C_e = p.C.middleCols<6>(e);
  for (Eigen::Index i = 0; i < m; ++i) {
    const Eigen::Matrix<double, 1, 6> row = C_e.row(i);
    if ((row.array() == 0.0).all()) continue;
    r.C.row(i).noalias() += row.lazyProduct(K_);
    const double shift = row.dot(k0_);
    r.c_lower(i) -= shift;
    r.c_upper(i) -= shift;
  }
  const auto keep = [&](const Eigen::VectorXd& v, Eigen::VectorXd* out) {
    if (v.size() == 0) {
      out->resize(0);
      return;
    }
    out->resize(nr);
    out->head(nv) = v.head(nv);
    out->tail(rest) = v.tail(rest);
  };
  keep(p.x_lower, &r.x_lower);
  keep(p.x_upper, &r.x_upper);
  return true;
}

QpStatus WholeBodyQp::Solve(const QpProblem& p, int nv, QpSolution* s) {
  reduced_last_ = Reduce(p, nv);
  if (!reduced_last_) return solver_.Solve(p, s);
  const QpSolution& r = reduced_solution_;
  const QpStatus status = solver_.Solve(reduced_, &reduced_solution_);
  const int n = static_cast<int>(p.H.rows());
  const int e = nv, rest = n - nv - 6;
  s->status = status;
  s->iterations = r.iterations;
  s->active_set = r.active_set;  // rows of C keep their numbers; bounds on y_j map below
  const int m = static_cast<int>(p.C.rows());
  for (int& index : s->active_set) {
    if (index >= m + nv) index += 6;
  }
  if (r.x.size() != n - 6) {
    s->x.resize(0);
    s->y_eq.resize(0);
    s->z_ineq.resize(0);
    s->z_bounds.resize(0);
    s->objective = std::numeric_limits<double>::quiet_NaN();
    return status;
  }
  s->x.resize(n);
  s->x.head(nv) = r.x.head(nv);
  s->x.tail(rest) = r.x.tail(rest);
  s->x.segment<6>(e).noalias() = K_ * r.x + k0_;
  s->z_ineq = r.z_ineq;
  s->z_bounds.setZero(n);
  s->z_bounds.head(nv) = r.z_bounds.head(nv);
  s->z_bounds.tail(rest) = r.z_bounds.tail(rest);
  // Equality multipliers from p's KKT rows of w_1: (H x + g + C' z)_e + A_e' y = 0.
  work_.noalias() = p.H * s->x;
  s->objective = 0.5 * s->x.dot(work_) + p.g.dot(s->x);
  Vector6d residual = work_.segment<6>(e) + p.g.segment<6>(e);
  residual.noalias() += p.C.middleCols<6>(e).transpose() * s->z_ineq;
  s->y_eq = -(inverse_.transpose() * residual);
  return status;
}

QpStatus SolveForTorques(const mjData& d, const RobotInfo& info, const WholeBodyKinematics& kin,
                         const std::vector<int>& stance, WholeBodyQp* qp, QpProblem* p, QpSolution* solution,
                         Eigen::VectorXd* tau, Eigen::Vector2d* cop) {
  const int nv = info.nv;
  const int ns = static_cast<int>(stance.size());
  QpStatus status = qp->Solve(*p, nv, solution);
  if (status == QpStatus::kInfeasible && p->x_lower.size() > 0) {
    p->x_lower.resize(0);
    p->x_upper.resize(0);
    status = qp->Solve(*p, nv, solution);
  }
  if (status == QpStatus::kInfeasible) {
    // The minimum normal forces may not fit the torque limits at a landing impact: retry
    // without them.
    for (int s = 0; s < ns; ++s) p->c_lower(info.nu + kContactRows * s) = 0;
    status = qp->Solve(*p, nv, solution);
  }
  if (status != QpStatus::kOptimal) return status;
  tau->noalias() = kin.M * solution->x.head(nv);
  *tau += kin.h;
  Vector3 force = Vector3::Zero(), moment = Vector3::Zero();
  const Vector3 origin = kin.com;
  for (int s = 0; s < ns; ++s) {
    const Vector6d w = solution->x.segment<6>(nv + 6 * s);
    tau->noalias() -= kin.J_foot[stance[s]].transpose() * w;
    const Vector3 at(d.site_xpos + 3 * kin.sole_site[stance[s]]);
    force += w.head<3>();
    moment += w.tail<3>() + (at - origin).cross(w.head<3>());
  }
  // Centre of pressure on the floor plane through the soles (diagnostic).
  const double floor_z = d.site_xpos[3 * kin.sole_site[stance[0]] + 2];
  if (force.z() > 1e-6) {
    cop->x() = origin.x() - (moment.y() + force.x() * (origin.z() - floor_z)) / force.z();
    cop->y() = origin.y() + (moment.x() - force.y() * (origin.z() - floor_z)) / force.z();
  }
  return status;
}

}  // namespace yangbot
