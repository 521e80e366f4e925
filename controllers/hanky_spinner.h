// Handkerchief spin control: a phase-locked loop on the spin joint. The reference is
// a phase that advances at the commanded rate (from the beat clock, so every robot
// spinning at the same rate is in phase); the motor torque is PD on the wrapped phase
// error plus feed-forward for the joint's viscous damping.
#ifndef YANGBOT_CONTROLLERS_HANKY_SPINNER_H_
#define YANGBOT_CONTROLLERS_HANKY_SPINNER_H_

#include "controllers/angles.h"

namespace yangbot {

/// Gains of the spin loop.
struct HankySpinGains {
  double kp = 0.02;      ///< N·m/rad on the wrapped phase error
  double kd = 0.004;     ///< N·m·s/rad on the rate error
  double damping = 0.0;  ///< N·m·s/rad, the joint's viscous damping (feed-forward)
};

/// Spin torque (N·m): `angle`/`rate` are the joint's measured angle (rad) and rate
/// (rad/s); `phase_ref`/`rate_ref` the reference phase (rad) and rate (rad/s).
double HankySpinTorque(double angle, double rate, double phase_ref, double rate_ref,
                       const HankySpinGains& gains);

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_HANKY_SPINNER_H_
