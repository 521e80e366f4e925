// Formation shapes: named generators of slots (grid, line, column, circle, arc, v,
// diamond, two_columns), each with declared parameters like a move's. Slots are pelvis
// placements on the stage (x towards the audience, y to the dancers' left), ordered:
// slot i is robot i + 1's place. Rows count from the front, places within a row from
// the dancers' left.
#ifndef YANGBOT_CHOREOGRAPHY_FORMATION_H_
#define YANGBOT_CHOREOGRAPHY_FORMATION_H_

#include <functional>
#include <string>
#include <vector>

#include "choreography/move.h"
#include "sim/scene.h"

namespace yangbot {

/// Robots closer than this (m) at their slots collide.
constexpr double kMinSlotDistance = 0.6;

/// A formation generator.
class FormationShape {
 public:
  virtual ~FormationShape() = default;
  /// Name used in files ("grid").
  virtual const std::string& name() const = 0;
  /// One line for FORMAT.md.
  virtual const std::string& doc() const = 0;
  /// Its parameters (every shape also takes `facing`: deg, or in/out).
  virtual const std::vector<ParamSpec>& params() const = 0;
  /// Slots for `robots` robots about the origin, facing +x (size robots).
  virtual std::vector<Placement> Generate(const ParamValues& params, int robots) const = 0;
};

/// All built-in shapes.
const std::vector<const FormationShape*>& FormationShapes();
/// The shape called `name`, or nullptr.
const FormationShape* FindFormationShape(const std::string& name);
/// Names of the shapes.
std::vector<std::string> FormationShapeNames();

/// Turns every slot to `facing`: a number (rad), or towards ("in") / away from ("out")
/// the point `centre` (m). Slots at the centre keep their facing.
void ApplyFacing(const std::string& word, double facing, double centre_x, double centre_y,
                 std::vector<Placement>* slots);

/// Smallest distance between two slots (m) and which (0-based, i < j); infinity and
/// (-1, -1) for fewer than two slots.
double ClosestSlots(const std::vector<Placement>& slots, int* i, int* j);

/// Cost of moving a robot from one placement to another (any units, >= 0).
using SlotCost = std::function<double(const Placement& from, const Placement& to)>;

/// Which of `slots` each robot at `from` should take so the summed cost is least
/// (Hungarian method, O(n^3)); the default cost, straight-line distance, gives paths
/// that never cross. Returns the slot index per robot (size from.size(); empty unless
/// from.size() == slots.size()).
std::vector<int> NearestSlotAssignment(const std::vector<Placement>& from,
                                       const std::vector<Placement>& slots,
                                       const SlotCost& cost = {});

/// Closest approach (m) of two robots walking straight from a0 to a1 and from b0 to b1
/// at steady paces that start and arrive together.
double ClosestApproach(const Placement& a0, const Placement& a1, const Placement& b0,
                       const Placement& b1);

/// Improves a slot assignment (slot_of: slot index per robot, a permutation) by swapping
/// pairs of slots while that lowers the summed `cost` plus a heavy penalty for each pair
/// of robots whose straight, steady walks (ClosestApproach) pass closer than
/// `clearance` (m).
void SpreadPaths(const std::vector<Placement>& from, const std::vector<Placement>& slots,
                 const SlotCost& cost, double clearance, std::vector<int>* slot_of);

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_FORMATION_H_
