// End-to-end tests of `yangbot music`, `yangbot beats` and the music checks of
// `yangbot validate`: exit codes, messages, and that `beats` recovers what `music` wrote
// (±1 bpm, ±20 ms), the committed track included.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/test_paths.h"
#include "tests/tools/run_yangbot.h"

namespace {

namespace fs = std::filesystem;
using Result = yangbot::testing::CommandResult;
using yangbot::testing::RunYangbot;

// tests/testdata -> the repository.
const fs::path kRepo = fs::path(yangbot::TestDataDir()).parent_path().parent_path();

fs::path TempDir(const std::string& name) {
  const fs::path dir = fs::path(::testing::TempDir()) / ("music_commands_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// A 16-bit mono PCM WAV file written by hand (silence and tiny files the generator refuses).
void WriteWav(const fs::path& path, const std::vector<int16_t>& samples, int rate = 22050) {
  std::ofstream out(path, std::ios::binary);
  auto u32 = [&](uint32_t v) { out.write(reinterpret_cast<const char*>(&v), 4); };
  auto u16 = [&](uint16_t v) { out.write(reinterpret_cast<const char*>(&v), 2); };
  const uint32_t bytes = static_cast<uint32_t>(samples.size() * 2);
  out << "RIFF";
  u32(36 + bytes);
  out << "WAVEfmt ";
  u32(16);
  u16(1);  // PCM
  u16(1);  // mono
  u32(rate);
  u32(rate * 2);
  u16(2);
  u16(16);
  out << "data";
  u32(bytes);
  out.write(reinterpret_cast<const char*>(samples.data()), bytes);
}

// The number after "KEY: " at the start of a line of `text`; NaN when there is none.
double HeaderValue(const std::string& text, const std::string& key) {
  const std::string prefix = key + ": ";
  for (size_t at = 0; at < text.size();) {
    const size_t end = text.find('\n', at);
    const std::string line = text.substr(at, end == std::string::npos ? end : end - at);
    if (line.rfind(prefix, 0) == 0) return std::strtod(line.c_str() + prefix.size(), nullptr);
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return std::nan("");
}

TEST(MusicCommandsTest, BeatsRecoversWhatMusicWrote) {
  const fs::path dir = TempDir("recover");
  struct Case {
    const char* bpm;
    const char* offset;
    const char* file;
    double want_bpm, want_offset;
  };
  for (const Case& c :
       {Case{"90", "0.5", "a.wav", 90, 0.5}, Case{"138", "1.234", "b.flac", 138, 1.234},
        Case{"120", "2", "c.ogg", 120, 2.0}}) {
    const std::string path = (dir / c.file).string();
    const Result made = RunYangbot(std::string("music --bpm ") + c.bpm + " --offset " + c.offset +
                                   " --seconds 20 -o " + path);
    ASSERT_EQ(made.status, 0) << made.output;
    const Result found = RunYangbot("beats " + path);
    ASSERT_EQ(found.status, 0) << found.output;
    EXPECT_NEAR(HeaderValue(found.output, "tempo"), c.want_bpm, 1.0) << found.output;
    EXPECT_NEAR(HeaderValue(found.output, "offset"), c.want_offset, 0.020) << found.output;
    EXPECT_EQ(found.output.rfind("# " + path + ": ", 0), 0u) << found.output;
  }
}

// The committed track (assets/music/README.md says how it was made) is what the default
// show's header says: 120 bpm, first beat at 2 s.
TEST(MusicCommandsTest, CommittedTrackIs120BpmFromTwoSeconds) {
  const Result found = RunYangbot("beats " + (kRepo / "assets/music/yangge120.opus").string());
  ASSERT_EQ(found.status, 0) << found.output;
  EXPECT_NEAR(HeaderValue(found.output, "tempo"), 120.0, 1.0) << found.output;
  EXPECT_NEAR(HeaderValue(found.output, "offset"), 2.0, 0.020) << found.output;
  EXPECT_NE(found.output.find(", 240.0 s\n"), std::string::npos) << found.output;
}

// What `beats` prints pastes into a show as its header: it validates without a warning
// against the same music.
TEST(MusicCommandsTest, BeatsPrintsHeaderLinesThatValidate) {
  const fs::path dir = TempDir("header");
  ASSERT_EQ(
      RunYangbot("music --bpm 97 --offset 1.5 --seconds 30 -o " + (dir / "m.wav").string()).status,
      0);
  const Result found = RunYangbot("beats " + (dir / "m.wav").string());
  ASSERT_EQ(found.status, 0) << found.output;
  std::ofstream(dir / "show.yaml") << found.output << "music: m.wav\n"
                                   << "troupe: {robots: 2}\n"
                                      "formations:\n  line: {shape: line, spacing: 1.2}\n"
                                      "timeline:\n  - section: a\n    at: 1:1\n    beats: 8\n"
                                      "    cues:\n      - move: waist_twist\n";
  const Result valid = RunYangbot("validate " + (dir / "show.yaml").string());
  EXPECT_EQ(valid.status, 0) << valid.output;
  EXPECT_NE(valid.output.find("(0 warnings)"), std::string::npos) << valid.output;
  EXPECT_EQ(valid.output.find("warning:"), std::string::npos) << valid.output;
}

TEST(MusicCommandsTest, BeatsFailsClearlyOnFilesWithoutABeat) {
  const fs::path dir = TempDir("no_beat");
  WriteWav(dir / "silence.wav", std::vector<int16_t>(22050 * 10, 0));
  WriteWav(dir / "short.wav", std::vector<int16_t>(500, 1000));
  std::ofstream(dir / "notes.wav") << "tempo: 120\n";
  std::ofstream(dir / "empty.flac");
  struct Case {
    const char* file;
    const char* message;
  };
  for (const Case& c :
       {Case{"silence.wav", "no steady beat found"}, Case{"short.wav", "too short to find a beat"},
        Case{"notes.wav", "cannot decode audio: "}, Case{"empty.flac", "cannot decode audio: "},
        Case{"missing.wav", "cannot decode audio: "}}) {
    const std::string path = (dir / c.file).string();
    const Result r = RunYangbot("beats " + path);
    EXPECT_EQ(r.status, 1) << c.file << ": " << r.output;
    EXPECT_EQ(r.output.rfind(path + ": error: " + c.message, 0), 0u) << r.output;
    EXPECT_EQ(r.output.find("tempo:"), std::string::npos) << r.output;
  }
  const Result none = RunYangbot("beats");
  EXPECT_NE(none.status, 0);
  EXPECT_NE(none.output.find("file is required"), std::string::npos) << none.output;
}

TEST(MusicCommandsTest, MusicRejectsBadFlags) {
  const fs::path dir = TempDir("bad_flags");
  const std::string out = " -o " + (dir / "m.wav").string();
  struct Case {
    std::string args;
    const char* message;
  };
  for (const Case& c :
       {Case{"--bpm 300" + out, "yangbot: music: --bpm must be between 50 and 220"},
        Case{"--bpm 40" + out, "yangbot: music: --bpm must be between 50 and 220"},
        Case{"--offset -1" + out, "yangbot: music: --offset must be between 0 and 60 s"},
        Case{"--seconds 5 --offset 6" + out, "yangbot: music: --offset must be before the end"},
        Case{"--seconds 0.5" + out, "yangbot: music: --seconds must be between 1 and 600"},
        Case{"--beats-per-bar 1" + out, "yangbot: music: --beats-per-bar must be between 2 and 8"},
        Case{"--rate 100" + out, "yangbot: music: --rate must be between 8000 and 96000 Hz"},
        Case{"--quality 2" + out, "yangbot: music: --quality must be between 0 and 1"},
        Case{"-o " + (dir / "m.mp3").string(), "unknown audio format '.mp3'"},
        Case{"-o " + (dir / "no/such/folder/m.wav").string(), "yangbot: "}}) {
    const Result r = RunYangbot("music " + c.args);
    EXPECT_EQ(r.status, 1) << c.args << ": " << r.output;
    EXPECT_NE(r.output.find(c.message), std::string::npos) << c.args << ": " << r.output;
  }
  EXPECT_FALSE(fs::exists(dir / "m.wav"));
  EXPECT_FALSE(fs::exists(dir / "m.mp3"));
  // Usage errors (CLI11's own exit codes): not a number, no output file, unknown flag.
  for (const std::string& args :
       {"--bpm abc" + out, std::string("--bpm 120"), "--frobnicate" + out}) {
    const Result r = RunYangbot("music " + args);
    EXPECT_NE(r.status, 0) << args;
    EXPECT_NE(r.output.find("Run with --help"), std::string::npos) << args << ": " << r.output;
  }
}

// `validate` checks a show against its music: warnings at the tempo and offset lines,
// an error at the music line for a file that is not audio, and at a section that ends
// after the music.
TEST(MusicCommandsTest, ValidateChecksTheShowAgainstItsMusic) {
  const fs::path dir = TempDir("validate");
  fs::create_directories(dir / "music");
  ASSERT_EQ(
      RunYangbot("music --bpm 120 --offset 2 --seconds 7.9 -o " + (dir / "music/m.flac").string())
          .status,
      0);
  std::ofstream(dir / "music/bad.flac") << "not audio";
  const std::string body =
      "troupe: {robots: 2}\nformations:\n  line: {shape: line, spacing: 1.2}\ntimeline:\n"
      "  - section: a\n    at: 1:1\n    beats: 8\n    cues:\n      - move: waist_twist\n"
      "  - section: b\n    at: 3:1\n    beats: 4\n    cues:\n      - move: bow\n";
  const std::string show = (dir / "show.yaml").string();

  // Section b ends at 2.2 + 12 * 60 / 130 = 7.74 s, inside the music.
  std::ofstream(show) << "tempo: 130\noffset: 2.2\nmusic: music/m.flac\n" << body;
  Result r = RunYangbot("validate " + show);
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find(show + ":1:8: warning: tempo 130 bpm differs from the music's 1"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find(show + ":2:9: warning: offset 2.2 s is "), std::string::npos) << r.output;

  std::ofstream(show) << "tempo: 120\noffset: 2\nmusic: music/m.flac\n" << body;
  r = RunYangbot("validate " + show);
  EXPECT_EQ(r.status, 1) << r.output;
  // At 120 bpm section b ends at 8 s, after the music's 7.9 s.
  EXPECT_NE(r.output.find(show + ":14:9: error: section 'b' ends at 8.00 s, after the end of the "
                                 "music (7.90 s)"),
            std::string::npos)
      << r.output;

  std::ofstream(show) << "tempo: 120\noffset: 2\nmusic: music/bad.flac\n" << body;
  r = RunYangbot("validate " + show);
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find(show + ":3:8: error: music music/bad.flac: cannot decode audio: "),
            std::string::npos)
      << r.output;
}

}  // namespace
