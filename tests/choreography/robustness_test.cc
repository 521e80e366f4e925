// No input crashes or hangs the reader and checker: empty files, binary garbage, huge
// files, deep nesting, NaN, huge numbers, negative lengths, 10 000 robots, aliases,
// and thousands of random mutations of a real show. Each gets diagnostics instead.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "choreography/choreography.h"
#include "choreography/show_parser.h"
#include "choreography/show_writer.h"
#include "sim/assets.h"

namespace yangbot {
namespace {

// Checks text; it must not throw, and must report at least one error.
void ExpectError(const std::string& text, const std::string& fragment = "") {
  LoadedShow loaded;
  ASSERT_NO_THROW(loaded = CheckShowText(text, "")) << text.substr(0, 200);
  const std::string report = loaded.diagnostics.Format("f");
  EXPECT_FALSE(loaded.ok()) << text.substr(0, 200);
  if (!fragment.empty()) {
    EXPECT_NE(report.find(fragment), std::string::npos) << report;
  }
  // Every line has a position and a severity.
  std::istringstream lines(report);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_EQ(line.rfind("f:", 0), 0u) << line;
    EXPECT_TRUE(line.find(": error: ") != std::string::npos ||
                line.find(": warning: ") != std::string::npos)
        << line;
  }
}

const char* const kValid = R"(title: t
tempo: 120
offset: 1
troupe: {robots: 4, start: line}
formations:
  line: {shape: line, spacing: 1.2}
timeline:
  - section: s
    at: 1:1
    beats: 8
    cues:
      - move: cross_step
)";

TEST(RobustnessTest, EmptyAndBlankFiles) {
  ExpectError("", "empty file");
  ExpectError("\n\n   \n", "empty file");
  ExpectError("---\n", "empty file");
  ExpectError("~\n", "empty file");
  ExpectError("# only a comment\n", "empty file");
}

TEST(RobustnessTest, BinaryGarbage) {
  std::mt19937 rng(7);
  for (int i = 0; i < 200; ++i) {
    std::string text(static_cast<size_t>(rng() % 500), '\0');
    for (char& c : text) c = static_cast<char>(rng());
    ExpectError(text);
  }
  ExpectError(std::string("title: a\0b\n", 11), "binary data");
  ExpectError("title: \xc3\x28\n", "invalid UTF-8");
}

TEST(RobustnessTest, HugeFilesAreRefusedBeforeReading) {
  const std::string path = testing::TempDir() + "/huge.yaml";
  {
    std::ofstream out(path, std::ios::binary);
    out << "title: huge\n";
  }
  std::filesystem::resize_file(path, 100u << 20);  // 100 MB (sparse)
  const LoadedShow loaded = CheckShowFile(path);
  EXPECT_FALSE(loaded.ok());
  EXPECT_NE(loaded.diagnostics.Format("f").find("bytes, more than the"), std::string::npos);
  std::filesystem::remove(path);
  ExpectError(std::string(kMaxShowFileBytes + 1, ' '), "more than the");
  EXPECT_FALSE(CheckShowFile("/no/such/file.yaml").ok());
}

TEST(RobustnessTest, DeepNesting) {
  ExpectError("a: " + std::string(10000, '[') + std::string(10000, ']') + "\n", "too deep");
  ExpectError("a: " + std::string(10000, '{'), "too deep");
  std::string block;
  for (int i = 0; i < 300; ++i) block += std::string(static_cast<size_t>(i), ' ') + "k:\n";
  ExpectError(block, "too deep");
  std::string list;
  for (int i = 0; i < 300; ++i) list += std::string(static_cast<size_t>(i), ' ') + "- \n";
  ExpectError(list);
}

TEST(RobustnessTest, StrangeNumbers) {
  auto with = [](const std::string& from, const std::string& to) {
    std::string text = kValid;
    text.replace(text.find(from), from.size(), to);
    return text;
  };
  ExpectError(with("tempo: 120", "tempo: .nan"), "must be a number");
  ExpectError(with("tempo: 120", "tempo: nan"), "must be a number");
  ExpectError(with("tempo: 120", "tempo: .inf"), "must be a number");
  ExpectError(with("tempo: 120", "tempo: 1e308"), "too large");
  ExpectError(with("tempo: 120", "tempo: -120"), "out of range");
  ExpectError(with("tempo: 120", "tempo: 0x78"), "must be a number");
  ExpectError(with("beats: 8", "beats: -8"), "must be positive");
  ExpectError(with("beats: 8", "beats: 1e9"), "must be a number of beats");
  ExpectError(with("beats: 8", "beats: 9999999"), "a show lasts at most");
  ExpectError(with("at: 1:1", "at: 99999:1"), "a show lasts at most");
  ExpectError(with("at: 1:1", "at: -1:1"), "out of range");
  ExpectError(with("at: 1:1", "at: 1:0"), "out of range");
  ExpectError(with("spacing: 1.2", "spacing: -1.2"), "below the minimum");
  ExpectError(with("spacing: 1.2", "spacing: 1e400"), "");
  ExpectError(with("robots: 4", "robots: 10000"), "out of range (1 to 32 robots)");
  ExpectError(with("robots: 4", "robots: 0"), "out of range");
  ExpectError(with("robots: 4", "robots: 99999999999999999999"), "whole number");
  ExpectError(with("robots: 4", "robots: 4.5"), "whole number");
}

