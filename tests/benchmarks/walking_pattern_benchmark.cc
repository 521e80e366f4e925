// Cost of the walking pattern generator: planning, precomputation, and the per-tick
// queries a whole-body controller makes (Sample must stay well under 5 us).
#include <benchmark/benchmark.h>

#include <Eigen/Core>
#include <random>
#include <vector>

#include "controllers/footstep_planner.h"
#include "controllers/step_timing.h"
#include "controllers/walking_pattern.h"
#include "controllers/zmp_preview.h"

namespace yangbot {
namespace {

FootstepPlan TimedForwardWalk(double distance) {
  FootstepPlan plan = FootstepPlanner().PlanForward(Stance::FromCenter({0, 0, 0}, 0.2), distance);
  AssignBeatTimes(BeatTiming{}, &plan);
  return plan;
}

// One Sample(t) at random times over a 20 m walk (80+ steps, about 45 s).
void BM_WalkingPatternSample(benchmark::State& state) {
  const WalkingPattern pattern(TimedForwardWalk(20.0));
  std::mt19937 rng(1);
  std::uniform_real_distribution<double> time(pattern.start_time(), pattern.end_time());
  std::vector<double> times(4096);
  for (double& t : times) t = time(rng);
  size_t i = 0;
  for (auto _ : state) {
    WalkingSample s = pattern.Sample(times[i++ & 4095]);
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_WalkingPatternSample);

// Sample(t) at consecutive 2 ms control ticks, as a controller calls it.
void BM_WalkingPatternSampleTicks(benchmark::State& state) {
  const WalkingPattern pattern(TimedForwardWalk(20.0));
  double t = pattern.start_time();
  for (auto _ : state) {
    WalkingSample s = pattern.Sample(t);
    benchmark::DoNotOptimize(s);
    t += 0.002;
    if (t > pattern.end_time()) t = pattern.start_time();
  }
}
BENCHMARK(BM_WalkingPatternSampleTicks);

// Precomputation (gains, ZMP reference, preview over the whole walk) for a 5 m walk.
void BM_WalkingPatternBuild(benchmark::State& state) {
  const FootstepPlan plan = TimedForwardWalk(5.0);
  for (auto _ : state) {
    WalkingPattern pattern(plan);
    benchmark::DoNotOptimize(pattern);
  }
}
BENCHMARK(BM_WalkingPatternBuild)->Unit(benchmark::kMillisecond);

// Riccati iteration and preview gains alone.
void BM_ZmpPreviewGains(benchmark::State& state) {
  for (auto _ : state) {
    ZmpPreviewGains gains = ComputeZmpPreviewGains({});
    benchmark::DoNotOptimize(gains);
  }
}
BENCHMARK(BM_ZmpPreviewGains)->Unit(benchmark::kMicrosecond);

// One online preview step with a full 1.6 s window (320 samples at 5 ms).
void BM_ZmpPreviewControllerStep(benchmark::State& state) {
  ZmpPreviewController controller(ZmpPreviewParams{});
  controller.Reset(Eigen::Vector2d::Zero());
  std::vector<Eigen::Vector2d> window(controller.gains().preview_steps() + 1);
  for (size_t j = 0; j < window.size(); ++j) window[j] = Eigen::Vector2d(0.001 * j, 0);
  for (auto _ : state) {
    benchmark::DoNotOptimize(controller.Step(window));
  }
}
BENCHMARK(BM_ZmpPreviewControllerStep);

// Footstep planning of a 2 m walk with a turn (omnidirectional, even steps).
void BM_FootstepPlanToPose(benchmark::State& state) {
  const FootstepPlanner planner;
  const Stance start = Stance::FromCenter({0, 0, 0}, 0.2);
  for (auto _ : state) {
    FootstepPlan plan = planner.PlanToPose(start, {2.0, 0.5, 1.0});
    benchmark::DoNotOptimize(plan);
  }
}
BENCHMARK(BM_FootstepPlanToPose)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace yangbot
