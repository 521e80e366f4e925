// Slot assignment: which robot takes which slot of a formation. The scheduler first
// makes the longest walk as short as it can be (bottleneck assignment: the smallest
// threshold under which every robot still has a slot of its own, found by binary
// search over the costs with augmenting-path matching), then, among the assignments
// that keep every walk under that threshold, the total as small as it can be
// (Hungarian method with potentials, O(robots^2 * slots)). Forbidden pairs (a robot
// pinned elsewhere, a slot outside the robot's group) have an infinite cost.
#ifndef YANGBOT_CHOREOGRAPHY_ASSIGNMENT_H_
#define YANGBOT_CHOREOGRAPHY_ASSIGNMENT_H_

#include <limits>
#include <optional>
#include <vector>

namespace yangbot {

/// cost[r][s]: cost of robot r taking slot s (size robots x slots, robots <= slots, every
/// row the same size); +infinity forbids the pair.
using CostMatrix = std::vector<std::vector<double>>;

/// Cost that forbids a robot-slot pair.
constexpr double kForbidden = std::numeric_limits<double>::infinity();

/// Slot per robot (size robots, distinct slots) with the least summed cost, or nullopt
/// when every assignment uses a forbidden pair (or robots > slots).
std::optional<std::vector<int>> MinTotalAssignment(const CostMatrix& cost);

/// The least possible largest cost of an assignment (the bottleneck), or nullopt when
/// every assignment uses a forbidden pair.
std::optional<double> BottleneckValue(const CostMatrix& cost);

/// The assignment whose largest `longest` cost is least and, among those, whose summed
/// `total` cost is least (`total` the same size as `longest`; empty: `longest` itself).
/// Costs within `tie` of the bottleneck count as equal to it. nullopt as above.
std::optional<std::vector<int>> BottleneckAssignment(const CostMatrix& longest,
                                                     const CostMatrix& total = {},
                                                     double tie = 1e-9);

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_ASSIGNMENT_H_
