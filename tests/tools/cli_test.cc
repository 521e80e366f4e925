// End-to-end tests of the yangbot binary: exit codes, files written, messages.
#include <gtest/gtest.h>
#include <mujoco/mujoco.h>

#include <array>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "tests/tools/run_yangbot.h"

namespace {

using Result = yangbot::testing::CommandResult;
using yangbot::testing::RunYangbot;

std::string Temp(const std::string& name) { return ::testing::TempDir() + "/" + name; }

TEST(CliTest, RunWritesTheReportAndTrajectoryWithTheDocumentedFields) {
  const Result r = RunYangbot("run --robots 2 --seconds 1 --quiet --report " + Temp("r.json") +
                       " --trajectory " + Temp("t.csv"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("2 robots, 1.0 s simulated"), std::string::npos) << r.output;
  std::ifstream report_file(Temp("r.json"));
  const auto report = nlohmann::json::parse(report_file);
  for (const char* key : {"robots", "sim_seconds", "wall_seconds", "realtime_factor", "falls",
                          "fallen_robots", "min_separation_m", "mujoco_warnings"}) {
    EXPECT_TRUE(report.contains(key)) << key;
  }
  EXPECT_EQ(report["falls"], 0);
  EXPECT_EQ(report["mujoco_warnings"], 0);
  std::ifstream csv(Temp("t.csv"));
  std::string header;
  std::getline(csv, header);
  EXPECT_EQ(header.rfind("time,r00/floating_base_x", 0), 0u);
  int rows = 0;
  for (std::string line; std::getline(csv, line);) ++rows;
  EXPECT_EQ(rows, 51);  // 0, 20 ms, ..., 1.0 s
}

TEST(CliTest, ExportedSceneReloadsInMujoco) {
  const Result r = RunYangbot("export-scene --robots 3 --out " + Temp("scene.xml"));
  ASSERT_EQ(r.status, 0) << r.output;
  char error[1000] = "";
  mjModel* m = mj_loadXML(Temp("scene.xml").c_str(), nullptr, error, sizeof(error));
  ASSERT_NE(m, nullptr) << error;
  EXPECT_EQ(m->nu, 3 * 21);
  mj_deleteModel(m);
}

TEST(CliTest, BadInputGivesAClearErrorAndExitCodeOne) {
  Result r = RunYangbot("run --fault push:1@x:1,2,3:1 --seconds 0.1");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("error: bad --fault"), std::string::npos) << r.output;
  r = RunYangbot("run --robot /nonexistent.xml --seconds 0.1");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("/nonexistent.xml: error:"), std::string::npos) << r.output;
  r = RunYangbot("run --robots 40");
  EXPECT_NE(r.status, 0);
  r = RunYangbot("run --fault dropout:5@1 --robots 2 --seconds 0.1");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("robot 5"), std::string::npos) << r.output;
}

}  // namespace
