// A user's --robot file, end to end through the binary: every broken model is a clear
// error naming the file (and the place where one is known), with exit status 1.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "sim/assets.h"
#include "sim/error.h"
#include "tests/sim/sim_fixtures.h"
#include "tests/tools/run_yangbot.h"

namespace {

using yangbot::AssetsDir;
using yangbot::testing::RunYangbot;

using yangbot::testing::SimTestdata;

// The built-in H1 file with every line mentioning `needle` removed, written to a temp file.
std::string H1Without(const std::string& needle, const std::string& name) {
  std::ifstream in(AssetsDir() + "/robots/h1/h1.xml");
  std::string text, line;
  while (std::getline(in, line)) {
    if (line.find(needle) == std::string::npos) text += line + "\n";
  }
  const std::string path = ::testing::TempDir() + "/" + name;
  yangbot::WriteFileAtomic(path, text);
  return path;
}

TEST(ModelInputTest, RunRejectsEachBrokenRobotFileWithItsLocation) {
  const std::pair<const char*, const char*> cases[] = {
      {"malformed.xml", ":13:3: error: expected </body>, found </worldbody>"},
      {"unknown_attribute.xml", ":7:7: error: geom 'base': Schema violation"},
      {"position_actuator.xml", ":16:5: error: actuator 'swing' is a position servo"},
      {"geared_motor.xml", ":16:5: error: actuator 'swing' has gear 50"},
      {"massless_link.xml", ":8:7: error: body 'arm': mass and inertia of moving bodies"},
      {"feather_link.xml", ":9:9: error: joint 'swing' moves an inertia of"},
  };
  for (const auto& [file, expected] : cases) {
    const auto r = RunYangbot("run --robots 2 --seconds 0.01 --quiet --robot " + SimTestdata(file));
    EXPECT_EQ(r.status, 1) << file << "\n" << r.output;
    EXPECT_NE(r.output.find(SimTestdata(file) + expected), std::string::npos) << r.output;
  }
}

TEST(ModelInputTest, ARobotWithoutAJointTheControllerNeedsIsNamed) {
  // The knee joint is there but has no motor: the controller cannot drive it.
  const std::string path =
      H1Without("<motor class=\"h1\" name=\"left_knee\"", "h1_without_knee_motor.xml");
  const auto r = RunYangbot("run --robots 1 --seconds 0.01 --quiet --robot " + path);
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find(path + ": error: not an H1 layout: the controllers need the H1's body, "
                                "joint and motor names (those of MuJoCo Menagerie's unitree_h1); "
                                "missing motor 'left_knee'"),
            std::string::npos)
      << r.output;
  // No knee joint at all: the file's own stand keyframe no longer fits (MuJoCo says so).
  const std::string no_joint = H1Without("name=\"left_knee\"", "h1_without_left_knee.xml");
  const auto j = RunYangbot("run --robots 1 --seconds 0.01 --quiet --robot " + no_joint);
  EXPECT_EQ(j.status, 1) << j.output;
  EXPECT_NE(j.output.find(no_joint + ": error: "), std::string::npos) << j.output;
}

TEST(ModelInputTest, EveryCommandWithARobotFlagChecksIt) {
  const std::string out = ::testing::TempDir() + "/never_written.xml";
  std::filesystem::remove(out);
  const auto r = RunYangbot("export-scene --robots 1 --out " + out + " --robot " +
                            SimTestdata("position_actuator.xml"));
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("is a position servo"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(out));
  const auto missing = RunYangbot("run --seconds 0.01 --quiet --robot /no/such/robot.xml");
  EXPECT_EQ(missing.status, 1) << missing.output;
  EXPECT_NE(missing.output.find("/no/such/robot.xml: error: robot file not found"),
            std::string::npos)
      << missing.output;
  // A valid user robot goes through.
  const auto fine = RunYangbot("export-scene --robots 2 --out " + out + " --robot " +
                               SimTestdata("tiny_robot.xml"));
  EXPECT_EQ(fine.status, 0) << fine.output;
}

}  // namespace
