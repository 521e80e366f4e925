// `yangbot run` of a show that throws its handkerchiefs (`hanky: throw`): the stage flies
// them, and the report counts throws and catches, their timing and the spread of the
// handkerchiefs' phases in the air, overall and per robot (sim/throw_metrics.h).
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/tools/run_yangbot.h"

namespace yangbot {
namespace {

using testing::RunYangbot;

// Two robots 1.2 m apart spin their right handkerchiefs and throw them together 0.8 s up
// (150 bpm, one turn a beat).
constexpr const char* kShow = R"(title: Throw run test
tempo: 150
offset: 1
troupe: {robots: 2, start: line}
formations:
  line: {shape: line, spacing: 1.2}
timeline:
  - section: throw
    at: 1:1
    beats: 6
    cues:
      - hanky: spin
        hand: right
        beats: 2
      - hanky: throw
        hand: right
        at: 2
        beats: 2
      - hanky: spin
        hand: right
        at: 4
)";

TEST(ThrowRunTest, ThrowsAndCatchesAreReported) {
  const std::string base = ::testing::TempDir() + "/throw_run_" + std::to_string(::getpid());
  std::ofstream(base + ".yaml") << kShow;
  const auto result =
      RunYangbot("run " + base + ".yaml --quiet --report " + base + ".json");
  ASSERT_EQ(result.status, 0) << result.output;
  std::ifstream in(base + ".json");
  const nlohmann::json report = nlohmann::json::parse(in, nullptr, false);
  ASSERT_TRUE(report.is_object());
  EXPECT_EQ(report["falls"], 0);
  EXPECT_EQ(report["throws"], 2);
  EXPECT_EQ(report["catches"], 2);
  EXPECT_EQ(report["catch_rate"], 1.0);
  ASSERT_TRUE(report["catch_timing_ms_rms"].is_number());
  EXPECT_LT(report["catch_timing_ms_rms"].get<double>(), 50.0);
  // Thrown together on one beat clock, they spin together in the air.
  ASSERT_TRUE(report["hanky_flight_phase_spread_deg_rms"].is_number());
  EXPECT_LT(report["hanky_flight_phase_spread_deg_rms"].get<double>(), 10.0);
  for (int i = 0; i < 2; ++i) {
    const nlohmann::json& robot = report["per_robot"][i];
    EXPECT_EQ(robot["throws"], 1) << i;
    EXPECT_EQ(robot["catches"], 1) << i;
    EXPECT_TRUE(robot["catch_timing_ms_rms"].is_number()) << i;
    EXPECT_TRUE(robot["hanky_flight_phase_spread_deg_rms"].is_number()) << i;
  }
}

}  // namespace
}  // namespace yangbot
