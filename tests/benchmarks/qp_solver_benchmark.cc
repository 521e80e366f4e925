// Benchmarks of QpSolver on random dense problems of whole-body-control size.
// Each benchmark cycles through a few seeded problems and reports the mean
// number of active inequalities ("active") and active-set changes ("iters").
#include <benchmark/benchmark.h>

#include <limits>
#include <random>
#include <vector>

#include "controllers/qp_solver.h"

namespace yangbot {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// A strictly convex problem, feasible at a random point x0 (H with
// eigenvalues in about [0.1, 4]). The unconstrained minimiser is x0 + sigma
// * noise, so `sigma` sets how many inequalities end up active: small sigma
// mimics a controller whose targets are nearly feasible, large sigma
// activates most rows. Inequalities are two-sided or one-sided at random,
// with margins in [0.05, 1] around C x0.
QpProblem MakeBenchmarkProblem(unsigned seed, int n, int m_eq, int m_in, double sigma) {
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
  QpProblem p;
  const Eigen::MatrixXd m = random_matrix(n, n);
  p.H = m.transpose() * m / n + 0.1 * Eigen::MatrixXd::Identity(n, n);
  const Eigen::VectorXd x0 = random_matrix(n, 1);
  const Eigen::VectorXd target = x0 + sigma * random_matrix(n, 1);
  p.g = -p.H * target;
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
  return p;
}

void RunQpBenchmark(benchmark::State& state, int n, int m_eq, int m_in, double sigma) {
  constexpr int kProblems = 8;
  std::vector<QpProblem> problems;
  for (unsigned seed = 0; seed < kProblems; ++seed) {
    problems.push_back(MakeBenchmarkProblem(seed + 1000, n, m_eq, m_in, sigma));
  }
  QpSolver solver;
  QpSolution solution;
  double active = 0.0;
  double iterations = 0.0;
  for (const QpProblem& p : problems) {  // Warm the workspace; collect statistics.
    if (solver.Solve(p, &solution) != QpStatus::kOptimal) {
      state.SkipWithError("benchmark problem not solved");
      return;
    }
    active += static_cast<double>(solution.active_set.size()) / kProblems;
    iterations += static_cast<double>(solution.iterations) / kProblems;
  }
  int next = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(solver.Solve(problems[next], &solution));
    benchmark::DoNotOptimize(solution.x.data());
    next = (next + 1) % kProblems;
  }
  state.counters["active"] = active;
  state.counters["iters"] = iterations;
}

// The whole-body-control size: 55 variables, 12 equalities, 40 inequalities,
// from nearly feasible targets (few active rows) to most rows active.
void BM_QpSolver55Vars12Eq40IneqFewActive(benchmark::State& state) {
  RunQpBenchmark(state, 55, 12, 40, 0.05);
}
BENCHMARK(BM_QpSolver55Vars12Eq40IneqFewActive)->Unit(benchmark::kMicrosecond);

void BM_QpSolver55Vars12Eq40IneqSomeActive(benchmark::State& state) {
  RunQpBenchmark(state, 55, 12, 40, 0.2);
}
BENCHMARK(BM_QpSolver55Vars12Eq40IneqSomeActive)->Unit(benchmark::kMicrosecond);

void BM_QpSolver55Vars12Eq40IneqManyActive(benchmark::State& state) {
  RunQpBenchmark(state, 55, 12, 40, 2.0);
}
BENCHMARK(BM_QpSolver55Vars12Eq40IneqManyActive)->Unit(benchmark::kMicrosecond);

// A smaller controller: 30 variables, 6 equalities, 20 inequalities.
void BM_QpSolver30Vars6Eq20Ineq(benchmark::State& state) { RunQpBenchmark(state, 30, 6, 20, 0.2); }
BENCHMARK(BM_QpSolver30Vars6Eq20Ineq)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace yangbot
