// End-to-end tests of `yangbot validate` and `yangbot fmt`: exit codes, one line per
// problem, canonical output, --check, --in-place with its backup.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "sim/assets.h"
#include "tests/tools/run_yangbot.h"

namespace {

using Result = yangbot::testing::CommandResult;
using yangbot::AssetsDir;
using yangbot::testing::RunYangbot;

std::string Temp(const std::string& name) { return ::testing::TempDir() + "/" + name; }

void Write(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream out;
  out << in.rdbuf();
  return out.str();
}

constexpr const char* kMessy =
    "# My show\ntempo:   120.0   # bpm\ntroupe: {robots: 2, start: pair}\n"
    "formations:\n  pair: {shape: line, spacing: 1.50}\n"
    "timeline:\n- section: a\n  at: 1:1\n  beats: 4\n  cues:\n  - move: waist_twist  # twist\n";

constexpr const char* kCanonical =
    "# My show\ntempo: 120  # bpm\n\ntroupe:\n  robots: 2\n  start: pair\n\n"
    "formations:\n  pair:\n    shape: line\n    spacing: 1.5\n\n"
    "timeline:\n  - section: a\n    at: 1:1\n    beats: 4\n    cues:\n"
    "      - move: waist_twist  # twist\n";

TEST(ChoreographyCommandsTest, ValidateAcceptsTheShippedShows) {
  for (const char* name : {"minimal.yaml", "short.yaml", "yangge16.yaml"}) {
    const std::string path = AssetsDir() + "/choreographies/" + name;
    const Result r = RunYangbot("validate " + path);
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find(": ok: "), std::string::npos) << r.output;
  }
}

TEST(ChoreographyCommandsTest, ValidateReportsEveryProblemWithItsPosition) {
  const std::string path = Temp("bad_show.yaml");
  Write(path,
        "tempo: 120\noffset: 1\ntroupe: {robots: 2, start: pair}\nformations:\n"
        "  pair: {shape: line, spacing: 1.2}\ntimeline:\n  - section: a\n    at: 1:1\n"
        "    beats: 8\n    cues:\n      - move: waist_twst\n      - move: side_sway\n"
        "        amplitude: 40 deg\n        who: frnt\n");
  const Result r = RunYangbot("validate " + path);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.output,
            path + ":11:9: error: unknown move 'waist_twst' (did you mean 'waist_twist'?)\n" +
                path +
                ":13:20: error: 'amplitude' 40 deg of side_sway is above the maximum 12 deg\n" +
                path + ":14:14: error: unknown group 'frnt' (did you mean 'front'?)\n");
  const Result missing = RunYangbot("validate " + Temp("no_such_show.yaml"));
  EXPECT_EQ(missing.status, 1);
  EXPECT_NE(missing.output.find("no_such_show.yaml:1:1: error: cannot read file"),
            std::string::npos)
      << missing.output;
}

TEST(ChoreographyCommandsTest, FmtPrintsChecksAndRewritesInPlace) {
  const std::string path = Temp("messy_show.yaml");
  Write(path, kMessy);
  const Result printed = RunYangbot("fmt " + path);
  EXPECT_EQ(printed.status, 0);
  EXPECT_EQ(printed.output, kCanonical);
  EXPECT_EQ(Read(path), kMessy);  // printing leaves the file alone

  const Result check = RunYangbot("fmt --check " + path);
  EXPECT_EQ(check.status, 1);
  EXPECT_NE(check.output.find("not in canonical form"), std::string::npos);

  std::filesystem::remove(path + ".bak");
  const Result rewrite = RunYangbot("fmt --in-place " + path);
  EXPECT_EQ(rewrite.status, 0) << rewrite.output;
  EXPECT_EQ(Read(path), kCanonical);
  EXPECT_EQ(Read(path + ".bak"), kMessy);  // the previous version is kept
  EXPECT_EQ(RunYangbot("fmt --check " + path).status, 0);
  // Formatting a canonical file changes nothing, byte for byte.
  EXPECT_EQ(RunYangbot("fmt -i " + path).status, 0);
  EXPECT_EQ(Read(path), kCanonical);
}

TEST(ChoreographyCommandsTest, FmtRefusesInvalidFiles) {
  const std::string path = Temp("invalid_show.yaml");
  const std::string text = "tempo: 120\ntroupe: {robots: 99}\n";
  Write(path, text);
  const Result r = RunYangbot("fmt --in-place " + path);
  EXPECT_EQ(r.status, 1);
  EXPECT_NE(r.output.find(path + ":2:18: error: 'robots' 99 is out of range"), std::string::npos)
      << r.output;
  EXPECT_EQ(Read(path), text);
}

}  // namespace
