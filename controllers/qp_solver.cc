#include "controllers/qp_solver.h"

#include <Eigen/Householder>
#include <Eigen/Jacobi>
#include <algorithm>
#include <cmath>
#include <limits>

// Notation (Goldfarb & Idnani 1983). Constraints are handled as one-sided
// n'x >= b: an equality row a gives (a, b_eq); the lower side of row c of C
// gives (c, lower); the upper side gives (-c, -upper); bounds use +-e_j.
// With H = L L' and the q active normals N, the solver keeps
//   J = L^-T Q  (Q orthogonal),   J' N = [R; 0]  (R upper triangular q x q).
// Split J = [J1 J2] after column q. For a new normal n with d = J'n:
//   z = J2 d2 is the primal step direction (H z = n projected),
//   r = R^-1 d1 is the change of the active multipliers per unit step,
//   n'z = |d2|^2, so a full step t2 = -slack / |d2|^2 makes n active.
// Active multipliers u >= 0 (equalities: any sign) satisfy H x + g = N u.

namespace yangbot {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// Whether every entry is finite, in one vectorised pass: x * 0 is 0 for finite x and NaN for
// an infinity or a NaN, so the sum is 0 exactly when all are finite (Eigen's allFinite tests
// entry by entry and stops early, several times slower at these sizes).
template <typename Derived>
bool AllFinite(const Eigen::MatrixBase<Derived>& m) {
  return (m.array() * 0.0).sum() == 0.0;
}

}  // namespace

const char* QpStatusName(QpStatus status) {
  switch (status) {
    case QpStatus::kOptimal:
      return "kOptimal";
    case QpStatus::kInfeasible:
      return "kInfeasible";
    case QpStatus::kMaxIterations:
      return "kMaxIterations";
    case QpStatus::kInvalidInput:
      return "kInvalidInput";
  }
  return "unknown";
}

QpStatus QpSolver::Validate(const QpProblem& p) {
  const Eigen::Index n = p.H.rows();
  if (n == 0 || p.H.cols() != n || p.g.size() != n) return QpStatus::kInvalidInput;
  if (p.A_eq.rows() > 0 && p.A_eq.cols() != n) return QpStatus::kInvalidInput;
  if (p.b_eq.size() != p.A_eq.rows()) return QpStatus::kInvalidInput;
  if (p.C.rows() > 0 && p.C.cols() != n) return QpStatus::kInvalidInput;
  if (p.c_lower.size() != p.C.rows() || p.c_upper.size() != p.C.rows()) {
    return QpStatus::kInvalidInput;
  }
  if ((p.x_lower.size() != 0 && p.x_lower.size() != n) ||
      (p.x_upper.size() != 0 && p.x_upper.size() != n)) {
    return QpStatus::kInvalidInput;
  }
  if (!AllFinite(p.g) || !AllFinite(p.A_eq) || !AllFinite(p.b_eq) || !AllFinite(p.C)) {
    return QpStatus::kInvalidInput;
  }
  if (p.c_lower.hasNaN() || p.c_upper.hasNaN() || p.x_lower.hasNaN() || p.x_upper.hasNaN()) {
    return QpStatus::kInvalidInput;
  }
  // Finiteness and magnitude, each one vectorised pass; asymmetry over the lower triangle
  // against the upper, entry by entry.
  if (!AllFinite(p.H)) return QpStatus::kInvalidInput;
  const double max_abs = p.H.cwiseAbs().maxCoeff();
  double max_asymmetry = 0.0;
  for (Eigen::Index j = 0; j < n; ++j) {
    for (Eigen::Index i = j + 1; i < n; ++i) {
      max_asymmetry = std::max(max_asymmetry, std::abs(p.H(i, j) - p.H(j, i)));
    }
  }
  if (max_asymmetry > options_.symmetry_tol * max_abs) return QpStatus::kInvalidInput;
  return QpStatus::kOptimal;
}

