// Formation shapes: named generators of slots (grid, line, column, circle, arc, v,
// diamond, two_columns), each with declared parameters like a move's. Slots are pelvis
// placements on the stage (x towards the audience, y to the dancers' left), ordered:
// slot i is robot i + 1's place. Rows count from the front, places within a row from
// the dancers' left.
#ifndef YANGBOT_CHOREOGRAPHY_FORMATION_H_
#define YANGBOT_CHOREOGRAPHY_FORMATION_H_

#include <string>
#include <vector>

#include "choreography/move.h"
#include "choreography/separation.h"
#include "sim/scene.h"

namespace yangbot {

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

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_FORMATION_H_
