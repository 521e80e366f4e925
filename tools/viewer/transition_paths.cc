#include "tools/viewer/transition_paths.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <utility>

namespace yangbot {

TransitionPaths SamplePaths(const std::vector<std::shared_ptr<const ReferenceSource>>& references,
                            double start, double end, double dt, double limit) {
  TransitionPaths paths;
  paths.start = start;
  paths.dt = dt > 0 ? dt : 0.1;
  paths.min_distance = std::numeric_limits<double>::infinity();
  const int robots = static_cast<int>(references.size());
  const int samples = std::max(1, static_cast<int>(std::floor((end - start) / paths.dt + 1e-9)) + 1);
  paths.points.assign(robots, std::vector<std::array<double, 2>>(samples));
  paths.close.assign(robots, std::vector<bool>(samples, false));
  RobotReference reference;
  for (int i = 0; i < robots; ++i) {
    for (int k = 0; k < samples; ++k) {
      references[i]->Sample(start + k * paths.dt, &reference);
      paths.points[i][k] = {reference.com.x(), reference.com.y()};
    }
  }
  std::map<std::pair<int, int>, TransitionPaths::Approach> approaches;
  for (int k = 0; k < samples; ++k) {
    for (int a = 0; a < robots; ++a) {
      for (int b = a + 1; b < robots; ++b) {
        const double d = std::hypot(paths.points[a][k][0] - paths.points[b][k][0],
                                    paths.points[a][k][1] - paths.points[b][k][1]);
        paths.min_distance = std::min(paths.min_distance, d);
        if (d >= limit) continue;
        paths.close[a][k] = paths.close[b][k] = true;
        auto [it, added] = approaches.try_emplace({a, b}, TransitionPaths::Approach{a, b, k, d});
        if (!added && d < it->second.distance) it->second = TransitionPaths::Approach{a, b, k, d};
      }
    }
  }
  for (const auto& [pair, approach] : approaches) paths.approaches.push_back(approach);
  return paths;
}

std::vector<TransitionPaths> TransitionPathsOf(const Schedule& schedule,
                                               const CompiledShow& compiled, double dt,
                                               double settle) {
  return TransitionPathsOf(schedule, compiled.references, dt, settle);
}

std::vector<TransitionPaths> TransitionPathsOf(
    const Schedule& schedule, const std::vector<std::shared_ptr<const ReferenceSource>>& references,
    double dt, double settle) {
  std::vector<TransitionPaths> all;
  for (const ScheduledTransition& transition : schedule.transitions) {
    if (transition.walks.empty()) continue;
    double start = std::numeric_limits<double>::infinity(), end = -start;
    for (const PlannedWalk& walk : transition.walks) {
      start = std::min(start, schedule.clock.Time(walk.start));
      const Beats last = walk.steps.empty() ? Beats() : walk.steps.back().land;
      end = std::max(end, schedule.clock.Time(walk.start + last));
    }
    TransitionPaths paths = SamplePaths(references, start, end + settle, dt);
    paths.formation = transition.formation;
    all.push_back(std::move(paths));
  }
  return all;
}

}  // namespace yangbot