void QpSolver::Resize(const QpProblem& p, QpSolution* s) {
  n_ = static_cast<int>(p.H.rows());
  m_eq_ = static_cast<int>(p.A_eq.rows());
  m_in_ = static_cast<int>(p.C.rows());
  nb_ = (p.x_lower.size() != 0 || p.x_upper.size() != 0) ? n_ : 0;
  const int m = m_in_ + nb_;
  // Eigen's and std::vector's resize() keep their storage when the size is
  // unchanged, so solves of one problem size allocate only the first time.
  L_.resize(n_, n_);
  J_.resize(n_, n_);
  R_.resize(n_, n_);
  At_.resize(n_, m_eq_);
  V_.resize(n_, m_eq_);
  W_.resize(n_, m_eq_);
  T_.resize(m_eq_, m_eq_);
  Y_.resize(m_eq_, n_);
  tau_.resize(m_eq_);
  Ct_.resize(n_, m_in_);
  for (Eigen::VectorXd* v : {&x_, &d_, &z_, &r_, &u_, &work_, &householder_}) v->resize(n_);
  b_eq_.resize(m_eq_);
  cx_.resize(m_in_);
  row_norm_.resize(m);
  lower_.resize(m);
  upper_.resize(m);
  active_index_.resize(n_);
  active_side_.resize(n_);
  status_.assign(m, 0);
  s->x.resize(n_);
  s->y_eq.resize(m_eq_);
  s->z_ineq.resize(m_in_);
  s->z_bounds.resize(n_);
  if (s->active_set.capacity() < static_cast<size_t>(m)) s->active_set.reserve(m);
  s->active_set.clear();
}

bool QpSolver::Factorise(const Eigen::MatrixXd& H) {
  const int n = n_;
  // Left-looking Cholesky, one column of L per step (reads the lower triangle of H).
  for (int j = 0; j < n; ++j) {
    auto column = L_.col(j).tail(n - j);
    column = H.col(j).tail(n - j);
    if (j > 0) column.noalias() -= L_.block(j, 0, n - j, j) * L_.row(j).head(j).transpose();
    // The pivot, relative to H_jj, is invariant under diagonal scaling of H.
    if (!(column(0) > options_.pd_tol * H(j, j)) || !(column(0) > 0.0)) return false;
    const double diagonal = std::sqrt(column(0));
    column(0) = diagonal;
    column.tail(n - j - 1) /= diagonal;
  }
  // J = L^-T = U^-1 with U = L', by columns: J(0:i, i) = -J(0:i, 0:i) U(0:i, i) / U(i, i).
  // J(0:i, 0:i) is upper triangular: its rows from k = i/2 on only need columns k..i-1.
  for (int i = 0; i < n; ++i) {
    const double inverse = 1.0 / L_(i, i);
    if (i > 0) {
      const int k = i / 2;
      auto w = work_.head(i);
      w = L_.row(i).head(i).transpose();
      J_.col(i).head(k).noalias() = J_.topLeftCorner(k, i) * w;
      J_.col(i).segment(k, i - k).noalias() = J_.block(k, k, i - k, i - k) * w.tail(i - k);
      J_.col(i).head(i) *= -inverse;
    }
    J_(i, i) = inverse;
    J_.col(i).tail(n - i - 1).setZero();
  }
  return true;
}

