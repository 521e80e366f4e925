#include "controllers/qp_solver.h"

#include <gtest/gtest.h>

#include <Eigen/Cholesky>
#include <Eigen/LU>
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <random>
#include <vector>

namespace yangbot {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// ----------------------------------------------------------------------------
// Helpers.

// Random strictly convex problem that is feasible by construction: every
// constraint holds at a random point x0. `g_scale` pushes the unconstrained
// minimiser away so that many inequalities are active.
QpProblem MakeRandomProblem(unsigned seed, int n, int m_eq, int m_in, bool bounds,
                            double g_scale = 10.0, double h_floor = 0.1) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> normal(0.0, 1.0);
  std::uniform_real_distribution<double> margin(0.05, 1.0);
  std::uniform_int_distribution<int> kind(0, 2);
  auto random_matrix = [&](int rows, int cols) {
    Eigen::MatrixXd m(rows, cols);
    for (int j = 0; j < cols; ++j) {
      for (int i = 0; i < rows; ++i) m(i, j) = normal(rng);
    }
    return m;
  };
  auto random_vector = [&](int size) {
    Eigen::VectorXd v(size);
    for (int i = 0; i < size; ++i) v(i) = normal(rng);
    return v;
  };
  QpProblem p;
  const Eigen::MatrixXd m = random_matrix(n, n);
  p.H = m.transpose() * m / n + h_floor * Eigen::MatrixXd::Identity(n, n);
  p.g = g_scale * random_vector(n);
  const Eigen::VectorXd x0 = random_vector(n);
  p.A_eq = random_matrix(m_eq, n);
  p.b_eq = p.A_eq * x0;
  p.C = random_matrix(m_in, n);
  const Eigen::VectorXd cx0 = p.C * x0;
  p.c_lower.resize(m_in);
  p.c_upper.resize(m_in);
  for (int i = 0; i < m_in; ++i) {
    const int k = kind(rng);
    p.c_lower(i) = k == 2 ? -kInf : cx0(i) - margin(rng);
    p.c_upper(i) = k == 1 ? kInf : cx0(i) + margin(rng);
  }
  if (bounds) {
    p.x_lower.resize(n);
    p.x_upper.resize(n);
    for (int i = 0; i < n; ++i) {
      p.x_lower(i) = x0(i) - 2.0 * margin(rng);
      p.x_upper(i) = i % 3 == 0 ? kInf : x0(i) + 2.0 * margin(rng);
    }
  }
  return p;
}

struct KktResiduals {
  double stationarity = 0.0;
  double primal = 0.0;
  double dual = 0.0;
  double complementarity = 0.0;
};

// Worst violations of the KKT conditions with the documented sign convention.
KktResiduals ComputeKkt(const QpProblem& p, const QpSolution& s) {
  KktResiduals r;
  const int n = static_cast<int>(p.H.rows());
  Eigen::VectorXd grad = p.H * s.x + p.g + s.z_bounds;
  if (p.A_eq.rows() > 0) grad += p.A_eq.transpose() * s.y_eq;
  if (p.C.rows() > 0) grad += p.C.transpose() * s.z_ineq;
  r.stationarity = grad.lpNorm<Eigen::Infinity>();
  if (p.A_eq.rows() > 0) r.primal = (p.A_eq * s.x - p.b_eq).lpNorm<Eigen::Infinity>();
  auto check_side = [&](double value, double lower, double upper, double z) {
    r.primal = std::max({r.primal, lower - value, value - upper});
    if (lower == -kInf) r.dual = std::max(r.dual, -z);
    if (upper == kInf) r.dual = std::max(r.dual, z);
    if (z < 0.0) r.complementarity = std::max(r.complementarity, -z * std::abs(value - lower));
    if (z > 0.0) r.complementarity = std::max(r.complementarity, z * std::abs(upper - value));
  };
  if (p.C.rows() > 0) {
    const Eigen::VectorXd cx = p.C * s.x;
    for (int i = 0; i < cx.size(); ++i) check_side(cx(i), p.c_lower(i), p.c_upper(i), s.z_ineq(i));
  }
  for (int i = 0; i < n; ++i) {
    const double lower = p.x_lower.size() ? p.x_lower(i) : -kInf;
    const double upper = p.x_upper.size() ? p.x_upper(i) : kInf;
    check_side(s.x(i), lower, upper, s.z_bounds(i));
  }
  return r;
}

void ExpectKkt(const QpProblem& p, const QpSolution& s, double tol = 1e-6) {
  const KktResiduals r = ComputeKkt(p, s);
  EXPECT_LE(r.stationarity, tol);
  EXPECT_LE(r.primal, tol);
  EXPECT_LE(r.dual, tol);
  EXPECT_LE(r.complementarity, tol);
}

