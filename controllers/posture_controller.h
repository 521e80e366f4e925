// The first standing controller: joint PD about the standing posture plus
// contact-aware gravity compensation (the joint torques that hold the robot's weight
// on both feet, tau = h - J_c^T f), a torso sway and both handkerchiefs spinning.
// A feedback law on the robot's own state only; the whole-body controller supersedes it.
#ifndef YANGBOT_CONTROLLERS_POSTURE_CONTROLLER_H_
#define YANGBOT_CONTROLLERS_POSTURE_CONTROLLER_H_

#include <memory>
#include <vector>

#include "controllers/hanky_spinner.h"
#include "controllers/robot_state.h"
#include "sim/runner.h"

namespace yangbot {

/// What the posture controller does.
struct PostureControllerOptions {
  double sway_amplitude = 0.2;   ///< rad, torso yaw amplitude
  double sway_frequency = 0.5;   ///< Hz
  double sway_phase = 0;         ///< rad
  double hanky_rate = 3.0;       ///< rev/s, both spinners
  double hanky_phase = 0;        ///< rad, spin phase at t = 0
};

/// Joint PD + gravity compensation in double support.
class PostureController : public RobotController {
 public:
  /// Makes the controller for robot `robot` of `scene`.
  PostureController(const Scene& scene, int robot, const PostureControllerOptions& options = {});
  std::unique_ptr<RobotController> Clone() const override;
  void Compute(const Scene& scene, int robot, const mjData& d, double* ctrl) override;

 private:
  PostureControllerOptions options_;
  RobotLayout layout_;
  std::vector<double> q_ref_;  // per actuator, rad
  std::vector<double> kp_;     // per actuator, N·m/rad
  std::vector<double> kd_;     // per actuator, N·m·s/rad
  int torso_ = -1;             // actuator index
  HankySpinGains spin_gains_;
  RobotState state_;           // scratch
  std::vector<mjtNum> jac_;    // scratch, 3 x nv(model)
};

/// Factory for the runner.
ControllerFactory MakePostureControllerFactory(const PostureControllerOptions& options = {});

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_POSTURE_CONTROLLER_H_
