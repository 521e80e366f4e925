// Dense strictly convex quadratic programming with the Goldfarb-Idnani dual
// active-set method, sized for whole-body control (tens of variables and
// constraints, solved every control tick).
//
//   minimize    1/2 x'Hx + g'x
//   subject to  A_eq x = b_eq
//               c_lower <= C x <= c_upper
//               x_lower <=  x  <= x_upper     (optional)
//
// Method (D. Goldfarb, A. Idnani, "A numerically stable dual method for
// solving strictly convex quadratic programs", Math. Programming 27, 1983):
// start from the unconstrained minimiser -H^-1 g, add the equalities (all at
// once, by a blocked Householder QR), then repeatedly add the most violated
// inequality, dropping active inequalities whose multipliers would turn
// negative. The factorisation J = L^-T Q, with H = L L' and J' N = [R; 0] for
// the active normals N, is updated with a Householder reflection per addition
// and Givens rotations per removal. Cost: about n^3 for the factorisations,
// then O(n^2) per active-set change.
//
// Redundant equalities (dependent on earlier rows and consistent) are skipped
// and get a zero multiplier; inconsistent ones give kInfeasible. Two-sided
// rows with c_lower == c_upper act as equalities.
//
// Sign convention of the multipliers (as in OSQP):
//   H x + g + A_eq' y_eq + C' z_ineq + z_bounds = 0,
// z_i <= 0 when the lower side of row i is active, z_i >= 0 when the upper
// side is, and 0 when row i is inactive.
#ifndef YANGBOT_CONTROLLERS_QP_SOLVER_H_
#define YANGBOT_CONTROLLERS_QP_SOLVER_H_

#include <Eigen/Core>
#include <limits>
#include <vector>

namespace yangbot {

/// Result status of a QP solve.
enum class QpStatus { kOptimal, kInfeasible, kMaxIterations, kInvalidInput };

/// Name of a status ("kOptimal", ...), for logs and test messages.
const char* QpStatusName(QpStatus status);

/// A dense QP; n variables, m_eq equalities, m_in two-sided inequality rows.
struct QpProblem {
  Eigen::MatrixXd H;        ///< Hessian, symmetric positive definite (n x n).
  Eigen::VectorXd g;        ///< Linear cost (size n).
  Eigen::MatrixXd A_eq;     ///< Equality matrix (m_eq x n); zero rows for none.
  Eigen::VectorXd b_eq;     ///< Equality right-hand side (size m_eq).
  Eigen::MatrixXd C;        ///< Inequality matrix (m_in x n); zero rows for none.
  Eigen::VectorXd c_lower;  ///< Lower bounds on C x (size m_in); -infinity where none.
  Eigen::VectorXd c_upper;  ///< Upper bounds on C x (size m_in); +infinity where none.
  Eigen::VectorXd x_lower;  ///< Lower bounds on x (size n, or empty for none); -inf allowed.
  Eigen::VectorXd x_upper;  ///< Upper bounds on x (size n, or empty for none); +inf allowed.
};

/// Solution and multipliers; see the file comment for the sign convention.
struct QpSolution {
  QpStatus status = QpStatus::kInvalidInput;  ///< Outcome of the last solve.
  Eigen::VectorXd x;         ///< Primal solution (size n); the last iterate unless kOptimal.
  Eigen::VectorXd y_eq;      ///< Equality multipliers (size m_eq); 0 for redundant rows.
  Eigen::VectorXd z_ineq;    ///< Multipliers of the rows of C (size m_in).
  Eigen::VectorXd z_bounds;  ///< Multipliers of the simple bounds (size n; zeros if none).
  int iterations = 0;        ///< Active-set changes (additions plus removals, equalities included).
  /// Active inequalities, ascending: row i of C as i, the bound on x_j as m_in + j.
  std::vector<int> active_set;
  double objective = std::numeric_limits<double>::quiet_NaN();  ///< 1/2 x'Hx + g'x at x.
};

/// Tolerances and limits of QpSolver; the defaults suit well-scaled problems.
struct QpSolverOptions {
  /// Cap on active-set changes (QpSolution::iterations); 0 picks 10 (n + m_eq + m_in + nb) + 100,
  /// nb = n with simple bounds, else 0.
  int max_iterations = 0;
  /// A side n'x >= b counts as violated when b - n'x > feasibility_tol * (|n| + |b|).
  double feasibility_tol = 1e-9;
  /// A normal n counts as dependent on the active ones when |J2'n| <= dependency_tol |J|_F |n|
  /// (J2'n is the part of n not spanned by them, |J|_F = |L^-1|_F its rounding-error scale).
  double dependency_tol = 1e-12;
  /// H is rejected (kInvalidInput) when a Cholesky pivot L_ii^2 <= pd_tol * H_ii.
  double pd_tol = 1e-14;
  /// H is rejected (kInvalidInput) when |H_ij - H_ji| > symmetry_tol * max |H_ij|.
  double symmetry_tol = 1e-9;
};

/// Goldfarb-Idnani QP solver. Keeps its workspace between calls, so repeated
/// solves of one problem size allocate nothing after the first. Not thread-safe:
/// use one solver per thread.
class QpSolver {
 public:
  /// A solver with default options.
  QpSolver() = default;
  /// A solver with the given options.
  explicit QpSolver(const QpSolverOptions& options) : options_(options) {}