double Objective(const QpProblem& p, const Eigen::VectorXd& x) {
  return 0.5 * x.dot(p.H * x) + p.g.dot(x);
}

// Slow reference: tries every choice of active side for each row of C (and
// each bound), solves the equality-constrained QP for it by LU on the KKT
// matrix, and keeps the best primal-feasible point. Exact for strictly
// convex problems whose optimum has linearly independent active normals.
double BruteForceObjective(const QpProblem& p, Eigen::VectorXd* best_x) {
  const int n = static_cast<int>(p.H.rows());
  std::vector<Eigen::VectorXd> rows;
  std::vector<double> lower, upper;
  for (int i = 0; i < p.C.rows(); ++i) {
    rows.push_back(p.C.row(i).transpose());
    lower.push_back(p.c_lower(i));
    upper.push_back(p.c_upper(i));
  }
  for (int i = 0; i < p.x_lower.size(); ++i) {
    rows.push_back(Eigen::VectorXd::Unit(n, i));
    lower.push_back(p.x_lower(i));
    upper.push_back(p.x_upper(i));
  }
  const int m = static_cast<int>(rows.size());
  const int m_eq = static_cast<int>(p.A_eq.rows());
  std::vector<int> state(m, 0);  // 0 inactive, 1 lower, 2 upper.
  double best = kInf;
  while (true) {
    bool usable = true;
    std::vector<int> active;
    for (int i = 0; i < m; ++i) {
      if ((state[i] == 1 && lower[i] == -kInf) || (state[i] == 2 && upper[i] == kInf)) {
        usable = false;
      }
      if (state[i] != 0) active.push_back(i);
    }
    const int k = m_eq + static_cast<int>(active.size());
    if (usable && k <= n) {
      Eigen::MatrixXd kkt = Eigen::MatrixXd::Zero(n + k, n + k);
      Eigen::VectorXd rhs(n + k);
      kkt.topLeftCorner(n, n) = p.H;
      rhs.head(n) = -p.g;
      for (int e = 0; e < m_eq; ++e) {
        kkt.block(n + e, 0, 1, n) = p.A_eq.row(e);
        rhs(n + e) = p.b_eq(e);
      }
      for (int a = 0; a < static_cast<int>(active.size()); ++a) {
        const int i = active[a];
        kkt.block(n + m_eq + a, 0, 1, n) = rows[i].transpose();
        rhs(n + m_eq + a) = state[i] == 1 ? lower[i] : upper[i];
      }
      kkt.topRightCorner(n, k) = kkt.bottomLeftCorner(k, n).transpose();
      Eigen::FullPivLU<Eigen::MatrixXd> lu(kkt);
      if (lu.isInvertible()) {
        const Eigen::VectorXd x = lu.solve(rhs).head(n);
        bool feasible = m_eq == 0 || (p.A_eq * x - p.b_eq).lpNorm<Eigen::Infinity>() < 1e-9;
        for (int i = 0; i < m && feasible; ++i) {
          const double v = rows[i].dot(x);
          feasible = v >= lower[i] - 1e-9 && v <= upper[i] + 1e-9;
        }
        const double f = Objective(p, x);
        if (feasible && f < best) {
          best = f;
          *best_x = x;
        }
      }
    }
    int i = 0;
    while (i < m && state[i] == 2) state[i++] = 0;
    if (i == m) break;
    ++state[i];
  }
  return best;
}

QpProblem EmptyProblem(int n) {
  QpProblem p;
  p.H = Eigen::MatrixXd::Identity(n, n);
  p.g = Eigen::VectorXd::Zero(n);
  p.A_eq.resize(0, n);
  p.b_eq.resize(0);
  p.C.resize(0, n);
  p.c_lower.resize(0);
  p.c_upper.resize(0);
  return p;
}

// min 1/2 |x - target|^2 over x in R^n, plus whatever constraints are added.
QpProblem DistanceProblem(const Eigen::VectorXd& target) {
  QpProblem p = EmptyProblem(static_cast<int>(target.size()));
  p.g = -target;
  return p;
}

void AddRow(QpProblem* p, const Eigen::RowVectorXd& row, double lower, double upper) {
  const Eigen::Index m = p->C.rows();
  p->C.conservativeResize(m + 1, row.size());
  p->C.row(m) = row;
  p->c_lower.conservativeResize(m + 1);
  p->c_upper.conservativeResize(m + 1);
  p->c_lower(m) = lower;
  p->c_upper(m) = upper;
}

void AddEquality(QpProblem* p, const Eigen::RowVectorXd& row, double value) {
  const Eigen::Index m = p->A_eq.rows();
  p->A_eq.conservativeResize(m + 1, row.size());
  p->A_eq.row(m) = row;
  p->b_eq.conservativeResize(m + 1);
  p->b_eq(m) = value;
}

