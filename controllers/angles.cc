#include "controllers/angles.h"

#include <cmath>
#include <numbers>

namespace yangbot {

double WrapAngle(double angle) {
  constexpr double kTwoPi = 2 * std::numbers::pi;
  double wrapped = std::fmod(angle + std::numbers::pi, kTwoPi);
  if (wrapped < 0) wrapped += kTwoPi;
  return wrapped - std::numbers::pi;
}

}  // namespace yangbot
