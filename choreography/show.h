// The in-memory choreography: what a file says, as written (units and optional keys
// kept), with the source position of every element and the comments a person wrote
// on it. Loading is show_parser.h, saving show_writer.h, checking and planning
// schedule.h, and turning it into per-robot references show_compiler.h.
// Robots are numbered from 1 in files (robot 1 is r00 on the stage).
#ifndef YANGBOT_CHOREOGRAPHY_SHOW_H_
#define YANGBOT_CHOREOGRAPHY_SHOW_H_

#include <array>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "choreography/beats.h"
#include "choreography/diagnostics.h"
#include "choreography/thresholds.h"
#include "choreography/units.h"
#include "sim/landmarks.h"

namespace yangbot {

/// Comments a person wrote on one element, kept through load and save.
struct Comments {
  std::vector<std::string> before;  ///< whole-line comments above it, each "# ..." unindented
  std::string after;                ///< comment ending its first line, "# ..." or ""
  /// True when there is no comment.
  bool empty() const { return before.empty() && after.empty(); }
};

/// Where an element and its keys came from, and the comments on them.
struct SourceInfo {
  SourcePos pos;                                 ///< the element's first line
  Comments comments;                             ///< comments on the element itself
  std::map<std::string, SourcePos> key_pos;      ///< position of each given key's value
  std::map<std::string, Comments> key_comments;  ///< comments on each key's line
  /// Position of `key`'s value, or of the element when the key was not given.
  SourcePos At(const std::string& key) const {
    const auto it = key_pos.find(key);
    return it != key_pos.end() ? it->second : pos;
  }
};

/// A named parameter of a move, hanky cue or formation shape, as written.
struct Param {
  std::string name;       ///< e.g. "stride"
  bool is_number = true;  ///< a quantity (number with optional unit) or a word
  Quantity quantity;      ///< when is_number; unit as written (checked by the schedule)
  std::string word;       ///< when !is_number, e.g. "left"
  SourceInfo src;         ///< position of the value, comments on the line
};

/// A group of robots: a list, or a rule over the start formation.
struct GroupDef {
  std::string name;          ///< used in cues' `who`
  std::vector<int> robots;   ///< listed robots (1-based) when rule is ""
  std::string rule;          ///< "", odd, even, front, back, left_half, right_half, rows, columns
  std::vector<int> numbers;  ///< rows or columns (1-based) for the rules rows and columns
  SourceInfo src;            ///< where it was defined
};

/// Who dances, and as what.
struct Troupe {
  std::optional<int> robots;     ///< robot count, 1..32
  std::string model;             ///< robot MJCF path, "" or "builtin" = the built-in H1-class
  std::string start;             ///< formation at the start ("" = the first one listed)
  std::vector<GroupDef> groups;  ///< named groups, in file order
  SourceInfo src;                ///< the `troupe:` block
};

/// One written-out slot of a formation.
struct Slot {
  double x = 0;             ///< m, towards the audience
  double y = 0;             ///< m, to the dancers' left
  double facing = 0;        ///< deg, 0 faces the audience (+x), counter-clockwise positive
  bool has_facing = false;  ///< whether the facing was written
  SourceInfo src;           ///< where it was written
};

/// A named set of slots, generated from a shape or written out.
struct FormationDef {
  std::string name;                             ///< used by `start` and formation cues
  std::string shape;                            ///< grid, line, ...; "" when slots are written
  std::vector<Param> params;                    ///< shape parameters (spacing, rows, facing...)
  std::optional<std::array<double, 2>> centre;  ///< m, (x, y) of the shape's centre
  std::vector<Slot> slots;                      ///< written-out slots, slot i for robot i + 1
  SourceInfo src;                               ///< where it was defined
};

/// What a cue asks for.
enum class CueKind {
  kMove,       ///< a move from the library (`move: NAME`)
  kFormation,  ///< walk to a formation (`formation: NAME`)
  kHanky,      ///< a handkerchief action (`hanky: spin | flick`)
};

/// A robot pinned to a slot by a formation change (`pin: {ROBOT: SLOT}`).
struct SlotPin {
  int robot = 0;  ///< 1-based robot number
  int slot = 0;   ///< 1-based slot number of the target formation
  SourcePos pos;  ///< where the pair was written (the robot number)
};

/// One instruction for some robots within a section.
struct Cue {
  CueKind kind = CueKind::kMove;   ///< what kind of cue
  std::string name;                ///< move, formation or hanky action name
  std::vector<std::string> who;    ///< group names and robot numbers ("3"); empty = all
  std::vector<SourcePos> who_pos;  ///< position of each `who` entry
  std::optional<Beats> at;         ///< beats after the section start; default 0
  std::optional<Beats> beats;      ///< length in beats; default to the section end
  std::optional<Beats> canon;      ///< beats of delay per robot along the group (the wave)
  std::string order;               ///< canon order: "" (robot number), left_to_right, ...
  std::string assign;              ///< formation changes: "" or number (slot i for robot i),
                                   ///< nearest or optimal
  std::vector<std::string> keep_groups;  ///< groups whose robots take only their group's slots
  std::vector<SourcePos> keep_groups_pos;  ///< position of each keep_groups entry
  std::vector<SlotPin> pins;             ///< robots pinned to slots, in file order
  SourceInfo assign_src;  ///< keys of `assign:` when written as a mapping (by, keep_groups, pin)
  bool mirror = false;             ///< robots right of the group's centre move mirrored
  std::vector<Param> params;       ///< move parameters, in file order
  SourceInfo src;                  ///< where it was written
};

/// Bar and beat of a section start, both 1-based ("5:1"); the beat may be fractional.
struct BarBeat {
  int bar = 1;    ///< 1-based bar
  Beats beat{1};  ///< 1-based beat within the bar
};

/// A part of the show placed on the bar grid, holding cues.
struct Section {
  std::string name;            ///< e.g. "entrance"
  BarBeat at;                  ///< where it starts
  std::optional<Beats> beats;  ///< length in beats
  std::vector<Cue> cues;       ///< in file order
  SourceInfo src;              ///< where it was written
};

/// A pass/fail condition of the header (`thresholds:`), for `yangbot run`.
struct ShowThreshold {
  Threshold threshold;  ///< metric, operator, limit
  SourceInfo src;       ///< where it was written, comments on its line
};

/// A whole choreography file.
/// The `network:` block: the robots' clocks and links (NetworkOptions, sim/clock_sync.h).
struct ShowNetwork {
  std::vector<std::pair<std::string, std::string>> settings;  ///< key and value, in file order
  SourceInfo src;                                             ///< the block and its keys
};

/// One landmark of the `stage:` block: the landmark, and its keys as written (for saving).
struct ShowLandmark {
  Landmark landmark;                                        ///< what it is, in stage metres
  std::vector<std::pair<std::string, std::string>> fields;  ///< key and value text, in file order
  SourceInfo src;                                           ///< the list item
};

/// The `stage:` block: the stage's fixed landmarks (sim/landmarks.h).
struct ShowStage {
  std::vector<ShowLandmark> landmarks;  ///< in file order; empty: a bare stage
  SourceInfo src;                       ///< the block and its keys
};

/// The `localisation:` key: how robots know where they stand (controllers/localisation.h).
struct ShowLocalisation {
  std::string mode = "perfect";                                 ///< "perfect" or "lidar"
  std::vector<std::pair<std::string, std::string>> settings;    ///< lidar settings, in file order
  SourceInfo src;                                               ///< the key or block
};

struct Show {
  std::string title;                      ///< "" = not given
  std::optional<double> tempo;            ///< beats per minute
  std::optional<int> beats_per_bar;       ///< default 4
  std::optional<double> offset;           ///< s, time of bar 1 beat 1; default 0
  std::string music;                      ///< music file, relative to the show file; "" = none
  std::vector<ShowThreshold> thresholds;  ///< conditions that fail a run, in file order
  std::optional<ShowNetwork> network;     ///< robots' clocks and links; none: perfect
  std::optional<ShowStage> stage;         ///< landmarks; none: the default set under lidar
  std::optional<ShowLocalisation> localisation;  ///< none: perfect
  Troupe troupe;                          ///< robots and groups
  std::vector<FormationDef> formations;   ///< in file order
  std::vector<Section> timeline;          ///< in file order
  SourceInfo src;                         ///< top-level keys
  std::vector<std::string> end_comments;  ///< comments after the last element

  /// Tempo or its default (120 bpm).
  double tempo_or_default() const { return tempo.value_or(120.0); }
  /// Beats per bar or its default (4).
  int beats_per_bar_or_default() const { return beats_per_bar.value_or(4); }
  /// The beat clock of the header (falls back to defaults on missing values).
  BeatClock clock() const { return {tempo_or_default(), offset.value_or(0.0)}; }
};

}  // namespace yangbot

#endif  // YANGBOT_CHOREOGRAPHY_SHOW_H_