TEST(RobustnessTest, AliasesTagsAndOddKeys) {
  ExpectError("&a x: *a\n");
  ExpectError("a: &x [1, *x]\n");
  ExpectError(std::string(kValid) + "extra: &anchor {a: 1}\nmore: *anchor\n", "unknown key");
  ExpectError(std::string(kValid) + "? [complex, key]\n: value\n", "must be words");
  ExpectError("!!binary title: x\n");
  ExpectError("title: !!int 12\ntempo: !!str 120\n");
  ExpectError(std::string(kValid) + "        <<: {stride: 0.1}\n");
  ExpectError("- - - - -\n");
  ExpectError("'unterminated\n");
  ExpectError("\"bad \\q escape\"\n");
  ExpectError("a: |\n  block # not a comment\n");
  ExpectError(std::string(kValid) + "      - move: cross_step\n        who: [" +
              std::string(200, 'x') + "]\n");
}

TEST(RobustnessTest, ManyCuesAndRobotsStayFast) {
  std::string text =
      "tempo: 400\noffset: 1\ntroupe: {robots: 32}\nformations:\n"
      "  g: {shape: grid, spacing: 1}\ntimeline:\n  - section: s\n    at: 1:1\n"
      "    beats: 20000\n    cues:\n";
  for (int i = 0; i < 5000; ++i) {
    text += "      - move: waist_twist\n        at: " + std::to_string(i * 4) +
            "\n        beats: 4\n      - hanky: spin\n        at: " + std::to_string(i * 4) +
            "\n        beats: 2\n        canon: 1/16\n";
  }
  const LoadedShow loaded = CheckShowText(text, "");
  EXPECT_FALSE(loaded.ok());  // 1/16 is off the quarter-beat grid
  EXPECT_EQ(loaded.diagnostics.error_count(), 5000);
  std::string many =
      "tempo: 120\ntroupe: {robots: 1}\nformations:\n  one: {shape: line}\n"
      "timeline:\n  - section: s\n    at: 1:1\n    beats: 8\n    cues:\n";
  for (int i = 0; i < kMaxShowCues + 5; ++i) many += "      - hanky: spin\n";
  ExpectError(many, "cues in the show");
}

// Random edits of a real show: deletions, duplications and swaps of bytes and lines.
// Whatever comes out is reported, never thrown or crashed on; and what is valid writes
// a canonical form that reads back to itself.
void Mutate(const std::string& file, int iterations, uint32_t seed) {
  std::ifstream in(AssetsDir() + "/choreographies/" + file);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string original = buffer.str();
  ASSERT_FALSE(original.empty());
  std::mt19937 rng(seed);
  const std::string alphabet = " \n:-[]{},#'\"&*!|>%@`0123456789.e/abcxyz_\t";
  int valid = 0;
  for (int i = 0; i < iterations; ++i) {
    std::string text = original;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !text.empty(); ++e) {
      const size_t at = rng() % text.size();
      switch (rng() % 4) {
        case 0:
          text.erase(at, 1 + rng() % 20);
          break;
        case 1:
          text.insert(at, 1, alphabet[rng() % alphabet.size()]);
          break;
        case 2:
          text[at] = alphabet[rng() % alphabet.size()];
          break;
        default: {
          const size_t length = std::min<size_t>(1 + rng() % 80, text.size() - at);
          text.insert(rng() % text.size(), text.substr(at, length));
        }
      }
    }
    LoadedShow loaded;
    ASSERT_NO_THROW(loaded = CheckShowText(text, "")) << text;
    if (loaded.ok()) {
      ++valid;
      const std::string canonical = WriteShow(loaded.show);
      Diagnostics again;
      EXPECT_EQ(WriteShow(ParseShow(canonical, &again)), canonical);
    }
  }
  EXPECT_GT(valid, 0);
}

TEST(RobustnessTest, MutationsOfARealShow) {
  Mutate("short.yaml", 400, 2024);
  Mutate("yangge16.yaml", 40, 7);
}

}  // namespace
}  // namespace yangbot
