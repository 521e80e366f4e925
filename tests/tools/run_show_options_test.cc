// `yangbot run` options that come from the show: thresholds written in the file, and the
// built-in --demo-moves loop.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/tools/run_yangbot.h"

namespace yangbot {
namespace {

using testing::CommandResult;
using testing::RunYangbot;

std::string WriteTemp(const std::string& name, const std::string& text) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("yangbot_run_show_options_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = (dir / name).string();
  std::ofstream(path) << text;
  return path;
}

const char* kStanding = R"(title: Thresholds
tempo: 120
offset: 1
thresholds: [falls>0, robots<5]
troupe:
  robots: 2
  start: line
formations:
  line: {shape: line, spacing: 1.2}
timeline:
  - section: twist
    at: 1:1
    beats: 4
    cues:
      - move: waist_twist
)";

TEST(RunShowOptionsTest, ThresholdsInTheShowFileSetTheExitStatus) {
  // robots<5 holds for a 2-robot show: the run fails with exit 2 and says which.
  const CommandResult r = RunYangbot("run " + WriteTemp("t.yaml", kStanding) + " --quiet");
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find("FAILED --fail-on robots<5"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("FAILED --fail-on falls>0"), std::string::npos) << r.output;
}

TEST(RunShowOptionsTest, AnUnknownMetricInTheShowFileIsAnErrorWithItsLine) {
  std::string text = kStanding;
  text.replace(text.find("robots<5"), 8, "robts<5");
  const std::string path = WriteTemp("u.yaml", text);
  const CommandResult r = RunYangbot("run " + path + " --quiet");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("robts"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(path + ":4:"), std::string::npos) << r.output;
}

TEST(RunShowOptionsTest, DemoMovesDancesTheBuiltInLoopOnTheRobotsGrid) {
  const std::string report = WriteTemp("demo.json", "");
  const CommandResult r =
      RunYangbot("run --demo-moves --robots 2 --seconds 4 --quiet --report " + report);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("2 robots, 4.0 s simulated"), std::string::npos) << r.output;
  std::ifstream in(report);
  const std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // Show metrics are measured: it is a show, not robots standing.
  EXPECT_NE(json.find("\"sync_error_deg_rms\""), std::string::npos);
  EXPECT_EQ(RunYangbot("run --demo-moves " + WriteTemp("x.yaml", kStanding)).status, 1);
  EXPECT_EQ(RunYangbot("run --demo-moves --sway 0.1").status, 1);
}

TEST(RunShowOptionsTest, TheSummaryListsTheRunsEvents) {
  const CommandResult r =
      RunYangbot("run --robots 2 --seconds 2 --quiet --fault dropout:1@1");
  ASSERT_EQ(r.status, 0) << r.output;
  // The dropout and the fall it causes, with the robot's stage name and the time.
  EXPECT_NE(r.output.find("2 events: dropout r01 at 1.00 s, fall r01 at"), std::string::npos)
      << r.output;
  // A run where nothing happens has no events line.
  EXPECT_EQ(RunYangbot("run --robots 1 --seconds 1 --quiet").output.find("events:"),
            std::string::npos);
}

}  // namespace
}  // namespace yangbot
