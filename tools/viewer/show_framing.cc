#include "tools/viewer/show_framing.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "tools/viewer/show_edits.h"

namespace yangbot {

TroupeTrack PlannedTrack(const CompiledShow& compiled) {
  auto references = compiled.references;
  return [references](double t, std::vector<double>* xy) {
    xy->resize(2 * references.size());
    RobotReference reference;
    for (size_t i = 0; i < references.size(); ++i) {
      references[i]->Sample(t, &reference);
      (*xy)[2 * i] = reference.com.x();
      (*xy)[2 * i + 1] = reference.com.y();
    }
  };
}

std::shared_ptr<const ShowCamera> FrameShow(const CompiledShow& compiled, double fovy) {
  return std::make_shared<ShowCamera>(PlannedTrack(compiled), compiled.end_time, fovy);
}

std::vector<SheetMoment> SectionMoments(const Show& show, const BeatClock& clock, double into) {
  std::vector<SheetMoment> moments;
  const int beats_per_bar = show.beats_per_bar.value_or(4);
  for (size_t i = 0; i < show.timeline.size(); ++i) {
    const Section& section = show.timeline[i];
    const double start = clock.Time(SectionStart(section, beats_per_bar));
    const double end = clock.Time(SectionStart(section, beats_per_bar) + SectionLength(section));
    SheetMoment moment;
    moment.time = start + into * std::max(0.0, end - start);
    const long seconds = std::lround(std::floor(moment.time));
    char label[160];
    std::snprintf(label, sizeof(label), "%zu. %s  %ld:%02ld", i + 1, section.name.c_str(),
                  seconds / 60, seconds % 60);
    moment.label = label;
    moments.push_back(moment);
  }
  std::stable_sort(moments.begin(), moments.end(),
                   [](const SheetMoment& a, const SheetMoment& b) { return a.time < b.time; });
  return moments;
}

}  // namespace yangbot
