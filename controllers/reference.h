// The contract between choreography and control: what one robot should be doing at
// time t. The choreography compiles a show into one ReferenceSource per robot (pure
// code, no physics); the whole-body controller samples it every tick and tracks it
// with motor torques. All positions are in the world frame.
#ifndef YANGBOT_CONTROLLERS_REFERENCE_H_
#define YANGBOT_CONTROLLERS_REFERENCE_H_

#include <Eigen/Core>
#include <array>

#include "controllers/reference_cursor.h"

namespace yangbot {

/// Arm joints in actuator order: left shoulder pitch, roll, yaw, elbow, then right.
constexpr int kArmJoints = 8;

/// Reference for one foot.
struct FootReference {
  Eigen::Vector3d position = Eigen::Vector3d::Zero();      ///< m, sole centre
  Eigen::Vector3d velocity = Eigen::Vector3d::Zero();      ///< m/s
  Eigen::Vector3d acceleration = Eigen::Vector3d::Zero();  ///< m/s²
  double yaw = 0;                                          ///< rad, heading of the foot
  double yaw_rate = 0;                                     ///< rad/s
  bool in_contact = true;                                  ///< planned to bear weight
};

/// Reference for one handkerchief spinner: the spin joint's phase follows
/// phase + rate * (t - time) while spinning; otherwise it is held.
struct HankyReference {
  bool spinning = false;  ///< spin on/off
  double phase = 0;       ///< rad, reference spin angle at the sampled time
  double rate = 0;        ///< rad/s, reference spin rate
  double acceleration = 0;  ///< rad/s², reference spin acceleration (0: a steady spin)
};

/// Everything a robot should do at one instant.
struct RobotReference {
  double time = 0;                                         ///< s, conductor time
  Eigen::Vector3d com = Eigen::Vector3d::Zero();           ///< m, centre of mass
  Eigen::Vector3d com_velocity = Eigen::Vector3d::Zero();  ///< m/s
  Eigen::Vector3d com_acceleration = Eigen::Vector3d::Zero();  ///< m/s²
  Eigen::Vector2d zmp = Eigen::Vector2d::Zero();           ///< m, planned zero-moment point
  std::array<FootReference, 2> feet;                       ///< 0 left, 1 right
  double pelvis_yaw = 0;       ///< rad, heading of the pelvis (world)
  double pelvis_yaw_rate = 0;  ///< rad/s
  double torso_yaw = 0;        ///< rad, waist twist: torso joint angle relative to pelvis
  double torso_yaw_rate = 0;   ///< rad/s
  double trunk_roll = 0;       ///< rad, side sway of the upper body (world roll)
  double trunk_pitch = 0;      ///< rad, forward lean / bow (world pitch)
  std::array<double, kArmJoints> arm_q{};   ///< rad, arm joint targets
  std::array<double, kArmJoints> arm_qd{};  ///< rad/s, arm joint rates
  std::array<HankyReference, 2> hanky;      ///< 0 left, 1 right
};

/// A per-robot reference over time. Implementations are immutable after construction
/// and shared between controller copies (snapshots), so Sample must be const and
/// deterministic.
class ReferenceSource {
 public:
  virtual ~ReferenceSource() = default;
  /// Fills `out` with the reference at conductor time t (s).
  virtual void Sample(double t, RobotReference* out) const = 0;
  /// Sample(t, out), bit for bit, with the table lookups started where `cursor` (the
  /// caller's own, one per robot) left them, and left there for the next call: cheap
  /// when t moves on by a tick. References without tables ignore the cursor.
  virtual void SampleFrom(double t, ReferenceCursor* /*cursor*/, RobotReference* out) const {
    Sample(t, out);
  }
  /// End of the planned motion (s); after it the reference holds its last value.
  virtual double end_time() const = 0;
};

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_REFERENCE_H_
