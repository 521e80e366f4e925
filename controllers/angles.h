// Angle helpers shared by the controllers.
#ifndef YANGBOT_CONTROLLERS_ANGLES_H_
#define YANGBOT_CONTROLLERS_ANGLES_H_

namespace yangbot {

/// Wraps an angle (rad) to [-pi, pi).
double WrapAngle(double angle);

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_ANGLES_H_
