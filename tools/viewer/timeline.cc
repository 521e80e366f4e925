#include "tools/viewer/timeline.h"

#include <algorithm>
#include <cmath>

#include "tools/viewer/show_edits.h"

namespace yangbot {
namespace {

std::string LaneName(const std::vector<std::string>& who) {
  if (who.empty()) return "all";
  std::string name;
  for (const std::string& w : who) name += (name.empty() ? "" : ", ") + w;
  return name;
}

std::string BlockLabel(const Cue& cue) {
  switch (cue.kind) {
    case CueKind::kMove:
      return cue.name;
    case CueKind::kHanky:
      return "hanky " + cue.name;
    case CueKind::kFormation:
      return "-> " + cue.name;
  }
  return cue.name;
}

std::string Where(const Diagnostic& d) {
  return std::to_string(d.pos.line) + ":" + std::to_string(d.pos.column) + ": " +
         (d.severity == Severity::kError ? "error: " : "warning: ") + d.message;
}

}  // namespace

int TimelineLayout::Find(int section, int cue) const {
  for (size_t i = 0; i < blocks.size(); ++i) {
    if (blocks[i].section == section && blocks[i].cue == cue) return static_cast<int>(i);
  }
  return -1;
}

int TimelineLayout::SectionAt(double beat) const {
  int found = -1;
  for (size_t i = 0; i < sections.size(); ++i) {
    const double start = sections[i].start.ToDouble();
    if (beat >= start && beat < start + sections[i].length.ToDouble()) return static_cast<int>(i);
    if (start <= beat) found = static_cast<int>(i);
  }
  return found < 0 && !sections.empty() ? 0 : found;
}

TimelineLayout LayoutTimeline(const LoadedShow& loaded) {
  const Show& show = loaded.show;
  TimelineLayout layout;
  layout.beats_per_bar = std::max(1, show.beats_per_bar_or_default());
  layout.lanes.push_back({{}, "all", 1});
  // Which element each source line belongs to: the last cue or section starting at or
  // before it.
  struct Start {
    int line, section, cue;  // cue -1: the section itself
  };
  std::vector<Start> starts;
  for (int si = 0; si < static_cast<int>(show.timeline.size()); ++si) {
    const Section& section = show.timeline[si];
    const Beats start = SectionStart(section, layout.beats_per_bar);
    layout.sections.push_back({si, start, SectionLength(section), section.name});
    layout.end = std::max(layout.end, start + SectionLength(section));
    starts.push_back({section.src.pos.line, si, -1});
    for (int ci = 0; ci < static_cast<int>(section.cues.size()); ++ci) {
      const Cue& cue = section.cues[ci];
      TimelineBlock block;
      block.section = si;
      block.cue = ci;
      block.start = start + CueAt(cue);
      block.length = std::max(CueLength(section, cue), Beats(0));
      block.label = BlockLabel(cue);
      block.legs = CueDrivesLegs(cue);
      const std::string name = LaneName(cue.who);
      auto lane = std::find_if(layout.lanes.begin(), layout.lanes.end(),
                               [&](const TimelineLane& l) { return l.name == name; });
      if (lane == layout.lanes.end()) {
        layout.lanes.push_back({cue.who, name, 1});
        lane = layout.lanes.end() - 1;
      }
      block.lane = static_cast<int>(lane - layout.lanes.begin());
      layout.blocks.push_back(block);
      starts.push_back({cue.src.pos.line, si, ci});
    }
  }
  // Rows: each block takes the first row of its lane free over its span.
  std::vector<std::vector<std::vector<std::pair<Beats, Beats>>>> taken(layout.lanes.size());
  for (TimelineBlock& block : layout.blocks) {
    auto& rows = taken[block.lane];
    const Beats end = block.start + block.length;
    int row = 0;
    for (;; ++row) {
      if (row == static_cast<int>(rows.size())) rows.emplace_back();
      const bool free = std::none_of(rows[row].begin(), rows[row].end(), [&](const auto& span) {
        return block.start < span.second && span.first < end;
      });
      if (free) break;
    }
    rows[row].emplace_back(block.start, end);
    block.row = row;
    layout.lanes[block.lane].rows = std::max(layout.lanes[block.lane].rows, row + 1);
  }
  // Diagnostics go beside the cue whose lines they are on.
  std::sort(starts.begin(), starts.end(),
            [](const Start& a, const Start& b) { return a.line < b.line; });
  for (const Diagnostic& d : loaded.diagnostics.items()) {
    auto it = std::upper_bound(starts.begin(), starts.end(), d.pos.line,
                               [](int line, const Start& s) { return line < s.line; });
    const int block = (it == starts.begin() || d.pos.line <= 0 || std::prev(it)->cue < 0)
                          ? -1
                          : layout.Find(std::prev(it)->section, std::prev(it)->cue);
    if (block < 0) {
      layout.other_problems.push_back(Where(d));
      continue;
    }
    layout.blocks[block].problems.push_back(Where(d));
    if (d.severity == Severity::kError) layout.blocks[block].error = true;
  }
  return layout;
}

void TimelineView::ZoomAbout(double x, double factor) {
  const double beat = XToBeat(x);
  pixels_per_beat = std::clamp(pixels_per_beat * factor, 4.0, 400.0);
  first_beat = beat - x / pixels_per_beat;
}

void TimelineView::Reveal(double beat, double width) {
  const double margin = std::min(4.0, 0.1 * width / pixels_per_beat);
  const double visible = width / pixels_per_beat;
  if (beat < first_beat + margin) first_beat = beat - margin;
  if (beat > first_beat + visible - margin) first_beat = beat - visible + margin;
}

std::string BarLabel(int64_t beat, int beats_per_bar) {
  if (beats_per_bar <= 0 || beat < 0 || beat % beats_per_bar != 0) return "";
  return std::to_string(beat / beats_per_bar + 1);
}

}  // namespace yangbot