QpStatus QpSolver::AddEqualities(int* q) {
  // Same result as adding the equalities one by one, but with blocked
  // (matrix-matrix) work: QR of D = J' A_eq' = Q [R; 0] by Householder
  // reflections H_0..H_{k-1}, kept in compact form Q = I - V T V', then
  // J <- J Q. Rows dependent on earlier ones get no reflector.
  const int n = n_;
  const int m = m_eq_;
  // J is still L^-T here, upper triangular.
  V_.noalias() = J_.triangularView<Eigen::Upper>().transpose() * At_;  // D, turned into V in place.
  int kept = 0;
  for (int k = 0; k < m; ++k) {
    auto column = V_.col(k);
    const double limit = dependency_scale_ * At_.col(k).norm();
    if (kept == n || column.tail(n - kept).squaredNorm() <= limit * limit) {
      continue;  // Dependent: its consistency is checked below.
    }
    auto tail = column.tail(n - kept);
    double tau = 0.0;
    double beta = 0.0;
    tail.makeHouseholderInPlace(tau, beta);
    if (k + 1 < m) {
      auto rest = V_.block(kept, k + 1, n - kept, m - k - 1);
      rest.applyHouseholderOnTheLeft(tail.tail(n - kept - 1), tau, work_.data());
    }
    R_.col(kept).head(kept) = column.head(kept);
    R_(kept, kept) = beta;
    auto v = V_.col(kept);
    if (kept != k) v.tail(n - kept - 1) = column.tail(n - kept - 1);
    v.head(kept).setZero();
    v(kept) = 1.0;
    tau_(kept) = tau;
    active_index_[kept] = k;
    active_side_[kept] = 1;
    ++kept;
  }
  *q = kept;
  if (kept > 0) {
    // T (upper triangular): T(0:j, j) = -tau_j T(0:j, 0:j) V(:, 0:j)' v_j, T(j, j) = tau_j.
    auto t = T_.topLeftCorner(kept, kept);
    t.setZero();
    for (int j = 0; j < kept; ++j) {
      t(j, j) = tau_(j);
      if (j == 0) continue;
      auto w = r_.head(j);
      w.noalias() = V_.block(j, 0, n - j, j).transpose() * V_.col(j).tail(n - j);
      T_.col(j).head(j).noalias() = T_.topLeftCorner(j, j).triangularView<Eigen::Upper>() * w;
      T_.col(j).head(j) *= -tau_(j);
    }
    // J <- J (I - V T V') = J - (J V)(T V').
    auto v = V_.leftCols(kept);
    auto jv = W_.leftCols(kept);
    auto tv = Y_.topRows(kept);
    jv.noalias() = J_.triangularView<Eigen::Upper>() * v;
    tv.noalias() = t * v.transpose();
    J_.noalias() -= jv * tv;
    // Equality-constrained minimiser from the unconstrained one, with
    // s = A x - b: x -= J1 R^-T s; multipliers u = -R^-1 R^-T s.
    auto r = r_.head(kept);
    for (int j = 0; j < kept; ++j) r(j) = Slack(active_index_[j], 1);
    const auto upper = R_.topLeftCorner(kept, kept).triangularView<Eigen::Upper>();
    upper.transpose().solveInPlace(r);
    x_.noalias() -= J_.leftCols(kept) * r;
    auto u = u_.head(kept);
    u = -r;
    upper.solveInPlace(u);
  }
  // Dependent rows must hold at the new x.
  for (int k = 0, j = 0; k < m; ++k) {
    if (j < kept && active_index_[j] == k) {
      ++j;
      continue;
    }
    const double tol = options_.feasibility_tol * (At_.col(k).norm() + std::abs(b_eq_(k)));
    if (std::abs(Slack(k, 1)) > tol) return QpStatus::kInfeasible;
  }
  return QpStatus::kOptimal;
}

void QpSolver::ComputeD(int index, int side) {
  if (index < m_eq_) {
    d_.noalias() = J_.transpose() * At_.col(index);
  } else if (index - m_eq_ < m_in_) {
    d_.noalias() = J_.transpose() * Ct_.col(index - m_eq_);
    if (side < 0) d_ = -d_;
  } else {
    // n = side * e_j: J' e_j is row j of J.
    d_ = J_.row(index - m_eq_ - m_in_).transpose();
    if (side < 0) d_ = -d_;
  }
}

double QpSolver::Slack(int index, int side) const {
  if (index < m_eq_) return At_.col(index).dot(x_) - b_eq_(index);
  const int i = index - m_eq_;
  const double value = i < m_in_ ? Ct_.col(i).dot(x_) : x_(i - m_in_);
  return side > 0 ? value - lower_(i) : upper_(i) - value;
}

void QpSolver::ComputeR(int q) {
  if (q == 0) return;
  auto r = r_.head(q);
  r = d_.head(q);
  R_.topLeftCorner(q, q).triangularView<Eigen::Upper>().solveInPlace(r);
}

double QpSolver::AddToFactorisation(int q) {
  // A Householder reflection P (P d2 = beta e_1) on the trailing n - q
  // columns of J gives J' n = [d1; beta; 0], so R gains the column
  // [d1; beta]; and J2 d2 = (J2 P)(P d2) = beta times the new column q of J.
  const int m = n_ - q;
  double beta = d_(q);
  if (m > 1) {
    auto tail = d_.segment(q, m);
    auto essential = householder_.head(m - 1);
    double tau = 0.0;
    tail.makeHouseholder(essential, tau, beta);
    auto trailing = J_.rightCols(m);
    trailing.applyHouseholderOnTheRight(essential, tau, work_.data());
    d_(q) = beta;
  }
  R_.col(q).head(q + 1) = d_.head(q + 1);
  return beta;
}