Eigen::RowVectorXd Row(std::initializer_list<double> values) {
  Eigen::RowVectorXd r(values.size());
  int i = 0;
  for (double v : values) r(i++) = v;
  return r;
}

// ----------------------------------------------------------------------------
// Known small solutions.

TEST(QpSolverTest, SolvesUnconstrainedProblemExactly) {
  QpProblem p = EmptyProblem(3);
  p.H << 4, 1, 0, 1, 3, 1, 0, 1, 2;
  p.g << 1, -2, 3;
  QpSolver solver;
  QpSolution s;
  ASSERT_EQ(solver.Solve(p, &s), QpStatus::kOptimal);
  const Eigen::VectorXd expected = p.H.ldlt().solve(-p.g);
  EXPECT_LE((s.x - expected).norm(), 1e-12);
  EXPECT_NEAR(s.objective, Objective(p, expected), 1e-12);
  EXPECT_EQ(s.iterations, 0);
  EXPECT_TRUE(s.active_set.empty());
}

TEST(QpSolverTest, MatchesClosedFormKktSolutionForEqualityOnlyProblem) {
  QpProblem p = MakeRandomProblem(7, 12, 5, 0, false);
  QpSolver solver;
  QpSolution s;
  ASSERT_EQ(solver.Solve(p, &s), QpStatus::kOptimal);
  const int n = 12, m = 5;
  Eigen::MatrixXd kkt = Eigen::MatrixXd::Zero(n + m, n + m);
  kkt.topLeftCorner(n, n) = p.H;
  kkt.topRightCorner(n, m) = p.A_eq.transpose();
  kkt.bottomLeftCorner(m, n) = p.A_eq;
  Eigen::VectorXd rhs(n + m);
  rhs << -p.g, p.b_eq;
  const Eigen::VectorXd sol = kkt.fullPivLu().solve(rhs);
  EXPECT_LE((s.x - sol.head(n)).lpNorm<Eigen::Infinity>(), 1e-10);
  EXPECT_LE((s.y_eq - sol.tail(m)).lpNorm<Eigen::Infinity>(), 1e-9);
  EXPECT_EQ(s.iterations, m);
}

TEST(QpSolverTest, SolvesTextbookTwoDimensionalProblemWithOneActiveInequality) {
  // Nocedal & Wright, Example 16.4: min (x1-1)^2 + (x2-2.5)^2 subject to
  // x1 - 2 x2 >= -2, -x1 - 2 x2 >= -6, -x1 + 2 x2 >= -2, x >= 0.
  QpProblem p = EmptyProblem(2);
  p.H = 2.0 * Eigen::MatrixXd::Identity(2, 2);
  p.g << -2.0, -5.0;
  AddRow(&p, Row({1, -2}), -2, kInf);
  AddRow(&p, Row({-1, -2}), -6, kInf);
  AddRow(&p, Row({-1, 2}), -2, kInf);
  p.x_lower = Eigen::VectorXd::Zero(2);
  QpSolver solver;
  QpSolution s;
  ASSERT_EQ(solver.Solve(p, &s), QpStatus::kOptimal);
  EXPECT_NEAR(s.x(0), 1.4, 1e-12);
  EXPECT_NEAR(s.x(1), 1.7, 1e-12);
  EXPECT_EQ(s.active_set, std::vector<int>({0}));
  EXPECT_NEAR(s.z_ineq(0), -0.8, 1e-12);  // Lower side active: z <= 0.
  EXPECT_NEAR(s.objective, Objective(p, s.x), 1e-12);
  ExpectKkt(p, s, 1e-12);
}

TEST(QpSolverTest, SolvesClassicQuadprogExample) {
  // R quadprog's solve.QP example: min -d'x + 1/2 x'x subject to A'x >= b.
  QpProblem p = EmptyProblem(3);
  p.g << 0.0, -5.0, 0.0;
  AddRow(&p, Row({-4, -3, 0}), -8, kInf);
  AddRow(&p, Row({2, 1, 0}), 2, kInf);
  AddRow(&p, Row({0, -2, 1}), 0, kInf);
  QpSolver solver;
  QpSolution s;
  ASSERT_EQ(solver.Solve(p, &s), QpStatus::kOptimal);
  EXPECT_NEAR(s.x(0), 10.0 / 21.0, 1e-12);  // 0.4762
  EXPECT_NEAR(s.x(1), 22.0 / 21.0, 1e-12);  // 1.0476
  EXPECT_NEAR(s.x(2), 44.0 / 21.0, 1e-12);  // 2.0952
  EXPECT_NEAR(s.objective, -50.0 / 21.0, 1e-12);
  EXPECT_EQ(s.active_set, std::vector<int>({1, 2}));
  // quadprog's Lagrangian (0, 0.2380952, 2.0952381) with our sign convention.
  EXPECT_NEAR(s.z_ineq(0), 0.0, 1e-12);
  EXPECT_NEAR(s.z_ineq(1), -5.0 / 21.0, 1e-12);
  EXPECT_NEAR(s.z_ineq(2), -44.0 / 21.0, 1e-12);
}

