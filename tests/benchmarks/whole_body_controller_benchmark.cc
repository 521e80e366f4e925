// One whole-body controller tick for one robot (standing, both feet in contact), on the
// state after mj_step1 as the runner calls it. Aim: <= 30 us (issue 3).
#include <benchmark/benchmark.h>

#include <vector>

#include "controllers/whole_body_controller.h"
#include "sim/runner.h"
#include "sim/scene.h"

namespace yangbot {
namespace {

void BM_WholeBodyControllerTick(benchmark::State& bench) {
  SceneOptions options;
  options.robots = static_cast<int>(bench.range(0));
  auto scene = Scene::Build(options);
  WholeBodyOptions controller;
  controller.stand_hanky_rate = 3.0;
  controller.stand_sway_amplitude = 0.2;
  auto run = StartRun(*scene, MakeWholeBodyControllerFactory(controller), 1);
  RunUntil(*scene, run.get(), 1.0);
  mj_step1(scene->model(), run->data);
  std::vector<double> ctrl(scene->robot_info().nu);
  for (auto _ : bench) {
    run->controllers[0]->Compute(*scene, 0, *run->data, ctrl.data());
    benchmark::DoNotOptimize(ctrl.data());
  }
}
BENCHMARK(BM_WholeBodyControllerTick)->Arg(1)->Arg(16)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace yangbot