void QpSolver::DropFromFactorisation(int position, int q) {
  // Remove column `position` of R; the columns after it shift left, leaving
  // an upper Hessenberg block that Givens rotations (also applied to the
  // columns of J) bring back to triangular form.
  for (int c = position; c < q - 1; ++c) {
    R_.col(c).head(c + 2) = R_.col(c + 1).head(c + 2);
    active_index_[c] = active_index_[c + 1];
    active_side_[c] = active_side_[c + 1];
    u_(c) = u_(c + 1);
  }
  for (int j = position; j < q - 1; ++j) {
    Eigen::JacobiRotation<double> rotation;
    double diagonal = 0.0;
    rotation.makeGivens(R_(j, j), R_(j + 1, j), &diagonal);
    R_(j, j) = diagonal;
    R_(j + 1, j) = 0.0;
    if (j + 1 < q - 1) {
      auto right = R_.block(0, j + 1, n_, q - 2 - j);
      right.applyOnTheLeft(j, j + 1, rotation.adjoint());
    }
    J_.applyOnTheRight(j, j + 1, rotation);
  }
}

QpStatus QpSolver::Finish(const QpProblem& p, QpStatus status, int q, int iterations,
                          QpSolution* s) {
  s->status = status;
  s->iterations = iterations;
  s->x = x_;
  s->y_eq.setZero();
  s->z_ineq.setZero();
  s->z_bounds.setZero();
  for (int j = 0; j < q; ++j) {
    const int index = active_index_[j];
    const double multiplier = -active_side_[j] * u_(j);
    if (index < m_eq_) {
      s->y_eq(index) = multiplier;
    } else if (index - m_eq_ < m_in_) {
      s->z_ineq(index - m_eq_) = multiplier;
    } else {
      s->z_bounds(index - m_eq_ - m_in_) = multiplier;
    }
  }
  s->active_set.clear();
  for (int i = 0; i < m_in_ + nb_; ++i) {
    if (status_[i] != 0) s->active_set.push_back(i);
  }
  work_.noalias() = p.H * x_;
  s->objective = 0.5 * x_.dot(work_) + p.g.dot(x_);
  return status;
}