TEST(QpSolverTest, ReportsMultipliersWithDocumentedSigns) {
  // min 1/2 (x - 2)^2: x <= 1 pushes down (z > 0); x >= 3 pushes up (z < 0).
  QpSolver solver;
  QpSolution s;
  QpProblem upper = DistanceProblem(Eigen::VectorXd::Constant(1, 2.0));
  AddRow(&upper, Row({1}), -kInf, 1.0);
  ASSERT_EQ(solver.Solve(upper, &s), QpStatus::kOptimal);
  EXPECT_NEAR(s.x(0), 1.0, 1e-14);
  EXPECT_NEAR(s.z_ineq(0), 1.0, 1e-14);
  QpProblem lower = DistanceProblem(Eigen::VectorXd::Constant(1, 2.0));
  lower.x_lower = Eigen::VectorXd::Constant(1, 3.0);
  ASSERT_EQ(solver.Solve(lower, &s), QpStatus::kOptimal);
  EXPECT_NEAR(s.x(0), 3.0, 1e-14);
  EXPECT_NEAR(s.z_bounds(0), -1.0, 1e-14);
  EXPECT_EQ(s.active_set, std::vector<int>({0}));  // m_in = 0, so bound 0 is 0.
  QpProblem eq = DistanceProblem(Eigen::VectorXd::Constant(1, 2.0));
  AddEquality(&eq, Row({2}), 2.0);
  ASSERT_EQ(solver.Solve(eq, &s), QpStatus::kOptimal);
  EXPECT_NEAR(s.x(0), 1.0, 1e-14);
  EXPECT_NEAR(s.y_eq(0), 0.5, 1e-14);  // x - 2 + 2 y = 0.
}

TEST(QpSolverTest, TreatsEqualLowerAndUpperBoundsAsAnEquality) {
  QpProblem p = DistanceProblem(Eigen::Vector3d(1.0, 2.0, 3.0));
  AddRow(&p, Row({1, 1, 1}), 3.0, 3.0);
  AddRow(&p, Row({1, -1, 0}), 0.5, 0.5);
  QpSolver solver;
  QpSolution s;
  ASSERT_EQ(solver.Solve(p, &s), QpStatus::kOptimal);
  EXPECT_NEAR(s.x.sum(), 3.0, 1e-12);
  EXPECT_NEAR(s.x(0) - s.x(1), 0.5, 1e-12);
  ExpectKkt(p, s, 1e-12);
}

TEST(QpSolverTest, HandlesDuplicatedAndDegenerateActiveConstraints) {
  // Three constraints meet at the optimum (1, 1) of a 2-D problem, two of
  // them duplicated: the active set must stay linearly independent.
  QpProblem p = DistanceProblem(Eigen::Vector2d(3.0, 3.0));
  AddRow(&p, Row({1, 0}), -kInf, 1.0);
  AddRow(&p, Row({0, 1}), -kInf, 1.0);
  AddRow(&p, Row({1, 1}), -kInf, 2.0);
  AddRow(&p, Row({1, 0}), -kInf, 1.0);
  AddRow(&p, Row({2, 2}), -kInf, 4.0);
  QpSolver solver;
  QpSolution s;
  ASSERT_EQ(solver.Solve(p, &s), QpStatus::kOptimal);
  EXPECT_NEAR(s.x(0), 1.0, 1e-12);
  EXPECT_NEAR(s.x(1), 1.0, 1e-12);
  EXPECT_LE(s.active_set.size(), 2u);
  ExpectKkt(p, s, 1e-12);
}

TEST(QpSolverTest, SkipsRedundantConsistentEqualities) {
  QpProblem p = DistanceProblem(Eigen::Vector3d(1.0, 2.0, 3.0));
  AddEquality(&p, Row({1, 1, 0}), 1.0);
  AddEquality(&p, Row({2, 2, 0}), 2.0);
  AddEquality(&p, Row({0, 1, 1}), 1.0);
  AddEquality(&p, Row({1, 2, 1}), 2.0);  // Sum of the first and third.
  QpSolver solver;
  QpSolution s;
  ASSERT_EQ(solver.Solve(p, &s), QpStatus::kOptimal);
  ExpectKkt(p, s, 1e-12);
}

// ----------------------------------------------------------------------------
// Infeasible problems.

TEST(QpSolverTest, ReportsInconsistentEqualitiesAsInfeasible) {
  QpProblem p = DistanceProblem(Eigen::Vector3d(1.0, 2.0, 3.0));
  AddEquality(&p, Row({1, 1, 0}), 1.0);
  AddEquality(&p, Row({0, 1, 1}), 1.0);
  AddEquality(&p, Row({1, 2, 1}), 2.5);
  QpSolver solver;
  QpSolution s;
  EXPECT_EQ(solver.Solve(p, &s), QpStatus::kInfeasible);
  EXPECT_EQ(s.status, QpStatus::kInfeasible);
}

