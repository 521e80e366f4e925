// The transition planner (transition.h) over random formation changes
// (tests/choreography/formation_pairs.h: every shape, random centres, facings and
// spacings, fixed seeds), each given the beats a straight walk of the longest way needs
// + 25 %: the time to plan one change, the share planned (counter "planned"), the most CPU
// one change took (worst_cpu_ms: the machine may be shared) and the most states its timing
// searches visited (most_states, TransitionOptions::budget).
// Arguments: robots (0: 4-32 at random), envelope (0: the target gait's, 1: the box-foot
// gait's, MeasuredGaitEnvelope()).
// BM_PlanFormationChangeSeed: one seed a row (2126-2137), 4-32 robots, the target envelope.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <ctime>
#include <vector>

#include "choreography/transition.h"
#include "tests/choreography/formation_pairs.h"
#include "tests/choreography/target_gait.h"

namespace yangbot {
namespace {

GaitParams Envelope(int64_t which) {
  GaitParams gait;
  gait.walk = which == 0 ? TargetGaitEnvelope() : MeasuredGaitEnvelope();
  return gait;
}

// Plans the 64 changes of `pairs` in turn, one an iteration.
void PlanChanges(const std::vector<FormationPair>& pairs, const GaitParams& gait,
                 benchmark::State& state) {
  size_t next = 0;
  int64_t planned = 0, tried = 0;
  double worst_ms = 0;
  int64_t most_states = 0;
  for (auto _ : state) {
    const FormationPair& pair = pairs[next++ % pairs.size()];
    const std::clock_t begin = std::clock();
    const TransitionPlan plan = PlanTransition(pair.walkers, {}, gait, OptimalAssignOptions());
    const double ms = 1000.0 * static_cast<double>(std::clock() - begin) / CLOCKS_PER_SEC;
    worst_ms = std::max(worst_ms, ms);
    most_states = std::max(most_states, plan.explored);
    benchmark::DoNotOptimize(plan.ok);
    planned += plan.ok;
    ++tried;
  }
  state.counters["planned"] = static_cast<double>(planned) / std::max<int64_t>(1, tried);
  state.counters["worst_cpu_ms"] = worst_ms;
  state.counters["most_states"] = static_cast<double>(most_states);
}

void BM_PlanFormationChange(benchmark::State& state) {
  const int robots = static_cast<int>(state.range(0));
  const GaitParams gait = Envelope(state.range(1));
  PlanChanges(RandomFormationPairs(64, robots, gait, 2126), gait, state);
}
BENCHMARK(BM_PlanFormationChange)
    ->ArgsProduct({{0, 8, 16, 32}, {0}})
    ->Args({16, 1})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(64);

// The share over more seeds (4-32 robots, the target envelope): 2126-2131 and the fresh
// 2132-2137, six rows each.
void BM_PlanFormationChangeSeed(benchmark::State& state) {
  const GaitParams gait = Envelope(0);
  PlanChanges(RandomFormationPairs(64, 0, gait, static_cast<unsigned>(state.range(0))), gait,
              state);
}
BENCHMARK(BM_PlanFormationChangeSeed)
    ->DenseRange(2126, 2137)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(64);

}  // namespace
}  // namespace yangbot
