// The viewer's editing operations on a Show and the timeline layout built from it.
#if YANGBOT_HAVE_VIEWER

#include "tools/viewer/show_edits.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "choreography/choreography.h"
#include "choreography/formation.h"
#include "choreography/show_writer.h"
#include "sim/assets.h"
#include "tools/viewer/timeline.h"

namespace yangbot {
namespace {

const std::string kShort = AssetsDir() + "/choreographies/short.yaml";

LoadedShow Short() {
  LoadedShow loaded = CheckShowFile(kShort);
  EXPECT_TRUE(loaded.ok()) << loaded.diagnostics.Format(kShort);
  return loaded;
}

// The show written out and read back, as the viewer's document does after each edit.
LoadedShow Recheck(const Show& show) { return CheckShowText(WriteShow(show), ""); }

TEST(ShowEditsTest, ReadsCueTiming) {
  const Show show = Short().show;
  const Section& wave = show.timeline[1];  // at 3:1, 8 beats
  EXPECT_EQ(SectionStart(wave, 4), Beats(8));
  EXPECT_EQ(SectionLength(wave), Beats(8));
  EXPECT_EQ(CueAt(wave.cues[0]), Beats(0));
  EXPECT_EQ(CueLength(wave, wave.cues[0]), Beats(4));
  const Section& steps = show.timeline[0];
  EXPECT_EQ(CueLength(steps, steps.cues[0]), Beats(8));  // to the section end
  EXPECT_TRUE(CueDrivesLegs(steps.cues[0]));             // cross_step
  EXPECT_FALSE(CueDrivesLegs(steps.cues[1]));            // waist_twist
  EXPECT_EQ(CueGrid(steps.cues[0]), Beats(1));
  EXPECT_EQ(CueGrid(steps.cues[1]), Beats::Fraction(1, 4));
  EXPECT_TRUE(CueDrivesLegs(show.timeline[2].cues[0]));  // formation change: walk_to
}

TEST(ShowEditsTest, SnapsToTheGrid) {
  EXPECT_EQ(SnapBeats(2.4, Beats(1)), Beats(2));
  EXPECT_EQ(SnapBeats(2.6, Beats(1)), Beats(3));
  EXPECT_EQ(SnapBeats(2.6, Beats::Fraction(1, 4)), Beats::Fraction(5, 2));
  EXPECT_EQ(SnapBeats(-0.4, Beats(1)), Beats(0));
}

TEST(ShowEditsTest, MovesACueWithinItsSection) {
  Show show = Short().show;
  MoveCue(1, 0, Beats(3), &show);
  EXPECT_EQ(show.timeline[1].cues[0].at, Beats(3));
  MoveCue(1, 0, Beats(7), &show);  // 4 beats long in an 8-beat section: at most 4
  EXPECT_EQ(show.timeline[1].cues[0].at, Beats(4));
  MoveCue(1, 0, Beats(-2), &show);
  EXPECT_EQ(show.timeline[1].cues[0].at, Beats(0));
  // A cue running to the section end keeps its length when moved.
  MoveCue(0, 1, Beats(2), &show);
  EXPECT_EQ(CueAt(show.timeline[0].cues[1]), Beats(0));
  EXPECT_EQ(show.timeline[0].cues[1].beats, Beats(8));
  ResizeCue(0, 1, Beats(5), &show);
  MoveCue(0, 1, Beats(2), &show);
  EXPECT_EQ(show.timeline[0].cues[1].at, Beats(2));
  const LoadedShow again = Recheck(show);
  EXPECT_TRUE(again.ok()) << again.diagnostics.Format("edited");
}

TEST(ShowEditsTest, ResizesACueWithinItsSection) {
  Show show = Short().show;
  ResizeCue(1, 0, Beats(6), &show);
  EXPECT_EQ(show.timeline[1].cues[0].beats, Beats(6));
  ResizeCue(1, 0, Beats(20), &show);
  EXPECT_EQ(show.timeline[1].cues[0].beats, Beats(8));
  ResizeCue(1, 0, Beats(0), &show);
  EXPECT_EQ(show.timeline[1].cues[0].beats, Beats::Fraction(1, 4));  // one grid step
  ResizeCue(0, 0, Beats(0), &show);                                   // legs: whole beats
  EXPECT_EQ(show.timeline[0].cues[0].beats, Beats(1));
}

TEST(ShowEditsTest, AddsAndDeletesCues) {
  Show show = Short().show;
  const int index = AddCue(3, NewMoveCue("knee_bounce", {"1", "2"}, Beats(2), Beats(4)), &show);
  ASSERT_EQ(index, 1);  // after the bow, which starts earlier
  const Cue& cue = show.timeline[3].cues[1];
  EXPECT_EQ(cue.name, "knee_bounce");
  EXPECT_EQ(cue.who, (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(cue.at, Beats(2));
  EXPECT_EQ(cue.beats, Beats(4));
  LoadedShow again = Recheck(show);
  EXPECT_TRUE(again.ok()) << again.diagnostics.Format("edited");
  EXPECT_EQ(again.show.timeline[3].cues.size(), 2u);
  // A copy of an existing cue loses its source position and comments.
  Cue copy = show.timeline[1].cues[0];
  ASSERT_FALSE(copy.src.comments.empty());
  AddCue(0, copy, &show);
  ASSERT_EQ(show.timeline[0].cues.size(), 3u);
  EXPECT_TRUE(show.timeline[0].cues[2].src.comments.empty());
  EXPECT_EQ(show.timeline[0].cues[2].src.pos.line, 0);
  DeleteCue(3, 1, &show);
  DeleteCue(3, 5, &show);  // no such cue: nothing happens
  EXPECT_EQ(show.timeline[3].cues.size(), 1u);
}

TEST(ShowEditsTest, SetsParametersInTheirUnits) {
  Show show = Short().show;
  const Move* twist = CueMove(show.timeline[0].cues[1]);
  ASSERT_NE(twist, nullptr);
  const ParamSpec* amplitude = nullptr;
  for (const ParamSpec& spec : twist->spec().params) {
    if (spec.name == "amplitude") amplitude = &spec;
  }
  ASSERT_NE(amplitude, nullptr);
  EXPECT_EQ(CueNumber(show.timeline[0].cues[1], *amplitude, 120), 15);  // "15 deg"
  SetCueNumber(0, 1, *amplitude, 20, &show);
  const Param& written = show.timeline[0].cues[1].params[0];
  EXPECT_EQ(written.quantity.value, 20);
  EXPECT_EQ(written.quantity.unit, "deg");  // written with a unit: keeps one
  SetCueNumber(0, 1, *amplitude, 1e6, &show);
  EXPECT_EQ(show.timeline[0].cues[1].params[0].quantity.value, amplitude->max);
  EXPECT_TRUE(Recheck(show).ok());
  // A value in another unit reads in the spec's default unit.
  show.timeline[0].cues[1].params[0].quantity = {0.25, "rad"};
  EXPECT_NEAR(CueNumber(show.timeline[0].cues[1], *amplitude, 120), 0.25 * 180 / M_PI, 1e-9);
  ResetCueParam(0, 1, "amplitude", &show);
  EXPECT_TRUE(show.timeline[0].cues[1].params.empty());
  EXPECT_EQ(CueNumber(show.timeline[0].cues[1], *amplitude, 120), amplitude->default_value);
}

TEST(ShowEditsTest, MovesWrittenSlotsOnTheGrid) {
  Show show = Short().show;
  ASSERT_EQ(show.formations[1].name, "wings");
  // (A move the robots can still walk in the section's 8 beats.)
  MoveSlot(1, 0, 0.63, 1.93, {}, &show);
  EXPECT_DOUBLE_EQ(show.formations[1].slots[0].x, 0.6);
  EXPECT_DOUBLE_EQ(show.formations[1].slots[0].y, 1.9);
  EXPECT_NE(WriteShow(show).find("[0.6, 1.9]"), std::string::npos);
  EXPECT_TRUE(Recheck(show).ok());
}

TEST(ShowEditsTest, WritesOutAShapeBeforeMovingOneOfItsSlots) {
  Show show = Short().show;
  ASSERT_EQ(show.formations[0].shape, "line");
  Diagnostics diagnostics;
  const std::vector<Placement> line = FormationSlots(show.formations[0], 4, 120, &diagnostics);
  ASSERT_EQ(line.size(), 4u);
  MoveSlot(0, 3, line[3].x + 0.3, line[3].y, line, &show);
  EXPECT_TRUE(show.formations[0].shape.empty());
  ASSERT_EQ(show.formations[0].slots.size(), 4u);
  const LoadedShow again = Recheck(show);
  ASSERT_TRUE(again.ok()) << again.diagnostics.Format("edited");
  const std::vector<Placement> moved = FormationSlots(again.show.formations[0], 4, 120, &diagnostics);
  for (int i = 0; i < 3; ++i) {  // the others stay where the shape put them
    EXPECT_NEAR(moved[i].x, line[i].x, 1e-6);
    EXPECT_NEAR(moved[i].y, line[i].y, 1e-6);
    EXPECT_NEAR(moved[i].yaw, line[i].yaw, 1e-6);
  }
  EXPECT_NEAR(moved[3].x, std::round((line[3].x + 0.3) / kSlotGrid) * kSlotGrid, 1e-9);
}

TEST(ShowEditsTest, FindsSlotsTooClose) {
  const std::vector<Placement> slots = {{0, 0, 0}, {0.5, 0, 0}, {3, 0, 0}, {3, 0.59, 0}};
  const auto pairs = CloseSlots(slots, kMinRobotDistance);
  ASSERT_EQ(pairs.size(), 2u);
  EXPECT_EQ(pairs[0], std::make_pair(0, 1));
  EXPECT_EQ(pairs[1], std::make_pair(2, 3));
}

TEST(TimelineTest, LaysOutSectionsLanesAndRows) {
  const TimelineLayout layout = LayoutTimeline(Short());
  ASSERT_EQ(layout.sections.size(), 4u);
  EXPECT_EQ(layout.sections[2].start, Beats(16));
  EXPECT_EQ(layout.sections[2].name, "wings");
  EXPECT_EQ(layout.end, Beats(32));
  ASSERT_EQ(layout.lanes.size(), 1u);  // every cue is for everyone
  EXPECT_EQ(layout.lanes[0].name, "all");
  EXPECT_EQ(layout.lanes[0].rows, 2);  // cross_step and waist_twist together
  ASSERT_EQ(layout.blocks.size(), 6u);
  const TimelineBlock& twist = layout.blocks[layout.Find(0, 1)];
  EXPECT_EQ(twist.label, "waist_twist");
  EXPECT_EQ(twist.row, 1);
  EXPECT_EQ(twist.length, Beats(8));
  const TimelineBlock& wings = layout.blocks[layout.Find(2, 0)];
  EXPECT_EQ(wings.label, "-> wings");
  EXPECT_TRUE(wings.legs);
  EXPECT_EQ(wings.start, Beats(16));
  EXPECT_EQ(layout.Find(9, 9), -1);
  EXPECT_EQ(layout.SectionAt(9.5), 1);
  EXPECT_EQ(layout.SectionAt(100), 3);
  EXPECT_EQ(layout.SectionAt(-3), 0);
}

TEST(TimelineTest, PutsLanesPerWhoAndProblemsBesideTheirCue) {
  Show show = Short().show;
  show.timeline[3].cues[0].name = "bwo";
  AddCue(3, NewMoveCue("knee_bounce", {"1", "3"}, Beats(0), Beats(4)), &show);
  const LoadedShow loaded = Recheck(show);
  ASSERT_FALSE(loaded.ok());
  const TimelineLayout layout = LayoutTimeline(loaded);
  ASSERT_EQ(layout.lanes.size(), 2u);
  EXPECT_EQ(layout.lanes[1].name, "1, 3");
  const TimelineBlock& bow = layout.blocks[layout.Find(3, 0)];
  EXPECT_TRUE(bow.error);
  ASSERT_EQ(bow.problems.size(), 1u);
  EXPECT_NE(bow.problems[0].find("error: unknown move 'bwo'"), std::string::npos);
  EXPECT_FALSE(layout.blocks[layout.Find(3, 1)].error);
  EXPECT_TRUE(layout.other_problems.empty());
}

TEST(TimelineTest, MapsBeatsToPixelsAndZoomsAboutTheMouse) {
  TimelineView view;
  view.first_beat = 2;
  view.pixels_per_beat = 20;
  EXPECT_DOUBLE_EQ(view.BeatToX(7), 100);
  EXPECT_DOUBLE_EQ(view.XToBeat(100), 7);
  view.ZoomAbout(100, 2);
  EXPECT_DOUBLE_EQ(view.pixels_per_beat, 40);
  EXPECT_DOUBLE_EQ(view.XToBeat(100), 7);  // the beat under the mouse stays
  view.ZoomAbout(0, 1000);
  EXPECT_DOUBLE_EQ(view.pixels_per_beat, 400);
  view.pixels_per_beat = 10;
  view.first_beat = 0;
  view.Reveal(150, 500);  // 50 beats visible
  EXPECT_GT(view.XToBeat(500), 150);
  EXPECT_LT(view.XToBeat(0), 150);
  EXPECT_EQ(BarLabel(8, 4), "3");
  EXPECT_EQ(BarLabel(9, 4), "");
  EXPECT_EQ(BarLabel(0, 3), "1");
}


// A formation change given too few beats (three robots walk 2.4 m in 4 beats): the stage
// editor offers to stretch its cue to the least beats with which it plans (validate's
// "needs N beats"), and the one click (StretchCue, lengthening the section too) makes the
// show plan; a beat fewer does not.
TEST(StretchOfferTest, StretchesATooShortChangeToTheBeatsItNeeds) {
  const LoadedShow loaded = CheckShowText(R"(
tempo: 120
offset: 1
troupe: {robots: 3, start: row}
formations:
  row: {shape: line, spacing: 1.5}
  ahead: {shape: line, spacing: 1.5, centre: [2.4, 0]}
timeline:
  - section: walk
    at: 3:1
    beats: 4
    cues:
      - formation: ahead
)",
                                          "");
  ASSERT_FALSE(loaded.ok());
  const std::vector<StretchOffer> offers = StretchOffers(loaded, "ahead");
  ASSERT_EQ(offers.size(), 1u) << loaded.diagnostics.Format("show");
  EXPECT_EQ(offers[0].section, 0);
  EXPECT_EQ(offers[0].cue, 0);
  EXPECT_EQ(offers[0].beats, Beats(4));
  EXPECT_GT(offers[0].needed, Beats(4));
  EXPECT_TRUE(StretchOffers(loaded, "row").empty());
  auto stretched_to = [&](Beats beats) {
    Show show = loaded.show;
    StretchCue(0, 0, beats, &show);
    return CheckShowText(WriteShow(show), "");
  };
  const LoadedShow stretched = stretched_to(offers[0].needed);
  EXPECT_TRUE(stretched.ok()) << stretched.diagnostics.Format("show");
  EXPECT_EQ(CueLength(stretched.show.timeline[0], stretched.show.timeline[0].cues[0]),
            offers[0].needed);
  EXPECT_EQ(stretched.show.timeline[0].beats, offers[0].needed);
  EXPECT_TRUE(StretchOffers(stretched, "ahead").empty());
  EXPECT_FALSE(stretched_to(offers[0].needed - Beats(1)).ok());
}

}  // namespace
}  // namespace yangbot

#endif  // YANGBOT_HAVE_VIEWER
