// The whole-body controller's model of a thrown handkerchief while it sits on its pin
// (throw-mode stages, sim/handkerchief_throw.h). The flying handkerchief is a body of its
// own, outside the robot's tree, so the robot's mass matrix no longer holds the cloth that
// the spinner turns: the spin task then asks the 0.5 N·m motor for the pin's torque alone
// and the cloth lags. While the latch holds it (within the latch's reach, as the hand's
// firmware measures it), the cloth is modelled as part of its pin: its mass and inertia
// through the pin's Jacobian at the cloth's centre of mass, and its weight.
#ifndef YANGBOT_CONTROLLERS_LATCHED_HANKY_H_
#define YANGBOT_CONTROLLERS_LATCHED_HANKY_H_

#include <mujoco/mujoco.h>

#include <Eigen/Core>

#include "sim/scene.h"

namespace yangbot {

/// Adds robot `robot`'s latched handkerchiefs to its mass matrix `M` (nv x nv, the robot's
/// dofs) and bias forces `h` (size nv): M += m Jpᵀ Jp + Jrᵀ I Jr and h += Jpᵀ m g, with Jp,
/// Jr the pin's linear and angular Jacobians at the cloth's centre of mass. No-op on a
/// stage without throws (Scene::hankies() empty) and for a handkerchief in flight.
void AddLatchedHankies(const Scene& scene, int robot, const mjData& d, Eigen::MatrixXd* M,
                       Eigen::VectorXd* h);

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_LATCHED_HANKY_H_
