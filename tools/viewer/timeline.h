// Layout of the viewer's timeline editor: sections and cues as blocks on the beat grid,
// one lane per `who` (group, robot list or everyone), overlapping cues of a lane on rows
// of their own; the mapping between beats and pixels; and which diagnostics concern
// which cue. GL-free: timeline_panel.cc draws it with ImGui.
#ifndef YANGBOT_TOOLS_VIEWER_TIMELINE_H_
#define YANGBOT_TOOLS_VIEWER_TIMELINE_H_

#include <string>
#include <vector>

#include "choreography/choreography.h"

namespace yangbot {

/// One cue on the timeline.
struct TimelineBlock {
  int section = 0;                    ///< index in Show::timeline
  int cue = 0;                        ///< index in the section's cues
  int lane = 0;                       ///< index in TimelineLayout::lanes
  int row = 0;                        ///< row within the lane (overlapping cues stack)
  Beats start;                        ///< absolute beat (0 = bar 1, beat 1)
  Beats length;                       ///< beats
  std::string label;                  ///< "cross_step", "hanky spin", "-> wings"
  bool legs = false;                  ///< drives the legs (whole-beat grid)
  bool error = false;                 ///< an error is reported on its lines
  std::vector<std::string> problems;  ///< "LINE:COL: error: ..." on its lines
};

/// One section's span on the timeline.
struct TimelineSection {
  int section = 0;    ///< index in Show::timeline
  Beats start;        ///< absolute beat
  Beats length;       ///< beats
  std::string name;   ///< as written
};

/// One lane: the cues of one `who`.
struct TimelineLane {
  std::vector<std::string> who;  ///< as written (empty: everyone)
  std::string name;              ///< "all", "front", "1, 3", ...
  int rows = 1;                  ///< rows its cues need
};

/// The whole timeline.
struct TimelineLayout {
  std::vector<TimelineSection> sections;  ///< in file order
  std::vector<TimelineLane> lanes;        ///< "all" first, then in order of appearance
  std::vector<TimelineBlock> blocks;      ///< in file order
  Beats end;                              ///< last section end (beats)
  int beats_per_bar = 4;                  ///< from the header
  std::vector<std::string> other_problems;  ///< diagnostics not on a cue's lines

  /// Index into blocks of (section, cue), or -1.
  int Find(int section, int cue) const;
  /// Index of the section whose span holds `beat` (the last one starting at or before
  /// it when none does), or -1 when there are no sections.
  int SectionAt(double beat) const;
};

/// Lays out `loaded.show` (cues with unreadable timing get what can be read).
TimelineLayout LayoutTimeline(const LoadedShow& loaded);

/// Horizontal mapping of the timeline: beats <-> pixels.
struct TimelineView {
  double first_beat = -1;        ///< beat at the left edge of the lanes
  double pixels_per_beat = 24;   ///< zoom
  /// x (pixels from the lanes' left edge) of a beat.
  double BeatToX(double beat) const { return (beat - first_beat) * pixels_per_beat; }
  /// Beat at x.
  double XToBeat(double x) const { return first_beat + x / pixels_per_beat; }
  /// Zooms by `factor` about pixel x (kept under the mouse), within [4, 400] px/beat.
  void ZoomAbout(double x, double factor);
  /// Scrolls so `beat` is visible in a `width`-pixel view (with a margin).
  void Reveal(double beat, double width);
};

/// Label of a grid line: "5" on a bar start (bar 5), "" otherwise.
std::string BarLabel(int64_t beat, int beats_per_bar);

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_VIEWER_TIMELINE_H_