TEST(QpSolverTest, ReportsContradictoryInequalitiesAsInfeasible) {
  // x1 >= 1, x2 >= 1 and x1 + x2 <= 1 cannot hold together.
  QpProblem p = DistanceProblem(Eigen::Vector3d(0.0, 0.0, 0.0));
  AddRow(&p, Row({1, 0, 0}), 1.0, kInf);
  AddRow(&p, Row({0, 1, 0}), 1.0, kInf);
  AddRow(&p, Row({1, 1, 0}), -kInf, 1.0);
  QpSolver solver;
  QpSolution s;
  EXPECT_EQ(solver.Solve(p, &s), QpStatus::kInfeasible);
}

TEST(QpSolverTest, ReportsEqualityConflictingWithBoundsAsInfeasible) {
  QpProblem p = DistanceProblem(Eigen::Vector2d(0.0, 0.0));
  AddEquality(&p, Row({1, 1}), 3.0);
  p.x_upper = Eigen::Vector2d(1.0, 1.0);
  QpSolver solver;
  QpSolution s;
  EXPECT_EQ(solver.Solve(p, &s), QpStatus::kInfeasible);
}

TEST(QpSolverTest, ReportsCrossedOrImpossibleBoundsAsInfeasible) {
  QpSolver solver;
  QpSolution s;
  QpProblem crossed = DistanceProblem(Eigen::Vector2d(0.0, 0.0));
  AddRow(&crossed, Row({1, 1}), 2.0, 1.0);
  EXPECT_EQ(solver.Solve(crossed, &s), QpStatus::kInfeasible);
  QpProblem infinite = DistanceProblem(Eigen::Vector2d(0.0, 0.0));
  infinite.x_lower = Eigen::Vector2d(0.0, kInf);
  EXPECT_EQ(solver.Solve(infinite, &s), QpStatus::kInfeasible);
  QpProblem zero_row = DistanceProblem(Eigen::Vector2d(0.0, 0.0));
  AddRow(&zero_row, Row({0, 0}), 1.0, kInf);
  EXPECT_EQ(solver.Solve(zero_row, &s), QpStatus::kInfeasible);
  // A zero row that holds (0 in [-1, 1]) is harmless.
  QpProblem harmless = DistanceProblem(Eigen::Vector2d(0.5, 0.0));
  AddRow(&harmless, Row({0, 0}), -1.0, 1.0);
  EXPECT_EQ(solver.Solve(harmless, &s), QpStatus::kOptimal);
}

TEST(QpSolverTest, ReportsRandomProblemsWithAContradictoryRowAsInfeasible) {
  QpSolver solver;
  QpSolution s;
  for (unsigned seed = 0; seed < 10; ++seed) {
    SCOPED_TRACE(seed);
    QpProblem p = MakeRandomProblem(seed, 20, 4, 20, seed % 2 == 0);
    // Rows 0 and 1 get a sum row whose range excludes every feasible sum.
    const Eigen::RowVectorXd sum = p.C.row(0) + p.C.row(1);
    p.c_lower(0) = 1.0;
    p.c_upper(0) = kInf;
    p.c_lower(1) = 1.0;
    p.c_upper(1) = kInf;
    AddRow(&p, sum, -kInf, 1.5);
    EXPECT_EQ(solver.Solve(p, &s), QpStatus::kInfeasible);
  }
}

// ----------------------------------------------------------------------------
// Invalid input.

TEST(QpSolverTest, RejectsBadDimensionsWithoutCrashing) {
  QpSolver solver;
  QpSolution s;
  const QpProblem good = MakeRandomProblem(1, 6, 2, 4, false);
  ASSERT_EQ(solver.Solve(good, &s), QpStatus::kOptimal);
  std::vector<QpProblem> bad(9, good);
  bad[0].H.resize(0, 0);
  bad[1].H = Eigen::MatrixXd::Identity(6, 5);
  bad[2].g.resize(5);
  bad[3].A_eq = Eigen::MatrixXd::Ones(2, 7);
  bad[4].b_eq.resize(3);
  bad[5].C = Eigen::MatrixXd::Ones(4, 5);
  bad[6].c_lower.resize(3);
  bad[7].c_upper.resize(5);
  bad[8].x_lower = Eigen::VectorXd::Zero(4);
  for (size_t i = 0; i < bad.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(solver.Solve(bad[i], &s), QpStatus::kInvalidInput);
    EXPECT_EQ(s.status, QpStatus::kInvalidInput);
  }
  EXPECT_EQ(solver.Solve(good, nullptr), QpStatus::kInvalidInput);
}

