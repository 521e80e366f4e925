// Random formation changes for the transition planner's test and benchmark: two
// formations of the same troupe (every shape of the format, 4-32 robots, random centres,
// rotations, facings and spacings, slots at least kMinRobotDistance apart), the robots
// standing square on the first and sharing out the second as `assign: optimal` does, in
// the beats a straight walk of the longest way at the envelope's speed needs + 25 %; planned
// with the slot trades `assign: optimal` allows (OptimalAssignOptions).
#ifndef YANGBOT_TESTS_CHOREOGRAPHY_FORMATION_PAIRS_H_
#define YANGBOT_TESTS_CHOREOGRAPHY_FORMATION_PAIRS_H_

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include "choreography/assignment.h"
#include "choreography/formation.h"
#include "choreography/transition.h"

namespace yangbot {

/// Share of the straight walk's beats a change is given on top (the planner's goal).
constexpr double kFormationPairSlack = 0.25;

/// One random formation change.
struct FormationPair {
  std::string from_shape, to_shape;  ///< shape names
  std::vector<WalkRequest> walkers;  ///< one per robot, windows from beat 0
  int straight_beats = 0;            ///< beats the longest straight walk needs
};

/// Slots of a random formation of `shape` for `robots` robots: default parameters, scaled
/// (0.6-1.4 of the spacing, never closer than kMinRobotDistance + 0.05), turned,
/// centred within 2 m of the stage centre, facing a random way (or in / out).
inline std::vector<Placement> RandomFormation(const FormationShape& shape, int robots,
                                              std::mt19937* random) {
  std::uniform_real_distribution<double> unit(0, 1);
  ParamValues values;
  for (const ParamSpec& spec : shape.params()) {
    values.numbers.push_back(spec.default_value);
    values.words.push_back(spec.choices.empty() ? "" : spec.choices.front());
  }
  std::vector<Placement> slots = shape.Generate(values, robots);
  int a = 0, b = 0;
  const double closest = ClosestSlots(slots, &a, &b);
  double scale = 0.6 + 0.8 * unit(*random);
  if (std::isfinite(closest) && closest > 0) {
    scale = std::max(scale, (kMinRobotDistance + 0.05) / closest);
  }
  const double turn = 2 * M_PI * unit(*random);
  const double cx = 4 * unit(*random) - 2, cy = 4 * unit(*random) - 2;
  for (Placement& p : slots) {
    const double x = p.x * scale, y = p.y * scale;
    p.x = cx + std::cos(turn) * x - std::sin(turn) * y;
    p.y = cy + std::sin(turn) * x + std::cos(turn) * y;
  }
  const int facing = static_cast<int>((*random)() % 4);
  ApplyFacing(facing == 0 ? "in" : facing == 1 ? "out" : "", 2 * M_PI * unit(*random), cx, cy,
              &slots);
  return slots;
}

/// A random change for `robots` robots walking within `gait` (seeded by `random`).
inline FormationPair RandomFormationPair(int robots, const GaitParams& gait,
                                         std::mt19937* random) {
  const auto& shapes = FormationShapes();
  FormationPair pair;
  const FormationShape& from = *shapes[(*random)() % shapes.size()];
  const FormationShape& to = *shapes[(*random)() % shapes.size()];
  pair.from_shape = from.name();
  pair.to_shape = to.name();
  const std::vector<Placement> a = RandomFormation(from, robots, random);
  const std::vector<Placement> b = RandomFormation(to, robots, random);
  CostMatrix steps(robots, std::vector<double>(robots)), squared = steps;
  for (int i = 0; i < robots; ++i) {
    for (int j = 0; j < robots; ++j) {
      const Pose2 p{a[i].x, a[i].y, a[i].yaw}, q{b[j].x, b[j].y, b[j].yaw};
      steps[i][j] = std::ceil(QuickestWalkSteps(p, q, gait) - 1e-9) + 1;
      squared[i][j] = std::pow(p.x - q.x, 2) + std::pow(p.y - q.y, 2);
    }
  }
  const std::vector<int> slot_of = *BottleneckAssignment(steps, squared);
  double longest = 1;
  for (int i = 0; i < robots; ++i) longest = std::max(longest, steps[i][slot_of[i]]);
  pair.straight_beats = static_cast<int>(std::ceil(longest * gait.walk.step_beats.ToDouble()));
  const int beats =
      static_cast<int>(std::ceil(pair.straight_beats * (1 + kFormationPairSlack) - 1e-9));
  for (int i = 0; i < robots; ++i) {
    WalkRequest w;
    w.robot = i;
    w.feet = StanceAtPelvis({a[i].x, a[i].y, a[i].yaw}, gait);
    const Placement& slot = b[static_cast<size_t>(slot_of[i])];
    w.goal = {slot.x, slot.y, slot.yaw};
    w.beats = beats;
    pair.walkers.push_back(w);
  }
  return pair;
}

/// The planner's options for a change shared out by `assign: optimal` with no pins and
/// no groups (plan.cc): any two robots may trade slots.
inline TransitionOptions OptimalAssignOptions() {
  TransitionOptions options;
  options.can_swap = [](int, int) { return true; };
  return options;
}

/// `count` random changes of 4-32 robots (`robots` > 0: all of that many), seeded by `seed`.
inline std::vector<FormationPair> RandomFormationPairs(int count, int robots,
                                                       const GaitParams& gait, unsigned seed) {
  std::mt19937 random(seed);
  std::vector<FormationPair> out;
  for (int k = 0; k < count; ++k) {
    const int n = robots > 0 ? robots : 4 + static_cast<int>(random() % 29);
    out.push_back(RandomFormationPair(n, gait, &random));
  }
  return out;
}

}  // namespace yangbot

#endif  // YANGBOT_TESTS_CHOREOGRAPHY_FORMATION_PAIRS_H_
