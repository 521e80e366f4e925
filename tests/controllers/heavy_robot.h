// Test helper shared by the stand and walk tests of issue 3's scenario 8: a project robot
// made 10 % heavier in the torso (torso link 17.79 -> 19.569 kg), written to a file.
#ifndef YANGBOT_TESTS_CONTROLLERS_HEAVY_ROBOT_H_
#define YANGBOT_TESTS_CONTROLLERS_HEAVY_ROBOT_H_

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <string>

#include "sim/error.h"
#include "sim/scene.h"

namespace yangbot::testing {

/// Path of a copy of the robot file `robot` (default: the built-in robot) with a torso 10 %
/// heavier (+1.779 kg), written to the test temp folder as `name`.
inline std::string HeavyTorsoRobotPath(const std::string& name,
                                       const std::string& robot = DefaultRobotPath()) {
  std::string xml = ReadFileOrThrow(robot);
  xml = std::regex_replace(xml, std::regex(R"(mass="17.79")"), R"(mass="19.569")");
  const std::string path = ::testing::TempDir() + "/" + name;
  std::ofstream(path) << xml;
  return path;
}

}  // namespace yangbot::testing

#endif  // YANGBOT_TESTS_CONTROLLERS_HEAVY_ROBOT_H_
