// Parsing and canonical writing: round trips, comments kept, canonical bytes.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

#include "choreography/choreography.h"
#include "choreography/move_registry.h"
#include "choreography/separation.h"
#include "choreography/show_parser.h"
#include "choreography/show_writer.h"
#include "sim/assets.h"

namespace yangbot {
namespace {

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string Canonical(const std::string& text) {
  Diagnostics diagnostics;
  const Show show = ParseShow(text, &diagnostics);
  EXPECT_FALSE(diagnostics.has_errors()) << diagnostics.Format("text") << text;
  return WriteShow(show);
}

constexpr const char* kMessy = R"(# The header comment.
# Second line.
title:   "Messy: but valid"   # trailing on title
tempo: 120.0
offset: 0.50
beats_per_bar: 4
troupe:
  groups:
    # leaders lead
    leaders: [1,  2]   # the first two
    halves: {rule: left_half}
  robots: 4
formations:
  # where they stand
  line: {shape: line, spacing: 1.20}
  box:
    slots:
    - [1.0, 1.0]      # front left
    - [1, -1, 90]
    - [-1, 1]
    - [-1.0, -1]
timeline:
- section: one   # first
  beats: 8
  at: "1:1"
  cues:
  # cue comment
  - who: [leaders, 3]
    move: waist_twist   # twist!
    amplitude: 0.3 rad  # in radians
    beats: 4.0
  - hanky: spin
    rate: 2 Hz
    canon: 0.25 beats
    order: left_to_right
    mirror: yes
# closing remark
- section: "two"
  at: 3:1
  beats: 8
  cues:
  - formation: box
    assign: nearest
# end of file
)";

TEST(ShowFormatTest, WritesCanonicalFormWithComments) {
  const std::string once = Canonical(kMessy);
  EXPECT_EQ(once, R"(# The header comment.
# Second line.
title: "Messy: but valid"  # trailing on title
tempo: 120
beats_per_bar: 4
offset: 0.5

troupe:
  robots: 4
  groups:
    # leaders lead
    leaders: [1, 2]  # the first two
    halves: {rule: left_half}

formations:
  # where they stand
  line:
    shape: line
    spacing: 1.2
  box:
    slots:
      - [1, 1]  # front left
      - [1, -1, 90]
      - [-1, 1]
      - [-1, -1]

timeline:
  - section: one  # first
    at: 1:1
    beats: 8
    cues:
      # cue comment
      - move: waist_twist  # twist!
        who: [leaders, 3]
        beats: 4
        amplitude: 0.3 rad  # in radians
      - hanky: spin
        canon: 0.25
        order: left_to_right
        mirror: true
        rate: 2 turns/s

  # closing remark
  - section: two
    at: 3:1
    beats: 8
    cues:
      - formation: box
        assign: nearest

# end of file
)");
}

TEST(ShowFormatTest, SavingIsStableAndRoundTrips) {
  const std::string once = Canonical(kMessy);
  const std::string twice = Canonical(once);
  EXPECT_EQ(once, twice);              // save -> load -> save
  EXPECT_EQ(Canonical(twice), twice);  // and again
  Diagnostics diagnostics;
  const Show show = ParseShow(kMessy, &diagnostics);
  EXPECT_EQ(WriteShow(show), WriteShow(show));  // save twice: identical bytes
}

TEST(ShowFormatTest, AssetsAreCanonicalAndValid) {
  for (const char* name : {"minimal.yaml", "short.yaml", "yangge16.yaml"}) {
    const std::string path = AssetsDir() + "/choreographies/" + name;
    const std::string text = ReadText(path);
    ASSERT_FALSE(text.empty()) << path;
    EXPECT_EQ(Canonical(text), text) << name << " is not in canonical form (yangbot fmt -i)";
    const LoadedShow loaded = CheckShowFile(path);
    EXPECT_EQ(loaded.diagnostics.Format(path), "");
    EXPECT_TRUE(loaded.ok());
  }
}

TEST(ShowFormatTest, EveryExampleInFormatMdParsesValidatesAndRoundTrips) {
  const std::string doc = ReadText(AssetsDir() + "/../choreography/FORMAT.md");
  ASSERT_FALSE(doc.empty());
  const std::regex block("```yaml\n([\\s\\S]*?)```");
  int examples = 0;
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), block); it != std::sregex_iterator();
       ++it) {
    const std::string text = (*it)[1];
    ++examples;
    const LoadedShow loaded = CheckShowText(text, "");
    EXPECT_TRUE(loaded.ok()) << "example " << examples << ":\n"
                             << loaded.diagnostics.Format("FORMAT.md example") << text;
    const std::string canonical = Canonical(text);
    EXPECT_EQ(Canonical(canonical), canonical);
  }
  EXPECT_GE(examples, 4);
  // The first example is the short show, word for word.
  EXPECT_NE(doc.find(ReadText(AssetsDir() + "/choreographies/short.yaml")),
            std::string::npos);
}

TEST(ShowFormatTest, FormatMdDocumentsEveryMoveAndShape) {
  const std::string doc = ReadText(AssetsDir() + "/../choreography/FORMAT.md");
  for (const std::string& name : BuiltinMoves().Names()) {
    EXPECT_NE(doc.find("| `" + name + "` |"), std::string::npos) << name;
    for (const ParamSpec& p : BuiltinMoves().Find(name)->spec().params) {
      EXPECT_NE(doc.find("`" + p.name + "`"), std::string::npos) << name << "." << p.name;
    }
  }
}

