// `yangbot run --network`: robots on their own clocks (sim/clock_sync.h) end to end: a
// perfect network leaves the run as it was, an impaired one is reported, the show file's
// `network:` block is the flag's equal, bad settings are bad input.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/tools/run_yangbot.h"

namespace yangbot {
namespace {

using testing::RunYangbot;

std::string Temp(const std::string& name) {
  return ::testing::TempDir() + "/network_run_" + std::to_string(::getpid()) + "_" + name;
}

// Two robots in a column spinning their handkerchiefs together from 1 s on.
constexpr const char* kShow = R"(title: Network run test
tempo: 100
offset: 1
troupe: {robots: 2, start: file}
formations:
  file: {shape: column, spacing: 1.5}
timeline:
  - section: spin
    at: 1:1
    beats: 5
    cues:
      - hanky: spin
        hand: both
        rate: 1 turns/beat
)";

constexpr const char* kImpaired = "latency_ms=50,jitter_ms=20,loss=0.1";

std::string WriteShow(const std::string& name, const std::string& text) {
  const std::string path = Temp(name);
  std::ofstream(path) << text;
  return path;
}

nlohmann::json RunShow(const std::string& show, const std::string& args, const std::string& name) {
  const std::string report = Temp(name + ".json");
  const auto result = RunYangbot("run " + show + " --seconds 3 --quiet --report " + report + " " + args);
  EXPECT_EQ(result.status, 0) << result.output;
  std::ifstream in(report);
  return nlohmann::json::parse(in, nullptr, false);
}

TEST(NetworkRunTest, PerfectIsTodaysRunAndImpairedIsReported) {
  const std::string show = WriteShow("show.yaml", kShow);
  const nlohmann::json plain = RunShow(show, "", "plain");
  const nlohmann::json perfect = RunShow(show, "--network perfect", "perfect");
  const nlohmann::json impaired = RunShow(show, std::string("--network ") + kImpaired, "impaired");
  ASSERT_TRUE(plain.is_object() && perfect.is_object() && impaired.is_object());
  // Perfect: no robot clocks, bit for bit the run without the flag.
  EXPECT_EQ(plain["trajectory_sha256"], perfect["trajectory_sha256"]);
  EXPECT_TRUE(perfect["clock_skew_ms_p99"].is_null());
  // Impaired: the robots dance to their own estimates.
  EXPECT_NE(plain["trajectory_sha256"], impaired["trajectory_sha256"]);
  ASSERT_TRUE(impaired["clock_skew_ms_p99"].is_number());
  EXPECT_GT(impaired["clock_skew_ms_p99"].get<double>(), 0.0);
  EXPECT_LE(impaired["clock_skew_ms_p99"].get<double>(), 5.0);
  EXPECT_LE(impaired["clock_step_deg_max"].get<double>(), 1.0);
  ASSERT_EQ(impaired["clock_traces"]["skew_ms"].size(), 2u);
  EXPECT_EQ(impaired["clock_traces"]["skew_ms"][0].size(), 31u);  // every 0.1 s from 0 to 3 s
  EXPECT_TRUE(impaired["per_robot"][1]["clock_offset_ms"].is_number());
  EXPECT_GT(impaired["per_robot"][1]["sync_samples"].get<int>(), 0);
  EXPECT_TRUE(impaired["hanky_phase_spread_deg_rms"].is_number());
}

TEST(NetworkRunTest, ShowFileBlockEqualsTheFlag) {
  std::string text = kShow;
  text.insert(text.find("troupe:"), "network: {latency_ms: 50, jitter_ms: 20, loss: 0.1}\n");
  const std::string file = WriteShow("block.yaml", text);
  const std::string flag = WriteShow("flag.yaml", kShow);
  const nlohmann::json a = RunShow(file, "", "block");
  const nlohmann::json b = RunShow(flag, std::string("--network ") + kImpaired, "flag");
  EXPECT_EQ(a["trajectory_sha256"], b["trajectory_sha256"]);
  EXPECT_TRUE(a["clock_skew_ms_p99"].is_number());
}

TEST(NetworkRunTest, BadSettingsAreBadInput) {
  const std::string show = WriteShow("bad.yaml", kShow);
  auto result = RunYangbot("run " + show + " --seconds 1 --quiet --network latency=5");
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.output.find("unknown network option 'latency'"), std::string::npos)
      << result.output;
  result = RunYangbot("run --seconds 1 --quiet --network latency_ms=5");
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.output.find("need a show"), std::string::npos) << result.output;
  result = RunYangbot("run " + show + " --seconds 1 --quiet --fault net:0@0.5");
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.output.find("net needs a DURATION"), std::string::npos) << result.output;
#if YANGBOT_HAVE_VIEWER
  // Pictures run on a perfect network: a net fault there would do nothing.
  result = RunYangbot("snapshot --seconds 1 --out " + Temp("picture.png") + " --fault net:0@0.5:1");
  EXPECT_EQ(result.status, 1);
  EXPECT_NE(result.output.find("perfect network"), std::string::npos) << result.output;
#endif
}

}  // namespace
}  // namespace yangbot
