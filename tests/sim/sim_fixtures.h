// Helpers shared by the sim tests: the test robot files and a controller that commands
// nothing.
#ifndef YANGBOT_TESTS_SIM_SIM_FIXTURES_H_
#define YANGBOT_TESTS_SIM_SIM_FIXTURES_H_

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>

#include "sim/runner.h"
#include "tests/test_paths.h"

namespace yangbot::testing {

/// Path of a file in tests/sim/testdata (tiny_robot.xml and its broken copies).
inline std::string SimTestdata(const std::string& name) {
  return (std::filesystem::path(TestDataDir()).parent_path() / "sim" / "testdata" / name)
      .string();
}

/// Commands no torque: the robots are passive bodies.
class PassiveController : public RobotController {
 public:
  std::unique_ptr<RobotController> Clone() const override {
    return std::make_unique<PassiveController>(*this);
  }
  void Compute(const Scene& scene, int, const mjData&, double* ctrl) override {
    std::fill(ctrl, ctrl + scene.robot_info().nu, 0.0);
  }
};

/// A PassiveController for every robot.
inline ControllerFactory Passive() {
  return [](const Scene&, int) { return std::make_unique<PassiveController>(); };
}

}  // namespace yangbot::testing

#endif  // YANGBOT_TESTS_SIM_SIM_FIXTURES_H_
