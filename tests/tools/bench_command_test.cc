// `yangbot bench` and `yangbot run --threads` end to end: the bench reports every part of
// the pipeline against the physics-only limit, its replay is the same physics, and
// threads change no result. No wall-clock figure is judged here.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "sim/assets.h"
#include "tests/tools/run_yangbot.h"

namespace yangbot {
namespace {

using testing::CommandResult;
using testing::RunYangbot;

std::string Temp(const std::string& name) {
  return ::testing::TempDir() + "/bench_command_" + std::to_string(::getpid()) + "_" + name;
}

nlohmann::json ReadJson(const std::string& path) {
  std::ifstream file(path);
  return nlohmann::json::parse(file);
}

TEST(BenchCommandTest, ReportsThePipelineByPartAgainstTheReplayedPhysics) {
  const std::string path = Temp("bench.json");
  const CommandResult r = RunYangbot(
      "bench --robots 1,2 --seconds 0.1 --repeat 2 --threads 2 "
      "--json " +
      path);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("physics limit"), std::string::npos) << r.output;
  const nlohmann::json report = ReadJson(path);
  EXPECT_EQ(report["workload"], "demo-moves");
  EXPECT_EQ(report["threads"], 2);
  EXPECT_EQ(report["repeat"], 2);
  EXPECT_TRUE(report["machine"]["cpu"].is_string());
  ASSERT_EQ(report["results"].size(), 2u);
  int robots = 1;
  for (const nlohmann::json& result : report["results"]) {
    EXPECT_EQ(result["robots"], robots++);
    EXPECT_EQ(result["steps"], 50);
    // The replay through mj_step alone ends in the pipeline's state, bit for bit, and two
    // threads give the one-thread trajectory.
    EXPECT_TRUE(result["replay_identical"].get<bool>()) << result.dump(2);
    EXPECT_TRUE(result["threads_identical"].get<bool>()) << result.dump(2);
    EXPECT_GT(result["physics_limit"]["ms_per_step"].get<double>(), 0);
    EXPECT_GT(result["pipeline"]["over_physics_limit"].get<double>(), 0);
    EXPECT_EQ(result["pipeline_threaded"]["threads"], 2);
    EXPECT_GT(result["pipeline_threaded"]["realtime_factor"].get<double>(), 0);
    EXPECT_GT(result["peak_rss_mb"].get<double>(), 10);
    for (const char* part :
         {"physics", "controllers", "supervisor", "metrics", "recording", "runner", "other"}) {
      EXPECT_TRUE(result["pipeline"]["split_ms_per_step"][part].is_number()) << part;
    }
    EXPECT_GT(result["pipeline"]["split_ms_per_step"]["physics"].get<double>(), 0);
    EXPECT_GT(result["pipeline"]["split_ms_per_step"]["controllers"].get<double>(), 0);
    EXPECT_EQ(result["trajectory_sha256"].get<std::string>().size(), 64u);
  }
}

TEST(BenchCommandTest, AShowBringsItsOwnRobotCount) {
  const std::string show = AssetsDir() + "/choreographies/minimal.yaml";
  const CommandResult r = RunYangbot("bench --show " + show + " --robots 4");
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find("--robots comes from the show file"), std::string::npos) << r.output;
  const CommandResult ok =
      RunYangbot("bench --show " + show + " --seconds 0.05 --repeat 1 --json -");
  ASSERT_EQ(ok.status, 0) << ok.output;
  EXPECT_NE(ok.output.find("\"workload\": \"" + show + "\""), std::string::npos) << ok.output;
}

// The run's trajectory_sha256 of a short four-robot show-less run on `threads` threads.
std::string RunHash(const std::string& threads) {
  const std::string path = Temp("threads_" + threads + ".json");
  const CommandResult r =
      RunYangbot("run --robots 4 --seconds 0.3 --quiet --threads " + threads + " --report " + path);
  EXPECT_EQ(r.status, 0) << r.output;
  return ReadJson(path)["trajectory_sha256"].get<std::string>();
}

TEST(BenchCommandTest, RunGivesTheSameTrajectoryOnOneAndTwoThreads) {
  const std::string one = RunHash("1");
  EXPECT_EQ(one.size(), 64u);
  EXPECT_EQ(RunHash("2"), one);
  EXPECT_EQ(RunHash("0"), one);  // all cores
}

}  // namespace
}  // namespace yangbot
