// `hanky: throw` cues (choreography/hanky_throw_cue.h): the throws a schedule hands the
// physics (unison, canon, mirror), and the checks against the hand-end motors.
#include "choreography/hanky_throw_cue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "choreography/choreography.h"

namespace yangbot {
namespace {

// A 120 bpm show (offset 1 s: beat b at 1 + b / 2 s) of `robots` in a 1.2 m line whose
// only section holds `cues` (YAML, indented for the cue list).
std::string ThrowShow(const std::string& cues, int robots = 4, double spacing = 1.2) {
  return "title: Throws\ntempo: 120\noffset: 1\ntroupe: {robots: " + std::to_string(robots) +
         ", start: line}\nformations:\n  line: {shape: line, spacing: " +
         std::to_string(spacing) +
         "}\ntimeline:\n  - section: throws\n    at: 1:1\n    beats: 12\n    cues:\n" + cues;
}

TEST(HankyThrowCueTest, ThrowsInUnisonOnTheCuesBeats) {
  const LoadedShow loaded = CheckShowText(ThrowShow("      - hanky: throw\n"
                                                    "        at: 2\n"
                                                    "        beats: 3/2\n"),
                                          "");
  ASSERT_TRUE(loaded.ok()) << loaded.diagnostics.Format("test");
  const std::vector<HankyThrow> throws = ScheduledHankyThrows(loaded.schedule);
  ASSERT_EQ(throws.size(), 4u);
  for (int r = 0; r < 4; ++r) {
    EXPECT_EQ(throws[r].robot, r);
    EXPECT_EQ(throws[r].side, 1);  // the right hand by default
    EXPECT_DOUBLE_EQ(throws[r].release, 2.0);
    EXPECT_DOUBLE_EQ(throws[r].catch_time, 2.75);
    EXPECT_EQ(throws[r].apex, 0);
  }
}

TEST(HankyThrowCueTest, ThrowsDownTheLineInCanonAndMirrored) {
  const LoadedShow loaded = CheckShowText(ThrowShow("      - hanky: throw\n"
                                                    "        hand: both\n"
                                                    "        beats: 1\n"
                                                    "        height: 0.5\n"
                                                    "        canon: 1/2\n"
                                                    "      - hanky: throw\n"
                                                    "        at: 4\n"
                                                    "        beats: 3/2\n"
                                                    "        mirror: true\n"),
                                          "");
  ASSERT_TRUE(loaded.ok()) << loaded.diagnostics.Format("test");
  const std::vector<HankyThrow> throws = ScheduledHankyThrows(loaded.schedule);
  ASSERT_EQ(throws.size(), 4u * 3);
  std::vector<double> canon_releases;
  int left = 0, right = 0;
  for (const HankyThrow& t : throws) {
    if (t.release < 3) {  // the canon: both hands, each robot half a beat after the last
      canon_releases.push_back(t.release);
      EXPECT_NEAR(t.catch_time - t.release, 0.5, 1e-12);
      EXPECT_EQ(t.apex, 0.5);
    } else {  // the mirrored throw: the right half of the line throws the left hand
      EXPECT_DOUBLE_EQ(t.release, 3.0);
      (t.side == 0 ? left : right) += 1;
    }
  }
  std::sort(canon_releases.begin(), canon_releases.end());
  EXPECT_EQ(canon_releases,
            (std::vector<double>{1.0, 1.0, 1.25, 1.25, 1.5, 1.5, 1.75, 1.75}));
  EXPECT_EQ(left, 2);
  EXPECT_EQ(right, 2);
}

// Each check of what the motors can do, reported at the cue (or its height).
TEST(HankyThrowCueTest, RefusesThrowsTheMotorsCannotFly) {
  struct Case {
    std::string cue;
    std::string message;
  };
  const Case cases[] = {
      {"      - hanky: throw\n        beats: 1/2\n",
       "test:12:9: error: a throw needs at least 0.3 s from release to catch; this one lasts "
       "0.25 s"},
      {"      - hanky: throw\n        beats: 2\n",
       "test:12:9: error: a throw lasting 1.00 s needs a launch at"},
      {"      - hanky: throw\n        beats: 2\n        height: 0.4\n",
       "test:14:17: error: a throw to 0.40 m"},
      {"      - hanky: throw\n        beats: 3/2\n        height: 0.3\n",
       "test:14:17: error: a throw to 0.30 m falls back in"},
      {"      - hanky: throw\n        beats: 1\n        height: 1.2\n",
       "test:14:17: error: a throw to 1.20 m needs a launch at"},
      {"      - hanky: throw\n        beats: 3/4\n        height: 0.7\n",
       "test:14:17: error: the winch cannot pull a throw to 0.70 m back within 0.38 s"},
  };
  for (const Case& c : cases) {
    const LoadedShow loaded = CheckShowText(ThrowShow(c.cue), "");
    EXPECT_FALSE(loaded.ok()) << c.cue;
    EXPECT_NE(loaded.diagnostics.Format("test").find(c.message), std::string::npos)
        << c.cue << loaded.diagnostics.Format("test");
    EXPECT_EQ(loaded.diagnostics.error_count(), 1) << loaded.diagnostics.Format("test");
  }
}

TEST(HankyThrowCueTest, WarnsOfANeighbourWithinReachOfTheFlight) {
  const LoadedShow loaded = CheckShowText(ThrowShow("      - hanky: throw\n"
                                                    "        at: 2\n"
                                                    "        beats: 3/2\n"
                                                    "      - hanky: spin\n"
                                                    "        beats: 2\n",
                                                    2, 0.7),
                                          "");
  EXPECT_TRUE(loaded.ok()) << loaded.diagnostics.Format("test");
  EXPECT_EQ(loaded.diagnostics.warning_count(), 1) << loaded.diagnostics.Format("test");
  EXPECT_NE(loaded.diagnostics.Format("test").find(
                "test:12:9: warning: robot 2 stands 0.70 m from robot 1 when it throws"),
            std::string::npos)
      << loaded.diagnostics.Format("test");
}

// The ejector releases on the throw's first beat, so the handkerchief flies with the spin
// its pin had: a throw that no spin of the same rate and phase runs into is a warning.
TEST(HankyThrowCueTest, WarnsOfAThrowFromAPinThatDoesNotSpinIntoIt) {
  struct Case {
    std::string cues;
    std::string warning;  // "" for none
  };
  const std::string throw_at_2 = "      - hanky: throw\n        at: 2\n        beats: 3/2\n";
  const Case cases[] = {
      {throw_at_2, "test:12:9: warning: robot 1's right handkerchief is not spinning before it "
                   "is thrown"},
      {throw_at_2 + "      - hanky: spin\n        beats: 2\n", ""},
      {throw_at_2 + "      - hanky: spin\n        beats: 2\n        hand: left\n",
       "robot 1's right handkerchief is not spinning before it is thrown"},
      {throw_at_2 + "      - hanky: spin\n        beats: 2\n        phase: 90 deg\n",
       "robot 1's right handkerchief spins at another phase or rate before it is thrown"},
      {throw_at_2 + "      - hanky: spin\n        beats: 2\n        rate: 2\n",
       "robot 1's right handkerchief spins at another phase or rate before it is thrown"},
      // A canon of throws from a spin in unison: robot 2 onwards wait with still pins.
      {"      - hanky: spin\n        beats: 2\n      - hanky: throw\n        at: 2\n"
       "        beats: 3/2\n        canon: 1/2\n",
       "robot 2's right handkerchief is not spinning before it is thrown"},
      // The same canon for the spin: every pin turns in phase into its throw.
      {"      - hanky: spin\n        beats: 2\n        canon: 1/2\n      - hanky: throw\n"
       "        at: 2\n        beats: 3/2\n        canon: 1/2\n",
       ""},
  };
  for (const Case& c : cases) {
    const LoadedShow loaded = CheckShowText(ThrowShow(c.cues, 4, 1.2), "");
    const std::string text = loaded.diagnostics.Format("test");
    ASSERT_TRUE(loaded.ok()) << c.cues << text;
    if (c.warning.empty()) {
      EXPECT_EQ(text.find("is thrown"), std::string::npos) << c.cues << text;
    } else {
      EXPECT_NE(text.find(c.warning), std::string::npos) << c.cues << text;
      EXPECT_EQ(loaded.diagnostics.warning_count(), 1) << c.cues << text;
    }
  }
}

}  // namespace
}  // namespace yangbot