TEST(QpSolverTest, RejectsNaNAndInfiniteData) {
  QpSolver solver;
  QpSolution s;
  const QpProblem good = MakeRandomProblem(2, 6, 2, 4, true);
  std::vector<QpProblem> bad(8, good);
  bad[0].H(1, 1) = kNaN;
  bad[1].g(2) = kNaN;
  bad[2].A_eq(1, 3) = kInf;
  bad[3].b_eq(0) = kNaN;
  bad[4].C(2, 2) = kNaN;
  bad[5].c_lower(1) = kNaN;
  bad[6].x_upper(0) = kNaN;
  bad[7].g(0) = -kInf;
  for (size_t i = 0; i < bad.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(solver.Solve(bad[i], &s), QpStatus::kInvalidInput);
  }
}

TEST(QpSolverTest, RejectsHessianThatIsNotSymmetricPositiveDefinite) {
  QpSolver solver;
  QpSolution s;
  QpProblem indefinite = EmptyProblem(2);
  indefinite.H << 1, 2, 2, 1;
  EXPECT_EQ(solver.Solve(indefinite, &s), QpStatus::kInvalidInput);
  QpProblem singular = EmptyProblem(2);
  singular.H << 1, 1, 1, 1;
  EXPECT_EQ(solver.Solve(singular, &s), QpStatus::kInvalidInput);
  QpProblem zero = EmptyProblem(2);
  zero.H.setZero();
  EXPECT_EQ(solver.Solve(zero, &s), QpStatus::kInvalidInput);
  QpProblem asymmetric = EmptyProblem(2);
  asymmetric.H << 2, 1, 0, 2;
  EXPECT_EQ(solver.Solve(asymmetric, &s), QpStatus::kInvalidInput);
}

TEST(QpSolverTest, StopsAtTheIterationCap) {
  const QpProblem p = MakeRandomProblem(3, 30, 5, 40, false);
  QpSolver solver;
  QpSolution s;
  ASSERT_EQ(solver.Solve(p, &s), QpStatus::kOptimal);
  ASSERT_GT(s.iterations, 8);
  QpSolverOptions options;
  options.max_iterations = 8;
  solver.set_options(options);
  EXPECT_EQ(solver.Solve(p, &s), QpStatus::kMaxIterations);
  EXPECT_EQ(s.iterations, 8);
  EXPECT_EQ(s.x.size(), 30);
  EXPECT_TRUE(s.x.allFinite());
}

// ----------------------------------------------------------------------------
// Random problems.

TEST(QpSolverTest, SatisfiesKktConditionsOnRandomFeasibleProblems) {
  struct Size {
    int n, m_eq, m_in;
    bool bounds;
  };
  const Size sizes[] = {{3, 0, 5, false},   {8, 2, 10, true},    {15, 0, 30, false},
                        {30, 6, 40, true},  {40, 10, 60, false}, {55, 12, 40, false},
                        {55, 12, 40, true}, {60, 15, 80, false}, {60, 15, 80, true}};
  QpSolver solver;
  QpSolution s;
  int total_active = 0;
  for (const Size& size : sizes) {
    for (unsigned seed = 0; seed < 8; ++seed) {
      SCOPED_TRACE(testing::Message() << "n=" << size.n << " m_eq=" << size.m_eq
                                      << " m_in=" << size.m_in << " seed=" << seed);
      const QpProblem p =
          MakeRandomProblem(seed + 100 * size.n, size.n, size.m_eq, size.m_in, size.bounds);
      ASSERT_EQ(solver.Solve(p, &s), QpStatus::kOptimal);
      ExpectKkt(p, s);
      EXPECT_NEAR(s.objective, Objective(p, s.x), 1e-9 * (1.0 + std::abs(s.objective)));
      total_active += static_cast<int>(s.active_set.size());
    }
  }
  EXPECT_GT(total_active, 100);  // The problems do exercise the inequalities.
}

TEST(QpSolverTest, SatisfiesKktConditionsOnIllConditionedRandomProblems) {
  QpSolver solver;
  QpSolution s;
  for (unsigned seed = 0; seed < 10; ++seed) {
    SCOPED_TRACE(seed);
    // Smallest Hessian eigenvalue around 1e-6 of the largest.
    const QpProblem p = MakeRandomProblem(seed + 7000, 40, 8, 50, seed % 2 == 1, 1.0, 1e-6);
    ASSERT_EQ(solver.Solve(p, &s), QpStatus::kOptimal);
    ExpectKkt(p, s);
  }
}

