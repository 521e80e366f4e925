#include "controllers/hanky_spinner.h"

#include <cmath>

namespace yangbot {

double HankySpinTorque(double angle, double rate, double phase_ref, double rate_ref,
                       const HankySpinGains& gains) {
  const double phase_error = WrapAngle(phase_ref - angle);
  return gains.kp * phase_error + gains.kd * (rate_ref - rate) + gains.damping * rate_ref;
}

}  // namespace yangbot