// The move table's limbs column is what each move drives (the limbs that cannot overlap):
// "| `side_sway` | waist, arms |" for a move on kWaist | kArms.
TEST(ShowFormatTest, FormatMdMoveTableNamesTheLimbsEachMoveDrives) {
  const std::string doc = ReadText(AssetsDir() + "/../choreography/FORMAT.md");
  for (const std::string& name : BuiltinMoves().Names()) {
    const LimbSet limbs = BuiltinMoves().Find(name)->spec().limbs;
    std::string column;
    for (const auto& [bit, word] : {std::pair{kLegs, "legs"}, {kWaist, "waist"}, {kArms, "arms"},
                                    {kHanky, "hanky"}}) {
      if (limbs & bit) column += (column.empty() ? "" : ", ") + std::string(word);
    }
    EXPECT_NE(doc.find("| `" + name + "` | " + column + " |"), std::string::npos)
        << name << " drives " << column;
  }
}

// FORMAT.md quotes the one separation constant wherever it states the rule.
TEST(ShowFormatTest, FormatMdQuotesTheOneSeparationConstant) {
  const std::string doc = ReadText(AssetsDir() + "/../choreography/FORMAT.md");
  const std::regex quote(
      "([0-9.]+) m (?:apart|pelvis to pelvis|rule)|closer than ([0-9.]+) m|\\*\\*The ([0-9.]+) m");
  int quotes = 0;
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), quote); it != std::sregex_iterator();
       ++it) {
    std::string value;
    for (int g = 1; g <= 3; ++g) {
      if ((*it)[g].matched) value = (*it)[g];
    }
    EXPECT_DOUBLE_EQ(std::stod(value), kMinRobotDistance) << (*it)[0];
    ++quotes;
  }
  EXPECT_GE(quotes, 6);
  EXPECT_NE(doc.find("`kMinRobotDistance`, `choreography/separation.h`"), std::string::npos);
}

TEST(ShowFormatTest, KeepsUnitsAsWrittenAndQuotesWhatNeedsIt) {
  EXPECT_EQ(YamlScalar("plain words"), "plain words");
  EXPECT_EQ(YamlScalar("yes"), "\"yes\"");
  EXPECT_EQ(YamlScalar("12"), "\"12\"");
  EXPECT_EQ(YamlScalar("a: b"), "\"a: b\"");
  EXPECT_EQ(YamlScalar("x #y"), "\"x #y\"");
  EXPECT_EQ(YamlScalar("-lead"), "\"-lead\"");
  EXPECT_EQ(YamlScalar("秧歌"), "秧歌");
  EXPECT_EQ(YamlScalar(""), "\"\"");
  EXPECT_EQ(YamlScalar("tab\there"), "\"tab\\there\"");
  // Every such string reads back as itself.
  for (const std::string s : {"yes", "12", "a: b", "x #y", "-lead", "秧歌", "", "q\"uote",
                              "back\\slash", "[x]", "{y}", "a,b", "~", "null", "1e5"}) {
    Diagnostics diagnostics;
    const Show show = ParseShow("title: " + YamlScalar(s) + "\ntempo: 120\n", &diagnostics);
    EXPECT_EQ(show.title, s);
  }
}

TEST(ShowFormatTest, CommentsWithHashesInsideQuotesAreNotComments) {
  const std::string text =
      "title: \"a # b\"  # real\ntempo: 120\ntroupe: {robots: 1}\nformations:\n"
      "  one: {shape: line}\ntimeline: []\n";
  const std::string canonical = Canonical(text);
  EXPECT_NE(canonical.find("title: \"a # b\"  # real\n"), std::string::npos) << canonical;
}

TEST(ShowFormatTest, ThresholdsRoundTripAndTheirErrorsHavePositions) {
  const std::string text =
      "tempo: 120\n"
      "thresholds:\n"
      "  - falls>0  # nobody falls\n"
      "  - min_separation_m<0.6\n"
      "troupe: {robots: 1}\n";
  Diagnostics diagnostics;
  const Show show = ParseShow(text, &diagnostics);
  EXPECT_EQ(diagnostics.Format("f").find("threshold"), std::string::npos)
      << diagnostics.Format("f");
  ASSERT_EQ(show.thresholds.size(), 2u);
  EXPECT_EQ(show.thresholds[0].src.pos.line, 3);
  const std::string written = WriteShow(show);
  EXPECT_NE(written.find("thresholds:"), std::string::npos) << written;
  EXPECT_NE(written.find("falls>0  # nobody falls"), std::string::npos) << written;
  EXPECT_EQ(Canonical(written), written);  // fmt leaves its own output unchanged
  // Errors point at the bad entry (line 4, column 5) or the key's value.
  Diagnostics bad;
  ParseShow("tempo: 120\nthresholds:\n  - falls>0\n  - falls>>1\n", &bad);
  EXPECT_NE(bad.Format("f").find("f:4:5: error: threshold 'falls>>1': "), std::string::npos)
      << bad.Format("f");
  Diagnostics not_list;
  ParseShow("tempo: 120\nthresholds: falls>0\n", &not_list);
  EXPECT_NE(not_list.Format("f").find("f:2:13: error: 'thresholds' must be a list"),
            std::string::npos)
      << not_list.Format("f");
}

}  // namespace
}  // namespace yangbot