TEST(QpSolverTest, SolvesBadlyScaledProblemsToRelativeAccuracy) {
  // The shape of a whole-body controller's QP: a rank-deficient task term
  // plus a small regulariser, variables scaled over 10^+-1.5 (H entries over
  // six decades, constraint columns over three), rows of A_eq and C scaled
  // over 10^+-3. Accuracy is judged relative to the size of each term.
  QpSolver solver;
  QpSolution s;
  for (unsigned seed = 0; seed < 20; ++seed) {
    SCOPED_TRACE(seed);
    std::mt19937 rng(seed + 4000);
    std::normal_distribution<double> normal(0.0, 1.0);
    std::uniform_real_distribution<double> exponent(-1.0, 1.0);
    const int n = 40, m_eq = 12, m_in = 30;
    QpProblem p = MakeRandomProblem(seed + 4000, n, m_eq, m_in, false);
    Eigen::VectorXd scale(n);
    for (int i = 0; i < n; ++i) scale(i) = std::pow(10.0, 1.5 * exponent(rng));
    Eigen::MatrixXd task(25, n);
    for (int j = 0; j < n; ++j) {
      for (int i = 0; i < 25; ++i) task(i, j) = normal(rng);
    }
    p.H = scale.asDiagonal() *
          (100.0 * task.transpose() * task + 1e-4 * Eigen::MatrixXd::Identity(n, n)) *
          scale.asDiagonal();
    p.g = scale.asDiagonal() * p.g;
    // Columns divided by scale: still feasible, at x0 scaled up.
    p.A_eq = p.A_eq * scale.cwiseInverse().asDiagonal();
    p.C = p.C * scale.cwiseInverse().asDiagonal();
    for (int i = 0; i < m_eq; ++i) {
      const double k = std::pow(10.0, 3.0 * exponent(rng));
      p.A_eq.row(i) *= k;
      p.b_eq(i) *= k;
    }
    for (int i = 0; i < m_in; ++i) {
      const double k = std::pow(10.0, 3.0 * exponent(rng));
      p.C.row(i) *= k;
      p.c_lower(i) *= k;
      p.c_upper(i) *= k;
    }
    ASSERT_EQ(solver.Solve(p, &s), QpStatus::kOptimal);
    const Eigen::VectorXd hx = p.H * s.x;
    const Eigen::VectorXd ay = p.A_eq.transpose() * s.y_eq;
    const Eigen::VectorXd cz = p.C.transpose() * s.z_ineq;
    const double grad_scale =
        std::max({hx.lpNorm<Eigen::Infinity>(), p.g.lpNorm<Eigen::Infinity>(),
                  ay.lpNorm<Eigen::Infinity>(), cz.lpNorm<Eigen::Infinity>()});
    EXPECT_LE((hx + p.g + ay + cz).lpNorm<Eigen::Infinity>(), 1e-8 * grad_scale);
    const double x_scale = 1.0 + s.x.lpNorm<Eigen::Infinity>();
    const Eigen::VectorXd eq = p.A_eq * s.x - p.b_eq;
    const Eigen::VectorXd cx = p.C * s.x;
    for (int i = 0; i < m_eq; ++i) {
      EXPECT_LE(std::abs(eq(i)), 1e-8 * p.A_eq.row(i).norm() * x_scale);
    }
    for (int i = 0; i < m_in; ++i) {
      const double tol = 1e-8 * p.C.row(i).norm() * x_scale;
      EXPECT_GE(cx(i), p.c_lower(i) - tol);
      EXPECT_LE(cx(i), p.c_upper(i) + tol);
      if (p.c_lower(i) == -kInf) {
        EXPECT_GE(s.z_ineq(i), 0.0);
      }
      if (p.c_upper(i) == kInf) {
        EXPECT_LE(s.z_ineq(i), 0.0);
      }
      if (s.z_ineq(i) < 0.0) {
        EXPECT_NEAR(cx(i), p.c_lower(i), tol);
      }
      if (s.z_ineq(i) > 0.0) {
        EXPECT_NEAR(cx(i), p.c_upper(i), tol);
      }
    }
  }
}

TEST(QpSolverTest, MatchesBruteForceReferenceOnSmallRandomProblems) {
  QpSolver solver;
  QpSolution s;
  int checked = 0;
  for (unsigned seed = 0; seed < 60; ++seed) {
    SCOPED_TRACE(seed);
    const int n = 3 + seed % 4;
    const int m_eq = seed % 3;
    const int m_in = seed % 5 == 0 ? 3 : 6;
    const bool bounds = seed % 5 == 0;
    const QpProblem p = MakeRandomProblem(seed + 500, n, m_eq, m_in, bounds, 3.0);
    ASSERT_EQ(solver.Solve(p, &s), QpStatus::kOptimal);
    ExpectKkt(p, s);
    Eigen::VectorXd reference_x;
    const double reference = BruteForceObjective(p, &reference_x);
    ASSERT_LT(reference, kInf);
    EXPECT_NEAR(s.objective, reference, 1e-8 * (1.0 + std::abs(reference)));
    EXPECT_LE((s.x - reference_x).lpNorm<Eigen::Infinity>(), 1e-6);
    ++checked;
  }
  EXPECT_EQ(checked, 60);
}

