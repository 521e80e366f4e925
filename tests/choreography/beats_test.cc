#include "choreography/beats.h"

#include <gtest/gtest.h>

#include <cmath>

#include "choreography/choreography.h"
#include "choreography/show_compiler.h"

namespace yangbot {
namespace {

TEST(BeatsTest, ReducesAndCompares) {
  EXPECT_EQ(Beats::Fraction(2, 4), Beats::Fraction(1, 2));
  EXPECT_EQ(Beats::Fraction(-3, -6), Beats::Fraction(1, 2));
  EXPECT_EQ(Beats::Fraction(3, -6).num(), -1);
  EXPECT_EQ(Beats::Fraction(3, -6).den(), 2);
  EXPECT_EQ(Beats::Fraction(1, 0), Beats(0));
  EXPECT_LT(Beats::Fraction(1, 3), Beats::Fraction(1, 2));
  EXPECT_EQ(Beats::Fraction(1, 3) + Beats::Fraction(1, 6), Beats::Fraction(1, 2));
  EXPECT_EQ(Beats(3) - Beats::Fraction(1, 4), Beats::Fraction(11, 4));
  EXPECT_EQ(Beats::Fraction(1, 4) * 6, Beats::Fraction(3, 2));
  EXPECT_EQ(Beats::Fraction(-1, 2).Floor(), -1);
  EXPECT_EQ(Beats::Fraction(7, 2).Floor(), 3);
  EXPECT_TRUE(Beats::Fraction(3, 4).IsMultipleOf(Beats::Fraction(1, 4)));
  EXPECT_FALSE(Beats::Fraction(1, 3).IsMultipleOf(Beats::Fraction(1, 4)));
  EXPECT_TRUE(Beats(8).IsMultipleOf(Beats(4)));
}

TEST(BeatsTest, ParsesAndPrintsCanonically) {
  EXPECT_EQ(Beats::Parse("16"), Beats(16));
  EXPECT_EQ(Beats::Parse("2.5"), Beats::Fraction(5, 2));
  EXPECT_EQ(Beats::Parse("1/2"), Beats::Fraction(1, 2));
  EXPECT_EQ(Beats::Parse("-0.25"), Beats::Fraction(-1, 4));
  EXPECT_EQ(Beats::Parse(".5"), Beats::Fraction(1, 2));
  for (const char* bad : {"", "x", "1/0", "1/-2", "1.2345", "1e3", "--1", "1/2/3", "1.-5",
                          "99999999999", "1/1001", " 1"}) {
    EXPECT_FALSE(Beats::Parse(bad).has_value()) << bad;
  }
  EXPECT_EQ(Beats(16).ToString(), "16");
  EXPECT_EQ(Beats::Fraction(5, 2).ToString(), "2.5");
  EXPECT_EQ(Beats::Fraction(1, 4).ToString(), "0.25");
  EXPECT_EQ(Beats::Fraction(-1, 4).ToString(), "-0.25");
  EXPECT_EQ(Beats::Fraction(1, 3).ToString(), "1/3");
  for (const char* text : {"16", "2.5", "0.25", "-0.25", "1/3", "7/6"}) {
    EXPECT_EQ(Beats::Parse(text)->ToString(), text);
  }
}

// Found by tests/fuzz: 1/400 was printed "0.0025", which Parse (3 decimals at most)
// refused, so `yangbot fmt` could write a file it cannot read back.
TEST(BeatsTest, PrintsOnlyWhatItCanReadBack) {
  for (const char* text : {"1/400", "1/16", "3/8", "1/3", "1/125"}) {
    const std::optional<Beats> b = Beats::Parse(text);
    ASSERT_TRUE(b.has_value()) << text;
    const std::optional<Beats> again = Beats::Parse(b->ToString());
    ASSERT_TRUE(again.has_value()) << text << " printed as " << b->ToString();
    EXPECT_EQ(*again, *b) << text;
  }
  EXPECT_EQ(Beats::Parse("1/400")->ToString(), "1/400");
}

TEST(BeatsTest, SaturatesInsteadOfOverflowing) {
  const Beats huge = Beats::Fraction(int64_t{1} << 61, 999);
  const Beats sum = huge + huge + huge + huge * Beats::Fraction(997, 1000);
  EXPECT_GT(sum, huge);  // approximate, but defined behaviour and still ordered
}

TEST(BeatClockTest, TimesComeFromBeatNumbersInOneStep) {
  const BeatClock clock{117.3, 1.25};
  EXPECT_DOUBLE_EQ(clock.Time(Beats(0)), 1.25);
  EXPECT_DOUBLE_EQ(clock.Time(Beats(1)), 1.25 + 60.0 / 117.3);
  EXPECT_NEAR(clock.BeatAt(clock.Time(Beats::Fraction(7, 2))), 3.5, 1e-12);
}

// A five-minute show made of many short sections and cues: every cue starts exactly
// where the metronome says, and adding the durations up would have drifted.
TEST(BeatClockTest, CueTimesAreExactOverAFiveMinuteShow) {
  const double bpm = 133.7;  // not a round tempo
  const double offset = 0.37;
  const int sections = 170;  // 170 sections of 4 beats: 680 beats = 5.08 minutes
  std::string text =
      "tempo: 133.7\noffset: 0.37\ntroupe: {robots: 2}\nformations:\n"
      "  pair: {shape: line}\ntimeline:\n";
  for (int s = 0; s < sections; ++s) {
    text += "  - section: s" + std::to_string(s) + "\n    at: " + std::to_string(s + 1) +
            ":1\n    beats: 4\n    cues:\n      - move: waist_twist\n        at: 0.75\n"
            "        beats: 3\n      - hanky: spin\n        at: 1/4\n        beats: 0.5\n"
            "        canon: 1/4\n";
  }
  const LoadedShow loaded = CheckShowText(text, "");
  ASSERT_TRUE(loaded.ok()) << loaded.diagnostics.Format("five_minutes");
  ASSERT_EQ(loaded.schedule.robots.size(), 2u);
  EXPECT_GT(loaded.schedule.end_time(), 300.0);
  double accumulated = offset;
  double worst_drift = 0;
  for (const RobotSchedule& robot : loaded.schedule.robots) {
    ASSERT_EQ(robot.cues.size(), 2u * sections);
  }
  const RobotSchedule& second = loaded.schedule.robots[1];
  for (int s = 0; s < sections; ++s) {
    const ScheduledCue& twist = second.cues[2 * s + 1];
    const ScheduledCue& spin = second.cues[2 * s];
    ASSERT_EQ(twist.move->spec().name, "waist_twist");
    ASSERT_EQ(spin.move->spec().name, "hanky_spin");
    // Exact beat numbers: section s starts on beat 4 s.
    EXPECT_EQ(twist.start, Beats(4 * s) + Beats::Fraction(3, 4));
    EXPECT_EQ(spin.start, Beats(4 * s) + Beats::Fraction(1, 2));  // 1/4 + one canon delay
    // Times to 1e-9 s of the exact value (long double reference).
    const long double exact = static_cast<long double>(offset) +
                              (4.0L * s + 0.75L) * 60.0L / static_cast<long double>(bpm);
    EXPECT_NEAR(loaded.schedule.clock.Time(twist.start), static_cast<double>(exact), 1e-9);
    // What summing 4-beat durations in float gives, for comparison.
    worst_drift =
        std::max(worst_drift, std::fabs(static_cast<double>(static_cast<float>(accumulated) -
                                                            (exact - 0.75L * 60.0L / bpm))));
    accumulated = static_cast<float>(accumulated + static_cast<float>(4 * 60.0 / bpm));
  }
  EXPECT_GT(worst_drift, 1e-6);  // the naive way drifts; the clock does not

  // The compiled reference places the spin exactly on the grid too: its phase is 0 at
  // the start of each of robot 2's spin cues.
  const CompiledShow show = CompileSchedule(loaded.schedule);
  for (int s : {0, 1, 100, sections - 1}) {
    const double t = loaded.schedule.clock.Time(second.cues[2 * s].start);
    RobotReference ref;
    show.references[1]->Sample(t + 1e-12, &ref);
    EXPECT_TRUE(ref.hanky[0].spinning);
    EXPECT_NEAR(ref.hanky[0].phase, 0.0, 1e-6);
  }
}

}  // namespace
}  // namespace yangbot
