// `yangbot gait` end to end on a tiny configuration: one row, one seed, its table line and
// JSON; bad rows, seeds and robot files are refused with a clear error.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/tools/run_yangbot.h"

namespace yangbot {
namespace {

using testing::CommandResult;
using testing::RunYangbot;

std::string Temp(const std::string& name) {
  return ::testing::TempDir() + "/gait_command_" + std::to_string(::getpid()) + "_" + name;
}

TEST(GaitCommandTest, WalksARowAndPrintsItsMeasuredLine) {
  const std::string path = Temp("gait.json");
  const CommandResult r = RunYangbot("gait --rows tempo_90_side --seeds 1 -j 1 --json " + path);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("gait table:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("h1/h1.xml"), std::string::npos) << r.output;  // the default robot
  EXPECT_NE(r.output.find("tempo_90_side  0/1"), std::string::npos) << r.output;
  std::ifstream file(path);
  const nlohmann::json report = nlohmann::json::parse(file);
  ASSERT_EQ(report["rows"].size(), 1u);
  const nlohmann::json& row = report["rows"][0];
  EXPECT_EQ(row["row"], "tempo_90_side");
  EXPECT_EQ(row["falls"], 0);
  EXPECT_TRUE(row["meets_bar"].get<bool>()) << row.dump();
  ASSERT_EQ(row["runs"].size(), 1u);
  EXPECT_EQ(row["runs"][0]["seed"], 1);
  EXPECT_GT(row["runs"][0]["moved_m"][1].get<double>(), 0.95);  // 1 m to the left
  EXPECT_EQ(row["runs"][0]["touchdowns"], row["runs"][0]["steps"]);
  EXPECT_LT(row["runs"][0]["worst_touchdown_error_s"].get<double>(), 0.025);
}

TEST(GaitCommandTest, RefusesUnknownRowsSeedsAndRobots) {
  CommandResult r = RunYangbot("gait --rows moonwalk");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("error: --rows: no row 'moonwalk' (rows: forward, backward"), std::string::npos)
      << r.output;
  r = RunYangbot("gait --rows forward --seeds 3-x");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("error: --seeds: '3-x'"), std::string::npos) << r.output;
  r = RunYangbot("gait --rows forward --seeds 1 --robot /nonexistent/robot.xml");
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.output.find("/nonexistent/robot.xml"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace yangbot