TEST(QpSolverTest, GivesTheSameSolutionForPermutedAndRescaledConstraints) {
  QpSolver solver;
  QpSolution s, t;
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> scale(0.1, 10.0);
  for (unsigned seed = 0; seed < 10; ++seed) {
    SCOPED_TRACE(seed);
    const QpProblem p = MakeRandomProblem(seed + 900, 25, 5, 35, false);
    ASSERT_EQ(solver.Solve(p, &s), QpStatus::kOptimal);
    QpProblem q = p;
    std::vector<int> order(35);
    std::iota(order.begin(), order.end(), 0);
    std::shuffle(order.begin(), order.end(), rng);
    for (int i = 0; i < 35; ++i) {
      const double k = scale(rng);
      q.C.row(i) = k * p.C.row(order[i]);
      q.c_lower(i) = k * p.c_lower(order[i]);
      q.c_upper(i) = k * p.c_upper(order[i]);
    }
    for (int i = 0; i < 5; ++i) {
      const double k = -scale(rng);  // Equalities may flip sign too.
      q.A_eq.row(i) = k * p.A_eq.row(4 - i);
      q.b_eq(i) = k * p.b_eq(4 - i);
    }
    ASSERT_EQ(solver.Solve(q, &t), QpStatus::kOptimal);
    EXPECT_LE((s.x - t.x).lpNorm<Eigen::Infinity>(), 1e-8);
    EXPECT_NEAR(s.objective, t.objective, 1e-8 * (1.0 + std::abs(s.objective)));
  }
}

TEST(QpSolverTest, TreatsSimpleBoundsLikeTheEquivalentRows) {
  QpSolver solver;
  QpSolution with_bounds, with_rows;
  for (unsigned seed = 0; seed < 10; ++seed) {
    SCOPED_TRACE(seed);
    const QpProblem p = MakeRandomProblem(seed + 300, 20, 3, 15, true);
    ASSERT_EQ(solver.Solve(p, &with_bounds), QpStatus::kOptimal);
    QpProblem q = p;
    for (int i = 0; i < 20; ++i) {
      AddRow(&q, Eigen::RowVectorXd::Unit(20, i), p.x_lower(i), p.x_upper(i));
    }
    q.x_lower.resize(0);
    q.x_upper.resize(0);
    ASSERT_EQ(solver.Solve(q, &with_rows), QpStatus::kOptimal);
    EXPECT_LE((with_bounds.x - with_rows.x).lpNorm<Eigen::Infinity>(), 1e-9);
    EXPECT_LE((with_bounds.z_bounds - with_rows.z_ineq.tail(20)).lpNorm<Eigen::Infinity>(), 1e-7);
    EXPECT_EQ(with_bounds.active_set, with_rows.active_set);
  }
}

TEST(QpSolverTest, GivesIdenticalResultsOnRepeatedSolves) {
  const QpProblem a = MakeRandomProblem(11, 55, 12, 40, true);
  const QpProblem b = MakeRandomProblem(12, 30, 4, 20, false);
  QpSolver solver;
  QpSolution first, other, again;
  ASSERT_EQ(solver.Solve(a, &first), QpStatus::kOptimal);
  ASSERT_EQ(solver.Solve(b, &other), QpStatus::kOptimal);
  for (int repeat = 0; repeat < 3; ++repeat) {
    ASSERT_EQ(solver.Solve(a, &again), QpStatus::kOptimal);
    EXPECT_EQ(first.x, again.x);  // Bitwise equal.
    EXPECT_EQ(first.y_eq, again.y_eq);
    EXPECT_EQ(first.z_ineq, again.z_ineq);
    EXPECT_EQ(first.z_bounds, again.z_bounds);
    EXPECT_EQ(first.iterations, again.iterations);
    EXPECT_EQ(first.active_set, again.active_set);
    EXPECT_EQ(first.objective, again.objective);
  }
  // The same solution object is reused across sizes without stale entries.
  ASSERT_EQ(solver.Solve(b, &again), QpStatus::kOptimal);
  EXPECT_EQ(other.x, again.x);
  EXPECT_EQ(other.active_set, again.active_set);
}

TEST(QpSolverTest, NamesEveryStatus) {
  EXPECT_STREQ(QpStatusName(QpStatus::kOptimal), "kOptimal");
  EXPECT_STREQ(QpStatusName(QpStatus::kInfeasible), "kInfeasible");
  EXPECT_STREQ(QpStatusName(QpStatus::kMaxIterations), "kMaxIterations");
  EXPECT_STREQ(QpStatusName(QpStatus::kInvalidInput), "kInvalidInput");
}

}  // namespace
}  // namespace yangbot
