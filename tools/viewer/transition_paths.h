// Where the robots go during a formation change, as the compiled show has it: the centre
// of mass of each robot's reference (the trajectory its controller follows, ZMP-preview
// sway included, not the scheduler's footstep model), sampled over the change, and where
// two robots come closer than kMinRobotDistance on the way. GL-free: the stage editor draws
// it, tests check it.
#ifndef YANGBOT_TOOLS_VIEWER_TRANSITION_PATHS_H_
#define YANGBOT_TOOLS_VIEWER_TRANSITION_PATHS_H_

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "choreography/schedule.h"
#include "choreography/show_compiler.h"
#include "choreography/transition.h"
#include "controllers/reference.h"

namespace yangbot {

/// Every robot's path over one window of time.
struct TransitionPaths {
  /// Two robots closer than the limit somewhere in the window.
  struct Approach {
    int a = 0, b = 0;     ///< robots (0-based), a < b
    int sample = 0;       ///< sample where they are closest
    double distance = 0;  ///< m, their least distance
  };
  std::string formation;  ///< formation walked to ("" for a window that is not a change)
  double start = 0;       ///< s, first sample
  double dt = 0.1;        ///< s between samples
  /// Per robot, its centre of mass on the floor (x, y in m) at start + k·dt.
  std::vector<std::vector<std::array<double, 2>>> points;
  /// Per robot and sample: closer than the limit to some other robot then.
  std::vector<std::vector<bool>> close;
  std::vector<Approach> approaches;  ///< pairs that come too close, by robot pair
  double min_distance = 0;           ///< m, least distance of two robots in the window (inf: < 2 robots)
};

/// Samples `references` (one per robot) every `dt` s (> 0) from `start` to `end` (s, both
/// included) and marks where two robots are closer than `limit` (m).
TransitionPaths SamplePaths(const std::vector<std::shared_ptr<const ReferenceSource>>& references,
                            double start, double end, double dt = 0.1,
                            double limit = kMinRobotDistance);

/// The paths through every formation change of `schedule`, in order, from its
/// compilation `compiled`: from the first robot's walk start to the last landing plus
/// `settle` s (the centre of mass comes to rest after the feet).
std::vector<TransitionPaths> TransitionPathsOf(const Schedule& schedule,
                                               const CompiledShow& compiled, double dt = 0.1,
                                               double settle = 1.0);
/// The same from the references the robots follow (one per robot: `compiled.references`,
/// or a supervised run's, re-planned).
std::vector<TransitionPaths> TransitionPathsOf(
    const Schedule& schedule, const std::vector<std::shared_ptr<const ReferenceSource>>& references,
    double dt = 0.1, double settle = 1.0);

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_VIEWER_TRANSITION_PATHS_H_
