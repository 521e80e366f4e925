// One whole-body controller tick for one robot (standing, both feet in contact), on the
// state after mj_step1 as the runner calls it (issue 23: controllers next to physics).
// "allocs": heap allocations per tick or solve (0 under AddressSanitizer: not counted).
#include <benchmark/benchmark.h>

#include <vector>

#include "controllers/whole_body_controller.h"
#include "sim/runner.h"
#include "sim/scene.h"
#include "tests/allocation_counter.h"
#include "tests/controllers/swaying_stand.h"

namespace yangbot {
namespace {

void BM_WholeBodyControllerTick(benchmark::State& bench) {
  SceneOptions options;
  options.robots = static_cast<int>(bench.range(0));
  auto scene = Scene::Build(options);
  auto run = StartSwayingStand(*scene);
  RunUntil(*scene, run.get(), 1.0);
  mj_step1(scene->model(), run->data);
  std::vector<double> ctrl(scene->robot_info().nu);
  run->controllers[0]->Compute(*scene, 0, *run->data, ctrl.data());  // sizes the workspaces
  const long before = AllocationCount();
  for (auto _ : bench) {
    run->controllers[0]->Compute(*scene, 0, *run->data, ctrl.data());
    benchmark::DoNotOptimize(ctrl.data());
  }
  bench.counters["allocs"] = benchmark::Counter(static_cast<double>(AllocationCount() - before),
                                                benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_WholeBodyControllerTick)->Arg(1)->Arg(16)->Unit(benchmark::kMicrosecond);

// The real QP of the tick above (standing, both feet, swaying and spinning), 100 successive
// ticks, solved as the controller solves it (WholeBodyQp: the first foot's wrench
// eliminated) and as one full problem (QpSolver, 6 equality rows). "iters": active-set
// changes per solve.
std::vector<QpProblem> RecordWholeBodyProblems() {
  SceneOptions options;
  options.robots = 1;
  auto scene = Scene::Build(options);
  auto run = StartSwayingStand(*scene);
  RunUntil(*scene, run.get(), 1.0);
  std::vector<QpProblem> problems;
  const auto* wbc = dynamic_cast<const WholeBodyController*>(run->controllers[0].get());
  for (int tick = 0; tick < 100; ++tick) {
    Step(*scene, run.get());
    problems.push_back(wbc->qp_problem());
  }
  return problems;
}

template <typename Solve>
void RunWholeBodyQpBenchmark(benchmark::State& bench, Solve solve) {
  static const std::vector<QpProblem> problems = RecordWholeBodyProblems();
  const int nv = static_cast<int>(problems[0].H.rows()) - 12;
  QpSolution solution;
  double iterations = 0;
  for (const QpProblem& p : problems) {
    if (solve(p, nv, &solution) != QpStatus::kOptimal) {
      bench.SkipWithError("problem not solved");
      return;
    }
    iterations += static_cast<double>(solution.iterations) / static_cast<double>(problems.size());
  }
  size_t next = 0;
  const long before = AllocationCount();
  for (auto _ : bench) {
    benchmark::DoNotOptimize(solve(problems[next], nv, &solution));
    benchmark::DoNotOptimize(solution.x.data());
    next = (next + 1) % problems.size();
  }
  bench.counters["allocs"] = benchmark::Counter(static_cast<double>(AllocationCount() - before),
                                                benchmark::Counter::kAvgIterations);
  bench.counters["iters"] = iterations;
}

void BM_WholeBodyQpReduced(benchmark::State& bench) {
  WholeBodyQp qp;
  RunWholeBodyQpBenchmark(bench, [&](const QpProblem& p, int nv, QpSolution* s) { return qp.Solve(p, nv, s); });
}
BENCHMARK(BM_WholeBodyQpReduced)->Unit(benchmark::kMicrosecond);

void BM_WholeBodyQpFull(benchmark::State& bench) {
  QpSolver qp;
  RunWholeBodyQpBenchmark(bench, [&](const QpProblem& p, int, QpSolution* s) { return qp.Solve(p, s); });
}
BENCHMARK(BM_WholeBodyQpFull)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace yangbot