QpStatus QpSolver::Solve(const QpProblem& p, QpSolution* s) {
  if (s == nullptr) return QpStatus::kInvalidInput;
  const QpStatus valid = Validate(p);
  if (valid != QpStatus::kOptimal) {
    s->status = valid;
    s->iterations = 0;
    s->x.resize(0);
    s->y_eq.resize(0);
    s->z_ineq.resize(0);
    s->z_bounds.resize(0);
    s->active_set.clear();
    s->objective = std::numeric_limits<double>::quiet_NaN();
    return valid;
  }
  Resize(p, s);
  const int m_ineq = m_in_ + nb_;
  const double tol = options_.feasibility_tol;
  const int max_iterations =
      options_.max_iterations > 0 ? options_.max_iterations : 10 * (n_ + m_eq_ + m_ineq) + 100;

  // Normals as contiguous columns; inequality rows and bounds in one list.
  At_ = p.A_eq.transpose();
  b_eq_ = p.b_eq;
  Ct_ = p.C.transpose();
  if (m_in_ > 0) {
    lower_.head(m_in_) = p.c_lower;
    upper_.head(m_in_) = p.c_upper;
    row_norm_.head(m_in_) = Ct_.colwise().norm().transpose();
  }
  if (nb_ > 0) {
    if (p.x_lower.size() != 0) {
      lower_.tail(nb_) = p.x_lower;
    } else {
      lower_.tail(nb_).setConstant(-kInf);
    }
    if (p.x_upper.size() != 0) {
      upper_.tail(nb_) = p.x_upper;
    } else {
      upper_.tail(nb_).setConstant(kInf);
    }
    row_norm_.tail(nb_).setOnes();
  }
  x_.setZero();
  u_.setZero();
  for (int i = 0; i < m_ineq; ++i) {
    if (lower_(i) > upper_(i) || lower_(i) == kInf || upper_(i) == -kInf) {
      return Finish(p, QpStatus::kInfeasible, 0, 0, s);
    }
  }
  if (!Factorise(p.H)) return Finish(p, QpStatus::kInvalidInput, 0, 0, s);
  // J2'n carries rounding errors of about eps |J| |n|, and |J|_F = |L^-1|_F for any Q.
  dependency_scale_ = options_.dependency_tol * J_.norm();
  // Unconstrained minimiser -H^-1 g = -J J' g.
  z_.noalias() = J_.transpose() * p.g;
  x_.noalias() = -J_ * z_;

  int q = 0;
  int iterations = 0;

  // Equalities, all at once; they stay active and are never dropped.
  if (m_eq_ > 0) {
    if (AddEqualities(&q) != QpStatus::kOptimal) {
      return Finish(p, QpStatus::kInfeasible, q, q, s);
    }
    iterations = q;
    if (iterations > max_iterations) {
      return Finish(p, QpStatus::kMaxIterations, q, iterations, s);
    }
  }
  const int q_eq = q;

  while (true) {
    // Step 1: pick the most violated inequality side, by distance |violation| / |row|.
    int p_index = -1;
    int p_side = 0;
    double worst = 0.0;
    if (m_in_ > 0) cx_.noalias() = Ct_.transpose() * x_;
    for (int i = 0; i < m_ineq; ++i) {
      if (status_[i] != 0) continue;
      const double value = i < m_in_ ? cx_(i) : x_(i - m_in_);
      const double below = lower_(i) - value;
      const double above = value - upper_(i);
      double violation = 0.0;
      int side = 0;
      if (below > tol * (row_norm_(i) + std::abs(lower_(i)))) {
        violation = below;
        side = 1;
      } else if (above > tol * (row_norm_(i) + std::abs(upper_(i)))) {
        violation = above;
        side = -1;
      } else {
        continue;
      }
      if (row_norm_(i) == 0.0) return Finish(p, QpStatus::kInfeasible, q, iterations, s);
      violation /= row_norm_(i);
      if (violation > worst) {
        worst = violation;
        p_index = i;
        p_side = side;
      }
    }
    if (p_index < 0) return Finish(p, QpStatus::kOptimal, q, iterations, s);

    // Step 2: move x and the multipliers until constraint p holds, dropping
    // active inequalities whose multipliers reach zero on the way.
    const int global = m_eq_ + p_index;
    double u_plus = 0.0;
    while (true) {
      if (iterations >= max_iterations) {
        return Finish(p, QpStatus::kMaxIterations, q, iterations, s);
      }
      ++iterations;
      ComputeD(global, p_side);
      ComputeR(q);
      const double d2 = d_.tail(n_ - q).squaredNorm();
      // Partial (dual) step limit: the first active inequality multiplier to reach zero.
      double t1 = kInf;
      int drop = -1;
      for (int j = q_eq; j < q; ++j) {
        if (r_(j) <= 0.0) continue;
        const double ratio = u_(j) / r_(j);
        if (ratio < t1) {
          t1 = ratio;
          drop = j;
        }
      }
      // Full (primal) step: makes constraint p active.
      const double limit = dependency_scale_ * row_norm_(p_index);
      const bool dependent = d2 <= limit * limit;
      const double t2 = dependent ? kInf : std::max(0.0, -Slack(global, p_side) / d2);
      if (drop < 0 && dependent) return Finish(p, QpStatus::kInfeasible, q, iterations, s);
      const double t = std::min(t1, t2);
      if (q > 0) u_.head(q).noalias() -= t * r_.head(q);
      for (int j = q_eq; j < q; ++j) u_(j) = std::max(u_(j), 0.0);
      u_plus += t;
      if (t2 <= t1) {
        const double beta = AddToFactorisation(q);
        x_.noalias() += (t * beta) * J_.col(q);
        active_index_[q] = global;
        active_side_[q] = p_side;
        u_(q) = u_plus;
        status_[p_index] = static_cast<signed char>(p_side);
        ++q;
        break;
      }
      if (!dependent) {
        z_.noalias() = J_.rightCols(n_ - q) * d_.tail(n_ - q);
        x_.noalias() += t * z_;
      }
      u_(drop) = 0.0;
      status_[active_index_[drop] - m_eq_] = 0;
      DropFromFactorisation(drop, q);
      --q;
    }
  }
}

}  // namespace yangbot
