#include "controllers/zmp_preview.h"

#include <Eigen/Cholesky>
#include <algorithm>
#include <cmath>
#include <string>

#include "sim/error.h"

namespace yangbot {
namespace {

using Matrix4d = Eigen::Matrix4d;
using Vector4d = Eigen::Vector4d;

// Fixed-point iteration of the discrete algebraic Riccati equation
//   P = Q + A'PA - A'PB (R + B'PB)^-1 B'PA
// from P = Q; converges for stabilisable (A, B) and detectable (Q^1/2, A).
Matrix4d SolveRiccati(const Matrix4d& a, const Vector4d& b, const Matrix4d& q, double r,
                      int* iterations) {
  constexpr int kMaxIterations = 1000000;
  constexpr double kTolerance = 1e-11;  // relative change of P per iteration
  Matrix4d p = q;
  for (int i = 1; i <= kMaxIterations; ++i) {
    const Vector4d pb = p * b;
    const double s = r + b.dot(pb);
    const Eigen::RowVector4d pba = pb.transpose() * a;  // B'PA
    Matrix4d next = q + a.transpose() * p * a - pba.transpose() * pba / s;
    next = 0.5 * (next + next.transpose());
    const double change = (next - p).cwiseAbs().maxCoeff();
    p = next;
    if (change <= kTolerance * p.cwiseAbs().maxCoeff()) {
      *iterations = i;
      return p;
    }
  }
  throw Error("ZMP preview: the Riccati iteration did not converge; check dt, qe and r");
}

}  // namespace

ZmpPreviewGains ComputeZmpPreviewGains(const ZmpPreviewParams& params) {
  if (!(params.dt > 0) || !(params.com_height > 0) || !(params.gravity > 0) || !(params.r > 0) ||
      !(params.qe > 0) || !(params.horizon > 0)) {
    throw Error("ZMP preview: dt, com_height, gravity, qe, r and horizon must be positive");
  }
  const double dt = params.dt;
  ZmpPreviewGains g;
  g.params = params;
  g.a << 1, dt, dt * dt / 2, 0, 1, dt, 0, 0, 1;
  g.b << dt * dt * dt / 6, dt * dt / 2, dt;
  g.c << 1, 0, -params.com_height / params.gravity;

  // Augmented system on X = [e; x_k - x_{k-1}] (Katayama 1985, as used by Kajita 2003).
  Matrix4d a_aug = Matrix4d::Zero();
  a_aug(0, 0) = 1;
  a_aug.block<1, 3>(0, 1) = g.c * g.a;
  a_aug.block<3, 3>(1, 1) = g.a;
  Vector4d b_aug;
  b_aug(0) = g.c.dot(g.b);
  b_aug.tail<3>() = g.b;
  Matrix4d q_aug = Matrix4d::Zero();
  q_aug(0, 0) = params.qe;

  const Matrix4d p = SolveRiccati(a_aug, b_aug, q_aug, params.r, &g.riccati_iterations);
  const double s = params.r + b_aug.dot(p * b_aug);
  const Eigen::RowVector4d k = (b_aug.transpose() * p * a_aug) / s;  // [Gi, Gx]
  g.gi = k(0);
  g.gx = k.tail<3>();

  // Gd(j) = -(R + B'PB)^-1 B' (Ac')^(j-1) P I1, with Ac = A - BK and I1 = [1 0 0 0]'
  // (Kajita 2003); Gd(1) = -Gi because A I1 = I1.
  const int n = std::max(1, static_cast<int>(std::lround(params.horizon / dt)));
  g.gd.resize(n);
  const Matrix4d ac_t = (a_aug - b_aug * k).transpose();
  Vector4d x = p.col(0);  // (Ac')^(j-1) P I1
  for (int j = 0; j < n; ++j) {
    g.gd(j) = -b_aug.dot(x) / s;
    x = ac_t * x;
  }
  return g;
}

Eigen::Vector2d CartTableZmp(const ZmpPreviewGains& gains, const CartState& state) {
  return (gains.c * state).transpose();
}

ZmpPreviewController::ZmpPreviewController(const ZmpPreviewParams& params)
    : ZmpPreviewController(ComputeZmpPreviewGains(params)) {}

ZmpPreviewController::ZmpPreviewController(const ZmpPreviewGains& gains) : gains_(gains) {}

void ZmpPreviewController::Reset(const Eigen::Vector2d& com) {
  state_.setZero();
  state_.row(0) = com.transpose();
  previous_state_ = state_;
  jerk_.setZero();
}

void ZmpPreviewController::SetState(const CartState& state, const Eigen::Vector2d& previous_jerk) {
  state_ = state;
  jerk_ = previous_jerk.transpose();
  // x_{k-1} from x_k = A x_{k-1} + B u_{k-1}: invert the (unit upper triangular) A.
  const double dt = gains_.params.dt;
  Eigen::Matrix3d a_inv;
  a_inv << 1, -dt, dt * dt / 2, 0, 1, -dt, 0, 0, 1;
  previous_state_ = a_inv * (state_ - gains_.b * jerk_);
}

Eigen::Vector2d ZmpPreviewController::Step(std::span<const Eigen::Vector2d> zmp_ref) {
  if (zmp_ref.empty()) throw Error("ZMP preview: empty reference window");
  const int n = gains_.preview_steps();
  const int last = static_cast<int>(zmp_ref.size()) - 1;
  // du_k = -Gi e_k - Gx dx_k - sum_j Gd(j) (p_ref_{k+j} - p_ref_{k+j-1}).
  Eigen::RowVector2d du = -gains_.gi * ((gains_.c * state_) - zmp_ref[0].transpose()) -
                          gains_.gx * (state_ - previous_state_);
  const int m = std::min(n, last);  // beyond the window the differences are zero
  for (int j = 1; j <= m; ++j) {
    du -= gains_.gd(j - 1) * (zmp_ref[j] - zmp_ref[j - 1]).transpose();
  }
  jerk_ += du;
  previous_state_ = state_;
  state_ = gains_.a * state_ + gains_.b * jerk_;
  return jerk_.transpose();
}

ComTrajectory ComputeComTrajectory(const ZmpPreviewGains& gains,
                                   const std::vector<Eigen::Vector2d>& zmp_ref,
                                   const Eigen::Vector2d& initial_com) {
  if (zmp_ref.empty()) throw Error("ZMP preview: empty reference");
  const int k_count = static_cast<int>(zmp_ref.size());
  const int n = gains.preview_steps();
  ComTrajectory out;
  out.dt = gains.params.dt;
  out.states.resize(k_count);
  out.jerks.resize(k_count);
  out.zmp.resize(k_count);
  ZmpPreviewController controller(gains);
  controller.Reset(initial_com);
  for (int k = 0; k < k_count; ++k) {
    out.states[k] = controller.state();
    out.zmp[k] = controller.zmp();
    const size_t window = static_cast<size_t>(std::min(n + 1, k_count - k));
    out.jerks[k] = controller.Step(std::span<const Eigen::Vector2d>(zmp_ref).subspan(k, window));
  }
  return out;
}

}  // namespace yangbot