  /// The options in use.
  const QpSolverOptions& options() const { return options_; }
  /// Replaces the options for later solves.
  void set_options(const QpSolverOptions& options) { options_ = options; }

  /// Solves `problem` into `*solution` (which must not be null) and returns its status.
  /// kInvalidInput: bad sizes, NaN, infinite H/g/A_eq/b_eq/C, H not symmetric positive definite.
  /// kInfeasible: lower > upper, or inconsistent constraints found by the dual method.
  QpStatus Solve(const QpProblem& problem, QpSolution* solution);

 private:
  QpStatus Validate(const QpProblem& problem);
  void Resize(const QpProblem& problem, QpSolution* solution);
  // L_ = Cholesky factor of H, J_ = L^-T; false unless H is clearly positive definite.
  bool Factorise(const Eigen::MatrixXd& H);
  // Adds every equality at once (blocked Householder QR); sets q, kInfeasible if inconsistent.
  QpStatus AddEqualities(int* q);
  // d_ = J' n for constraint `index` (global numbering) on side `side`.
  void ComputeD(int index, int side);
  // n'x - b for constraint `index` on side `side`.
  double Slack(int index, int side) const;
  // r_ = R^-1 d1 for q active constraints.
  void ComputeR(int q);
  // Appends the constraint whose d_ is current; returns beta with J2 d2 = beta J.col(q).
  double AddToFactorisation(int q);
  void DropFromFactorisation(int position, int q);
  QpStatus Finish(const QpProblem& problem, QpStatus status, int q, int iterations,
                  QpSolution* solution);

  QpSolverOptions options_;

  // Problem sizes of the current solve; nb_ is n when bounds are given, else 0.
  int n_ = 0, m_eq_ = 0, m_in_ = 0, nb_ = 0;
  double dependency_scale_ = 0.0;  // dependency_tol * |J|_F.
  Eigen::MatrixXd L_;              // n x n, lower Cholesky factor of H.
  Eigen::MatrixXd J_;              // n x n, J = L^-T Q.
  Eigen::MatrixXd R_;              // n x n, upper q x q block used.
  Eigen::MatrixXd At_, Ct_;        // n x m_eq and n x m_in: constraint normals as columns.
  Eigen::MatrixXd V_, W_;          // n x m_eq: equality reflectors, then J V.
  Eigen::MatrixXd T_, Y_;          // m_eq x m_eq and m_eq x n: block reflector factor, then T V'.
  Eigen::VectorXd tau_;            // size m_eq: reflector coefficients.
  Eigen::VectorXd x_, d_, z_, r_, u_, work_, householder_;  // size n.
  Eigen::VectorXd b_eq_;                                    // size m_eq.
  Eigen::VectorXd cx_;                                      // size m_in: C x.
  Eigen::VectorXd row_norm_;         // size m_in + nb: norms of the inequality rows.
  Eigen::VectorXd lower_, upper_;    // size m_in + nb: bounds of the inequality rows.
  std::vector<int> active_index_;    // size n: global index of the j-th active constraint.
  std::vector<int> active_side_;     // size n: +1 equality / lower side, -1 upper side.
  std::vector<signed char> status_;  // size m_in + nb: 0 inactive, +1 lower, -1 upper active.
};

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_QP_SOLVER_H_
