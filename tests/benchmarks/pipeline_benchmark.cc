// The parts of a run's pipeline one by one, next to the physics they drive (`yangbot
// bench` measures them together): one physics step alone, one whole runner Step (physics,
// controllers, health checks, metrics) on one and two threads, the per-step metrics, the
// trajectory hash, the default show's planning (parse and schedule) and compilation, and
// sampling its references.
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "choreography/choreography.h"
#include "choreography/diagnostics.h"
#include "choreography/schedule.h"
#include "choreography/show_compiler.h"
#include "choreography/show_metrics.h"
#include "choreography/show_parser.h"
#include "controllers/whole_body_controller.h"
#include "sim/assets.h"
#include "sim/error.h"
#include "sim/metrics.h"
#include "sim/recording.h"
#include "sim/runner.h"
#include "sim/scene.h"

namespace yangbot {
namespace {

const std::string kDefaultShow = AssetsDir() + "/choreographies/yangge16.yaml";

// Steps between restarts from the saved state, so that robots never fall mid-benchmark.
constexpr int kRestartEvery = 250;

// `robots` robots standing, twisting and spinning their handkerchiefs (the whole-body
// controller), 0.5 s after the start.
std::unique_ptr<RunState> StandingRun(const Scene& scene) {
  WholeBodyOptions options;
  options.stand_sway_amplitude = 0.2;
  options.stand_hanky_rate = 3.0;
  auto run = StartRun(scene, MakeWholeBodyControllerFactory(options), 1);
  RunUntil(scene, run.get(), 0.5);
  return run;
}

std::unique_ptr<Scene> Stage(int robots) {
  SceneOptions options;
  options.robots = robots;
  return Scene::Build(options);
}

// The physics-only cost of one step: mj_step with the controls of the last pipeline step.
void BM_PhysicsStep(benchmark::State& bench) {
  auto scene = Stage(static_cast<int>(bench.range(0)));
  auto saved = StandingRun(*scene);
  auto run = saved->Clone(*scene);
  int k = 0;
  for (auto _ : bench) {
    if (++k % kRestartEvery == 0) {
      bench.PauseTiming();
      mj_copyData(run->data, scene->model(), saved->data);
      bench.ResumeTiming();
    }
    mj_step(scene->model(), run->data);
  }
}
BENCHMARK(BM_PhysicsStep)->Arg(1)->Arg(16)->Unit(benchmark::kMicrosecond);

// One runner Step (physics, controllers, health checks, metrics), robots x threads.
void BM_RunnerStep(benchmark::State& bench) {
  auto scene = Stage(static_cast<int>(bench.range(0)));
  auto saved = StandingRun(*scene);
  auto run = saved->Clone(*scene);
  SetThreads(run.get(), static_cast<int>(bench.range(1)));
  int k = 0;
  for (auto _ : bench) {
    if (++k % kRestartEvery == 0) {
      bench.PauseTiming();
      auto fresh = saved->Clone(*scene);
      SetThreads(fresh.get(), static_cast<int>(bench.range(1)));
      run = std::move(fresh);
      bench.ResumeTiming();
    }
    Step(*scene, run.get());
  }
}
BENCHMARK(BM_RunnerStep)->Args({1, 1})->Args({16, 1})->Args({16, 2})->Unit(benchmark::kMicrosecond);

// The runner's metrics of one step (falls, tilt, torque, pairwise separation).
void BM_UpdateMetrics(benchmark::State& bench) {
  auto scene = Stage(static_cast<int>(bench.range(0)));
  auto run = StandingRun(*scene);
  for (auto _ : bench) {
    UpdateMetrics(*scene, *run->data, 0, &run->metrics);
  }
}
BENCHMARK(BM_UpdateMetrics)->Arg(16)->Arg(32);

// The show metrics of one step of the default show (16 robots).
void BM_ShowMetricsUpdate(benchmark::State& bench) {
  LoadedShow loaded = CheckShowFile(kDefaultShow);
  if (!loaded.ok()) {
    bench.SkipWithError("the default show has errors");
    return;
  }
  const CompiledShow compiled = CompileSchedule(loaded.schedule);
  SceneOptions options;
  options.robots = static_cast<int>(compiled.placements.size());
  options.placements = compiled.placements;
  auto scene = Scene::Build(options);
  auto run = StartRun(*scene, MakeWholeBodyControllerFactory({}, compiled.references), 1);
  RunUntil(*scene, run.get(), 0.2);
  ShowMetrics metrics(*scene, loaded.schedule, compiled);
  const std::vector<bool> active(scene->robot_count(), true);
  for (auto _ : bench) metrics.Update(*run->data, active);
}
BENCHMARK(BM_ShowMetricsUpdate);

// One state added to the trajectory hash (8 (1 + nq + nv) bytes through OpenSSL's SHA-256).
void BM_TrajectoryHashAdd(benchmark::State& bench) {
  auto scene = Stage(static_cast<int>(bench.range(0)));
  auto run = StartRun(
      *scene, [](const Scene&, int) { return nullptr; }, 1);
  TrajectoryHash hash(scene->model());
  for (auto _ : bench) hash.Add(*run->data);
  const int64_t bytes = 8 * (1 + scene->model()->nq + scene->model()->nv);
  bench.SetBytesProcessed(bench.iterations() * bytes);
}
BENCHMARK(BM_TrajectoryHashAdd)->Arg(16)->Arg(32);

// Planning the default show: formations, slot assignment, collision-free transitions.
void BM_ScheduleDefaultShow(benchmark::State& bench) {
  const std::string text = ReadFileOrThrow(kDefaultShow);
  Diagnostics parse_diagnostics;
  const Show show = ParseShow(text, &parse_diagnostics);
  ScheduleOptions options;
  options.base_dir = AssetsDir() + "/choreographies";
  for (auto _ : bench) {
    Diagnostics diagnostics;
    Schedule schedule = BuildSchedule(show, options, &diagnostics);
    benchmark::DoNotOptimize(schedule);
  }
}
BENCHMARK(BM_ScheduleDefaultShow)->Unit(benchmark::kMillisecond);

// Compiling the default show's schedule into per-robot references.
void BM_CompileDefaultShow(benchmark::State& bench) {
  const LoadedShow loaded = CheckShowFile(kDefaultShow);
  if (!loaded.ok()) {
    bench.SkipWithError("the default show has errors");
    return;
  }
  for (auto _ : bench) {
    CompiledShow compiled = CompileSchedule(loaded.schedule);
    benchmark::DoNotOptimize(compiled);
  }
}
BENCHMARK(BM_CompileDefaultShow)->Unit(benchmark::kMillisecond);

// The 16 references of the default show sampled a tick at a time, robot after robot, as
// the controllers sample them: a fresh search of each table (0) or one started from each
// robot's cursor (1).
void BM_SampleDefaultShow(benchmark::State& bench) {
  const CompiledShow show = CompileShowFile(kDefaultShow);
  const bool warm = bench.range(0) != 0;
  std::vector<ReferenceCursor> cursors(show.references.size());
  RobotReference out;
  double t = 0;
  for (auto _ : bench) {
    for (size_t r = 0; r < show.references.size(); ++r) {
      if (warm) {
        show.references[r]->SampleFrom(t, &cursors[r], &out);
      } else {
        show.references[r]->Sample(t, &out);
      }
      benchmark::DoNotOptimize(out);
    }
    t = t + 0.002 > show.end_time ? 0 : t + 0.002;
  }
}
BENCHMARK(BM_SampleDefaultShow)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

// Reading, checking and planning the default show file, as `yangbot validate` does.
void BM_CheckDefaultShowFile(benchmark::State& bench) {
  for (auto _ : bench) {
    LoadedShow loaded = CheckShowFile(kDefaultShow);
    benchmark::DoNotOptimize(loaded);
  }
}
BENCHMARK(BM_CheckDefaultShowFile)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace yangbot
