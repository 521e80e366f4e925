// Handkerchief spin control: a phase-locked loop on the spin joint. The reference is
// a phase that advances at the commanded rate (from the beat clock, so every robot
// spinning at the same rate is in phase); the motor torque is PD on the wrapped phase
// error plus feed-forward for the joint's viscous damping.
//
// A spin that starts after a pause starts at full rate and at the beat's phase; a pin
// at rest would lag it by up to half a turn for the first tenths of a second.
// HankySpinUp looks ahead in the plan and spins a still pin up beforehand, so that it
// reaches the spin's phase and rate as the spin starts.
#ifndef YANGBOT_CONTROLLERS_HANKY_SPINNER_H_
#define YANGBOT_CONTROLLERS_HANKY_SPINNER_H_

#include <array>

#include "controllers/angles.h"
#include "controllers/reference.h"

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

/// Spin-ups ahead of the plan's spins (one per controller, clonable). While the plan
/// holds a handkerchief still and spins it within `lead` s, the pin follows a cubic in
/// time from its measured angle and rate to the spin's phase (plus whole turns) and rate
/// at the spin's start: phase, rate and acceleration in the reference.
class HankySpinUp {
 public:
  /// s, how far ahead a spin start is looked for (the longest spin-up).
  static constexpr double kLead = 0.5;
  /// s, how often a still plan is looked at again.
  static constexpr double kLook = 0.05;

  /// Replaces the held (not spinning) handkerchiefs of `ref` (the plan's sample at `t`,
  /// s) by the spin-up towards the plan's next spin, if one starts within kLead. `angle`
  /// (rad) and `rate` (rad/s) are the pins' measured states, left then right.
  void Apply(const ReferenceSource* plan, double t, const std::array<double, 2>& angle,
             const std::array<double, 2>& rate, RobotReference* ref);

 private:
  struct Ramp {
    bool active = false;
    double from = 0;          // s, start of the spin-up
    double to = 0;            // s, the spin's start
    double angle = 0;         // rad, the pin's angle at `from`
    double rate = 0;          // rad/s, its rate at `from`
    double turn = 0;          // rad, the spin-up's whole travel (to the spin's phase)
    double target_rate = 0;   // rad/s, the spin's rate at `to`
  };
  // Looks for a spin start of side `side` in (t, t + kLead]; starts a ramp if found.
  void Look(const ReferenceSource* plan, double t, int side, double angle, double rate);

  const ReferenceSource* plan_ = nullptr;  // the plan the ramps were made for
  std::array<Ramp, 2> ramps_{};
  std::array<double, 2> look_ = {-1, -1};  // s, when each side looks again
};

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_HANKY_SPINNER_H_
