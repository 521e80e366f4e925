// The editing operations of the viewer's timeline and stage editors, as plain functions on
// a Show (ShowDocument::Apply runs them, so each is one undoable step). They keep what a
// person wrote: only the keys an edit is about change, and an optional key stays absent
// when its default already says the same. GL-free.
#ifndef YANGBOT_TOOLS_VIEWER_SHOW_EDITS_H_
#define YANGBOT_TOOLS_VIEWER_SHOW_EDITS_H_

#include <string>
#include <vector>

#include "choreography/choreography.h"
#include "choreography/move.h"
#include "choreography/show.h"
#include "sim/scene.h"

namespace yangbot {

/// Slots of the stage editor snap to this grid (m).
constexpr double kSlotGrid = 0.1;

/// Absolute beat where a section starts (beat 0 = bar 1, beat 1).
Beats SectionStart(const Section& section, int beats_per_bar);
/// Beats a section lasts (0 when not given: such a show has an error).
Beats SectionLength(const Section& section);
/// Where a cue starts, beats after its section's start.
Beats CueAt(const Cue& cue);
/// Beats a cue lasts (to the section's end when not given).
Beats CueLength(const Section& section, const Cue& cue);
/// The library move behind a cue (walk_to for formation changes), or nullptr.
const Move* CueMove(const Cue& cue);
/// Whether a cue drives the legs (it then starts and lasts whole beats).
bool CueDrivesLegs(const Cue& cue);
/// Grid a cue's start and length snap to: whole beats for leg cues, else BeatGrid().
Beats CueGrid(const Cue& cue);
/// The nearest multiple of `grid` (> 0) to `beats`.
Beats SnapBeats(double beats, const Beats& grid);

/// Moves cue `cue` of section `section` to start `at` beats after the section start,
/// clamped so it stays inside the section.
void MoveCue(int section, int cue, Beats at, Show* show);
/// Sets the cue's length (at least one grid step; at most to the section end).
void ResizeCue(int section, int cue, Beats length, Show* show);
/// Inserts `cue` into section `section` (after the cues that start no later) and
/// returns its index there.
int AddCue(int section, Cue cue, Show* show);
/// A new cue of library move `move` for `who`, `at` beats into the section, lasting
/// `beats` (its spec's parameters left at their defaults: not written).
Cue NewMoveCue(const std::string& move, const std::vector<std::string>& who, Beats at,
               Beats beats);
/// Deletes a cue.
void DeleteCue(int section, int cue, Show* show);
/// Sets a number parameter of a cue, in the unit of its spec's dimension: a parameter
/// written with a unit keeps a written unit (the default one), a bare one stays bare.
void SetCueNumber(int section, int cue, const ParamSpec& spec, double value, Show* show);
/// Sets a word parameter of a cue.
void SetCueWord(int section, int cue, const std::string& name, const std::string& word,
                Show* show);
/// Removes a written parameter (back to the spec's default).
void ResetCueParam(int section, int cue, const std::string& name, Show* show);
/// The value of a cue's number parameter in its spec's default unit (the default when
/// not written); `bpm` converts spin rates.
double CueNumber(const Cue& cue, const ParamSpec& spec, double bpm);
/// The cue's word parameter (the spec's first choice when not written).
std::string CueWord(const Cue& cue, const ParamSpec& spec);

/// A formation change that does not plan in its beats but would in more: validate's
/// "needs N beats" (ScheduledTransition::beats_needed), for the stage editor's offer to
/// stretch the cue.
struct StretchOffer {
  int section = -1;       ///< index in Show::timeline
  int cue = -1;           ///< index in the section's cues
  std::string formation;  ///< the formation walked to
  Beats beats;            ///< the cue's length now
  Beats needed;           ///< the least length with which it plans
};

/// The formation changes of `loaded` (checked) into `formation` that need more beats
/// than they have, in file order.
std::vector<StretchOffer> StretchOffers(const LoadedShow& loaded, const std::string& formation);

/// Makes cue `cue` of section `section` last `beats` beats, lengthening its section when
/// the cue would end past it (unlike ResizeCue, which stops at the section's end).
void StretchCue(int section, int cue, Beats beats, Show* show);

/// Moves slot `slot` of formation `formation` to (x, y) (m, snapped to kSlotGrid). A
/// formation generated from a shape is first written out as the slots `current` (its
/// generated placements, one per robot), so the others stay where they were.
void MoveSlot(int formation, int slot, double x, double y, const std::vector<Placement>& current,
              Show* show);

/// Pairs of slots closer than `min_distance` (m), each (i, j) with i < j.
std::vector<std::pair<int, int>> CloseSlots(const std::vector<Placement>& slots,
                                            double min_distance);

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_VIEWER_SHOW_EDITS_H_
