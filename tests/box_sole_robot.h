// The box-soled test robot, shared by the tests of every folder.
#ifndef YANGBOT_TESTS_BOX_SOLE_ROBOT_H_
#define YANGBOT_TESTS_BOX_SOLE_ROBOT_H_

#include <string>

#include "sim/assets.h"

namespace yangbot {

/// Path of the test robot with flat 0.22 x 0.08 m box soles
/// (assets/robots/h1_box/h1_box.xml): the project's robot apart from its feet, which the H1
/// does not have; kept for the box-foot gait (controllers/box_foot_gait.h) and its tests.
/// The one name for that file.
inline std::string BoxSoleRobotPath() {
  return AssetsDir() + "/robots/h1_box/h1_box.xml";
}

}  // namespace yangbot

#endif  // YANGBOT_TESTS_BOX_SOLE_ROBOT_H_
