// What the show's supervisor (choreography/supervisor.h) and the tools ask of a robot's
// controller that follows a planned motion, without knowing which controller it is:
// RobotController::follower() (sim/runner.h) answers it, null for controllers that follow
// no plan (standing, tests). The whole-body controller is one.
#ifndef YANGBOT_CONTROLLERS_REFERENCE_FOLLOWER_H_
#define YANGBOT_CONTROLLERS_REFERENCE_FOLLOWER_H_

#include <Eigen/Core>
#include <memory>
#include <vector>

#include "controllers/reference.h"

namespace yangbot {

class Localiser;  // controllers/localisation.h

/// A controller following a ReferenceSource.
class ReferenceFollower {
 public:
  virtual ~ReferenceFollower() = default;
  /// The motion being followed (null while standing without one).
  virtual const std::shared_ptr<const ReferenceSource>& reference() const = 0;
  /// Replaces the motion to follow from the next tick on (a re-plan spliced in); null:
  /// stand where the robot is.
  virtual void set_reference(std::shared_ptr<const ReferenceSource> reference) = 0;
  /// The robot's localiser (null with perfect localisation: it knows its true pose).
  virtual const Localiser* localiser() const = 0;
  /// Whether recovery steps (a push or a stumble) are under way at the last tick.
  virtual bool recovering() const = 0;
  /// Recovery steps taken so far in the current or last recovery.
  virtual int recovery_steps() const = 0;
  /// Whether it is catching up with its plan after recovery steps.
  virtual bool catching_up() const = 0;
  /// Where the other robots' pelvises stand (m, world plane, any order; the show's
  /// supervisor reads them from the simulated state, as a robot would see its neighbours):
  /// recovery steps land clear of them. Information only; empty: none known.
  virtual void set_neighbours(const std::vector<Eigen::Vector2d>& pelvises) = 0;
};

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_REFERENCE_FOLLOWER_H_
