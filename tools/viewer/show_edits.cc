#include "tools/viewer/show_edits.h"

#include <algorithm>
#include <cmath>

#include "choreography/move_registry.h"
#include "choreography/schedule.h"

namespace yangbot {
namespace {

constexpr double kDegPerRad = 180.0 / 3.14159265358979323846;

Cue* FindCue(int section, int cue, Show* show) {
  if (section < 0 || section >= static_cast<int>(show->timeline.size())) return nullptr;
  std::vector<Cue>& cues = show->timeline[section].cues;
  if (cue < 0 || cue >= static_cast<int>(cues.size())) return nullptr;
  return &cues[cue];
}

Param* FindParam(Cue* cue, const std::string& name) {
  for (Param& p : cue->params) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

const Param* FindParam(const Cue& cue, const std::string& name) {
  for (const Param& p : cue.params) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

Param& ParamToWrite(Cue* cue, const std::string& name) {
  if (Param* p = FindParam(cue, name)) return *p;
  Param p;
  p.name = name;
  cue->params.push_back(p);
  return cue->params.back();
}

double SnapToSlotGrid(double value) { return std::round(value / kSlotGrid) * kSlotGrid; }

// Micrometres are enough on a stage, and give short numbers in the saved file
// (0.6 rather than 0.6000000000000001).
double Tidy(double value) { return std::round(value * 1e6) / 1e6; }

}  // namespace

Beats SectionStart(const Section& section, int beats_per_bar) {
  return Beats(static_cast<int64_t>(section.at.bar - 1) * beats_per_bar) + section.at.beat -
         Beats(1);
}

Beats SectionLength(const Section& section) { return section.beats.value_or(Beats(0)); }

Beats CueAt(const Cue& cue) { return cue.at.value_or(Beats(0)); }

Beats CueLength(const Section& section, const Cue& cue) {
  return cue.beats ? *cue.beats : SectionLength(section) - CueAt(cue);
}

const Move* CueMove(const Cue& cue) {
  const MoveRegistry& moves = BuiltinMoves();
  switch (cue.kind) {
    case CueKind::kMove:
      return moves.Find(cue.name);
    case CueKind::kHanky:
      return moves.Find(HankyMoveName(cue.name));
    case CueKind::kFormation:
      return moves.Find("walk_to");
  }
  return nullptr;
}

bool CueDrivesLegs(const Cue& cue) {
  const Move* move = CueMove(cue);
  return move != nullptr && (move->spec().limbs & kLegs) != 0;
}

Beats CueGrid(const Cue& cue) { return CueDrivesLegs(cue) ? Beats(1) : BeatGrid(); }

Beats SnapBeats(double beats, const Beats& grid) {
  const double steps = std::round(beats / grid.ToDouble());
  return grid * static_cast<int64_t>(std::clamp(steps, -1e7, 1e7));
}

void MoveCue(int section, int cue, Beats at, Show* show) {
  Cue* c = FindCue(section, cue, show);
  if (c == nullptr) return;
  const Section& s = show->timeline[section];
  const Beats length = CueLength(s, *c);
  // A cue without a length runs to the section end: moving it keeps its length.
  if (!c->beats) c->beats = length;
  at = std::min(at, SectionLength(s) - length);
  at = std::max(at, Beats(0));
  if (!c->at && at == Beats(0)) return;
  c->at = at;
}

void ResizeCue(int section, int cue, Beats length, Show* show) {
  Cue* c = FindCue(section, cue, show);
  if (c == nullptr) return;
  const Section& s = show->timeline[section];
  length = std::min(length, SectionLength(s) - CueAt(*c));
  length = std::max(length, CueGrid(*c));
  if (!c->beats && length == CueLength(s, *c)) return;
  c->beats = length;
}

std::vector<StretchOffer> StretchOffers(const LoadedShow& loaded, const std::string& formation) {
  std::vector<StretchOffer> offers;
  const Show& show = loaded.show;
  for (const ScheduledTransition& t : loaded.schedule.transitions) {
    if (t.ok || t.beats_needed <= 0 || t.formation != formation) continue;
    for (int s = 0; s < static_cast<int>(show.timeline.size()); ++s) {
      const Section& section = show.timeline[s];
      for (int c = 0; c < static_cast<int>(section.cues.size()); ++c) {
        const Cue& cue = section.cues[c];
        if (cue.kind != CueKind::kFormation || cue.name != formation ||
            cue.src.pos.line != t.pos.line || cue.src.pos.column != t.pos.column) {
          continue;
        }
        const Beats beats = CueLength(section, cue);
        if (Beats(t.beats_needed) > beats) {
          offers.push_back({s, c, formation, beats, Beats(t.beats_needed)});
        }
      }
    }
  }
  return offers;
}

void StretchCue(int section, int cue, Beats beats, Show* show) {
  Cue* c = FindCue(section, cue, show);
  if (c == nullptr) return;
  Section& s = show->timeline[section];
  if (SectionLength(s) < CueAt(*c) + beats) s.beats = CueAt(*c) + beats;
  ResizeCue(section, cue, beats, show);
}

int AddCue(int section, Cue cue, Show* show) {
  if (section < 0 || section >= static_cast<int>(show->timeline.size())) return -1;
  std::vector<Cue>& cues = show->timeline[section].cues;
  // Source positions and comments belong to the place it was copied from.
  cue.src = SourceInfo();
  cue.who_pos.assign(cue.who.size(), SourcePos());
  for (Param& p : cue.params) p.src = SourceInfo();
  const Beats at = CueAt(cue);
  auto it = std::find_if(cues.begin(), cues.end(), [&](const Cue& c) { return at < CueAt(c); });
  const int index = static_cast<int>(it - cues.begin());
  cues.insert(it, std::move(cue));
  return index;
}

Cue NewMoveCue(const std::string& move, const std::vector<std::string>& who, Beats at,
               Beats beats) {
  Cue cue;
  cue.kind = CueKind::kMove;
  cue.name = move;
  cue.who = who;
  if (at != Beats(0)) cue.at = at;
  cue.beats = beats;
  return cue;
}

void DeleteCue(int section, int cue, Show* show) {
  if (FindCue(section, cue, show) == nullptr) return;
  std::vector<Cue>& cues = show->timeline[section].cues;
  cues.erase(cues.begin() + cue);
}

void SetCueNumber(int section, int cue, const ParamSpec& spec, double value, Show* show) {
  Cue* c = FindCue(section, cue, show);
  if (c == nullptr || !std::isfinite(value)) return;
  if (spec.integer) value = std::round(value);
  value = std::clamp(value, spec.min, spec.max);
  Param& p = ParamToWrite(c, spec.name);
  const bool had_unit = p.is_number && !p.quantity.unit.empty();
  p.is_number = true;
  p.word.clear();
  p.quantity.value = value;
  p.quantity.unit = had_unit ? DefaultUnit(spec.dimension) : "";
}

void SetCueWord(int section, int cue, const std::string& name, const std::string& word,
                Show* show) {
  Cue* c = FindCue(section, cue, show);
  if (c == nullptr) return;
  Param& p = ParamToWrite(c, name);
  p.is_number = false;
  p.word = word;
  p.quantity = Quantity();
}

void ResetCueParam(int section, int cue, const std::string& name, Show* show) {
  Cue* c = FindCue(section, cue, show);
  if (c == nullptr) return;
  std::erase_if(c->params, [&](const Param& p) { return p.name == name; });
}

double CueNumber(const Cue& cue, const ParamSpec& spec, double bpm) {
  const Param* p = FindParam(cue, spec.name);
  if (p == nullptr || !p->is_number) return spec.default_value;
  return ToDefaultUnit(p->quantity, spec.dimension, bpm);
}

std::string CueWord(const Cue& cue, const ParamSpec& spec) {
  const Param* p = FindParam(cue, spec.name);
  if (p != nullptr && !p->is_number) return p->word;
  return spec.choices.empty() ? "" : spec.choices.front();
}

void MoveSlot(int formation, int slot, double x, double y, const std::vector<Placement>& current,
              Show* show) {
  if (formation < 0 || formation >= static_cast<int>(show->formations.size())) return;
  FormationDef& f = show->formations[formation];
  const double cx = f.centre ? (*f.centre)[0] : 0.0;
  const double cy = f.centre ? (*f.centre)[1] : 0.0;
  if (!f.shape.empty()) {
    // Written out where the shape put them, facing included, about the same centre.
    f.shape.clear();
    f.params.clear();
    f.slots.clear();
    for (const Placement& p : current) {
      Slot s;
      s.x = Tidy(p.x - cx);
      s.y = Tidy(p.y - cy);
      s.facing = Tidy(p.yaw * kDegPerRad);
      s.has_facing = true;
      f.slots.push_back(s);
    }
  }
  if (slot < 0 || slot >= static_cast<int>(f.slots.size())) return;
  f.slots[slot].x = Tidy(SnapToSlotGrid(x) - cx);
  f.slots[slot].y = Tidy(SnapToSlotGrid(y) - cy);
}

std::vector<std::pair<int, int>> CloseSlots(const std::vector<Placement>& slots,
                                            double min_distance) {
  std::vector<std::pair<int, int>> pairs;
  for (size_t i = 0; i < slots.size(); ++i) {
    for (size_t j = i + 1; j < slots.size(); ++j) {
      if (std::hypot(slots[i].x - slots[j].x, slots[i].y - slots[j].y) < min_distance) {
        pairs.emplace_back(static_cast<int>(i), static_cast<int>(j));
      }
    }
  }
  return pairs;
}

}  // namespace yangbot
