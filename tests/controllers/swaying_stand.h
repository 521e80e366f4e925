// The whole-body controller's busy stance for measuring and checking its QP: both feet
// down, the waist swaying 0.2 rad and the handkerchiefs spinning at 3 rev/s (every task
// and the contact constraints active), as the controller benchmarks and the QP tests use it.
#ifndef YANGBOT_TESTS_CONTROLLERS_SWAYING_STAND_H_
#define YANGBOT_TESTS_CONTROLLERS_SWAYING_STAND_H_

#include <memory>

#include "controllers/whole_body_controller.h"
#include "sim/runner.h"
#include "sim/scene.h"

namespace yangbot {

/// A run of `scene`'s robots standing under the whole-body controller, swaying and spinning
/// (seed 1), at time 0.
inline std::unique_ptr<RunState> StartSwayingStand(const Scene& scene) {
  WholeBodyOptions controller;
  controller.stand_hanky_rate = 3.0;       // rev/s
  controller.stand_sway_amplitude = 0.2;  // rad
  return StartRun(scene, MakeWholeBodyControllerFactory(controller), 1);
}

}  // namespace yangbot

#endif  // YANGBOT_TESTS_CONTROLLERS_SWAYING_STAND_H_
