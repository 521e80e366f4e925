#include "choreography/resolve.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <set>

#include "choreography/formation.h"
#include "choreography/music.h"
#include "choreography/separation.h"
#include "choreography/show_parser.h"

namespace yangbot {
namespace {
constexpr double kDegPerRad = 180.0 / M_PI;

std::string Quote(const std::string& s) { return "'" + s + "'"; }

std::string BoundText(double value, const char* unit) {
  std::string text = FormatNumber(value);
  if (*unit) text += std::string(" ") + unit;
  return text;
}

std::string SectionBeat(const Beats& b) { return b.ToString(); }

// The words of `assign:` and `order:`, in the order of their enums.
const std::vector<std::string>& SlotAssignNames() {
  static const std::vector<std::string> names = {"number", "nearest", "optimal"};
  return names;
}
const std::vector<std::string>& CanonOrderNames() {
  static const std::vector<std::string> names = {"number", "left_to_right", "right_to_left",
                                                 "front_to_back", "back_to_front"};
  return names;
}

// The enum value of a word of `names`; nullopt when it is none of them.
template <typename Enum>
std::optional<Enum> ParseChoice(const std::string& word, const std::vector<std::string>& names) {
  const auto it = std::find(names.begin(), names.end(), word);
  if (it == names.end()) return std::nullopt;
  return static_cast<Enum>(it - names.begin());
}
std::optional<SlotAssign> ParseSlotAssign(const std::string& word) {
  return ParseChoice<SlotAssign>(word, SlotAssignNames());
}
std::optional<CanonOrder> ParseCanonOrder(const std::string& word) {
  return ParseChoice<CanonOrder>(word, CanonOrderNames());
}

// Groups of robot indices (0-based) by the start formation.
struct Layout {
  std::vector<Placement> starts;
  // Clusters of robots along -x (rows, front first) or -y (columns, dancers' left first).
  std::vector<std::vector<int>> Clusters(bool rows) const {
    std::vector<int> order(starts.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    auto key = [&](int i) { return rows ? -starts[i].x : -starts[i].y; };
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return key(a) < key(b); });
    std::vector<std::vector<int>> clusters;
    double last = 0;
    for (int i : order) {
      if (clusters.empty() || key(i) - last > 0.3) clusters.emplace_back();
      clusters.back().push_back(i);
      last = key(i);
    }
    for (auto& c : clusters) std::sort(c.begin(), c.end());
    return clusters;
  }
  // The first half of the robots in order of `key` (ties by number).
  std::vector<int> Half(bool by_x, bool first_half) const {
    std::vector<int> order(starts.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int>(i);
    auto key = [&](int i) { return by_x ? -starts[i].x : -starts[i].y; };
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return key(a) < key(b); });
    const size_t half = order.size() / 2;
    std::vector<int> out(first_half ? order.begin() : order.begin() + half,
                         first_half ? order.begin() + half : order.end());
    std::sort(out.begin(), out.end());
    return out;
  }
};

const std::vector<std::string>& BuiltinGroups() {
  static const std::vector<std::string> names = {"all",  "odd",       "even",      "front",
                                                 "back", "left_half", "right_half"};
  return names;
}

// Robots of a rule; reports a bad rule or row/column numbers at `pos`.
std::vector<int> RuleRobots(const std::string& rule, const std::vector<int>& numbers,
                            const Layout& layout, SourcePos pos, Diagnostics* diagnostics) {
  const int n = static_cast<int>(layout.starts.size());
  std::vector<int> out;
  if (rule == "all") {
    for (int i = 0; i < n; ++i) out.push_back(i);
  } else if (rule == "odd" || rule == "even") {
    for (int i = rule == "odd" ? 0 : 1; i < n; i += 2) out.push_back(i);
  } else if (rule == "front" || rule == "back") {
    out = layout.Half(true, rule == "front");
  } else if (rule == "left_half" || rule == "right_half") {
    out = layout.Half(false, rule == "left_half");
  } else if (rule == "rows" || rule == "columns") {
    const auto clusters = layout.Clusters(rule == "rows");
    for (int k : numbers) {
      if (k < 1 || k > static_cast<int>(clusters.size())) {
        diagnostics->Error(
            pos, std::string(rule == "rows" ? "row " : "column ") + std::to_string(k) +
                     " does not exist: the start formation has " + std::to_string(clusters.size()) +
                     " " + (clusters.size() == 1 ? rule.substr(0, rule.size() - 1) : rule));
        continue;
      }
      out.insert(out.end(), clusters[k - 1].begin(), clusters[k - 1].end());
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  } else {
    std::vector<std::string> rules = BuiltinGroups();
    rules.push_back("rows");
    rules.push_back("columns");
    diagnostics->Error(pos, "unknown group rule " + Quote(rule) + DidYouMean(rule, rules) +
                                "; rules: odd, even, front, back, left_half, right_half, rows, "
                                "columns");
  }
  return out;
}

// Checks `keep_groups` and `pin` of a formation change for the robots `who` and stores
// them in `inst`; false (with errors) when they cannot be honoured.
bool ResolveAssignOptions(const Cue& cue, const std::set<int>& who,
                          const std::map<std::string, std::vector<int>>& groups,
                          const std::vector<std::string>& group_names, int robots,
                          ResolvedCue* inst, Diagnostics* diagnostics) {
  bool ok = true;
  std::map<int, std::string> group_of;  // robot -> the keep group it is in
  std::map<std::string, std::vector<int>> members_of;
  for (size_t k = 0; k < cue.keep_groups.size(); ++k) {
    const std::string& name = cue.keep_groups[k];
    const SourcePos pos = k < cue.keep_groups_pos.size() ? cue.keep_groups_pos[k] : cue.src.pos;
    const auto it = groups.find(name);
    if (it == groups.end()) {
      diagnostics->Error(pos, "unknown group " + Quote(name) + DidYouMean(name, group_names));
      ok = false;
      continue;
    }
    std::vector<int> members;
    for (int r : it->second) {
      if (who.count(r) == 0) continue;  // not in this change: it keeps no slot here
      if (const auto [g, inserted] = group_of.emplace(r, name); !inserted) {
        diagnostics->Error(pos, "robot " + std::to_string(r + 1) + " is in both " +
                                    Quote(g->second) + " and " + Quote(name) +
                                    "; groups in keep_groups must not share robots");
        ok = false;
        continue;
      }
      members.push_back(r);
    }
    members_of[name] = members;
    inst->keep_groups.push_back(std::move(members));
  }
  std::set<int> pinned_slots;
  for (const SlotPin& pin : cue.pins) {
    const int r = pin.robot - 1, slot = pin.slot - 1;
    const std::string robot_text = "robot " + std::to_string(pin.robot);
    const std::string slot_text = "slot " + std::to_string(pin.slot);
    std::string error;
    if (pin.robot < 1 || pin.robot > robots) {
      error = robot_text + " does not exist (robots are 1 to " + std::to_string(robots) + ")";
    } else if (who.count(r) == 0) {
      error = robot_text + " is not in this formation change";
    } else if (slot < 0 || slot >= robots) {
      error = slot_text + " does not exist (the formation has " + std::to_string(robots) +
              " slots)";
    } else if (who.count(slot) == 0) {
      error = slot_text + " is not filled by this change: a change for some robots fills "
              "the slots with their numbers";
    } else if (inst->pins.count(r) > 0) {
      error = robot_text + " is pinned twice";
    } else if (!pinned_slots.insert(slot).second) {
      error = slot_text + " is pinned twice";
    } else if (group_of.count(r) > 0 &&
               (group_of.count(slot) == 0 || group_of.at(slot) != group_of.at(r))) {
      error = robot_text + " keeps to group " + Quote(group_of.at(r)) +
              ": it takes a slot of that group's robots, not " + slot_text;
    } else if (group_of.count(r) == 0 && group_of.count(slot) > 0) {
      error = slot_text + " belongs to group " + Quote(group_of.at(slot)) + " (keep_groups)";
    }
    if (!error.empty()) {
      diagnostics->Error(pin.pos, error);
      ok = false;
      continue;
    }
    inst->pins[r] = slot;
  }
  return ok;
}

// The resolution of one show, part after part in the order of the file (troupe,
// formations, groups, music, sections and their cues), so that messages come in that order.
class Resolver {
 public:
  Resolver(const Show& show, const ResolveOptions& options, Diagnostics* diagnostics)
      : show_(show),
        options_(options),
        diagnostics_(diagnostics),
        registry_(options.moves != nullptr ? *options.moves : BuiltinMoves()) {}

  ResolvedShow Run() {
    // Values out of range were reported by the parser; plan with the defaults instead.
    resolved_.clock = show_.clock();
    if (!(resolved_.clock.bpm >= 20 && resolved_.clock.bpm <= 400)) resolved_.clock.bpm = 120;
    if (!(resolved_.clock.offset >= 0 && resolved_.clock.offset <= 3600)) {
      resolved_.clock.offset = 0;
    }
    resolved_.beats_per_bar = show_.beats_per_bar_or_default();
    if (resolved_.beats_per_bar < 1 || resolved_.beats_per_bar > 16) resolved_.beats_per_bar = 4;
    bpm_ = resolved_.clock.bpm;
    bpb_ = resolved_.beats_per_bar;
    Troupe();
    Formations();
    Groups();
    Music();
    Sections();
    Unused();
    resolved_.groups = groups_;
    return std::move(resolved_);
  }

 private:
  // The robot count and the robot model.
  void Troupe() {
    if (show_.troupe.robots) {
      const int n = *show_.troupe.robots;
      if (n < 1 || n > kMaxShowRobots) {
        diagnostics_->Error(show_.troupe.src.At("robots"),
                           "'robots' " + std::to_string(n) + " is out of range (1 to " +
                               std::to_string(kMaxShowRobots) + " robots)");
      } else {
        robots_ = n;
      }
    }
    if (!show_.troupe.model.empty() && show_.troupe.model != "builtin") {
      std::filesystem::path model(show_.troupe.model);
      if (model.is_relative() && !options_.base_dir.empty()) model = options_.base_dir / model;
      std::error_code ec;
      if (!std::filesystem::exists(model, ec)) {
        diagnostics_->Error(show_.troupe.src.At("model"),
                           "robot model not found: " + show_.troupe.model +
                               " (paths are relative to the show file; 'builtin' is the built-in "
                               "H1-class robot)");
      }
    }
  }

  // Every formation's slots; the start formation and the start placements.
  void Formations() {
    for (const FormationDef& f : show_.formations) {
      formation_names_.push_back(f.name);
      std::vector<Placement> slots = FormationSlots(f, robots_, bpm_, diagnostics_);
      if (robots_ > 0 && static_cast<int>(slots.size()) == robots_) {
        resolved_.formations[f.name] = {f, std::move(slots)};
      }
    }
    std::string start_name = show_.troupe.start;
    if (start_name.empty() && !show_.formations.empty()) start_name = show_.formations.front().name;
    if (!show_.troupe.start.empty() && std::find(formation_names_.begin(), formation_names_.end(),
                                                start_name) == formation_names_.end()) {
      diagnostics_->Error(show_.troupe.src.At("start"), "unknown formation " + Quote(start_name) +
                                                          DidYouMean(start_name, formation_names_));
    }
    if (show_.formations.empty() && show_.src.key_pos.count("formations") > 0) {
      diagnostics_->Error(show_.src.At("formations"),
                         "no formations: the robots need a start formation");
    }
    used_formations_.insert(start_name);
    if (const auto it = resolved_.formations.find(start_name); it != resolved_.formations.end()) {
      layout_.starts = it->second.slots;
    } else if (robots_ > 0) {
      robots_ = 0;  // no valid start formation: nothing per robot can be checked
    }
    resolved_.robots = robots_;
    if (robots_ > 0) resolved_.starts = layout_.starts;
  }

  // The built-in groups and the file's, over the start formation.
  void Groups() {
    for (const std::string& name : BuiltinGroups()) {
      groups_[name] = RuleRobots(name, {}, layout_, {}, diagnostics_);
    }
    group_names_ = BuiltinGroups();
    for (const GroupDef& g : show_.troupe.groups) {
      if (std::find(BuiltinGroups().begin(), BuiltinGroups().end(), g.name) !=
          BuiltinGroups().end()) {
        diagnostics_->Error(g.src.pos, "group " + Quote(g.name) + " is built in; choose another name");
        continue;
      }
      group_names_.push_back(g.name);
      std::vector<int> members;
      if (g.rule.empty()) {
        for (int n : g.robots) {
          if (robots_ > 0 && (n < 1 || n > robots_)) {
            diagnostics_->Error(g.src.pos, "group " + Quote(g.name) + ": robot " + std::to_string(n) +
                                              " does not exist (robots are 1 to " +
                                              std::to_string(robots_) + ")");
          } else if (robots_ > 0) {
            members.push_back(n - 1);
          }
        }
      } else if (robots_ > 0) {
        members = RuleRobots(g.rule, g.numbers, layout_, g.src.pos, diagnostics_);
      }
      std::sort(members.begin(), members.end());
      members.erase(std::unique(members.begin(), members.end()), members.end());
      groups_[g.name] = members;
    }
  }

  // The music's length (WAV files).
  void Music() {
    if (!show_.music.empty()) {
      std::filesystem::path music(show_.music);
      if (music.is_relative() && !options_.base_dir.empty()) music = options_.base_dir / music;
      std::error_code ec;
      if (!std::filesystem::exists(music, ec)) {
        diagnostics_->Warning(show_.src.At("music"),
                             "music file not found: " + show_.music +
                                 (std::filesystem::path(show_.music).is_relative()
                                      ? " (paths are relative to the show file)"
                                      : ""));
      } else {
        music_end_ = WavDuration(music.string());
      }
    }
  }

  // Sections on the bar grid, and their cues.
  void Sections() {
    int cue_count = 0;
    Beats previous_end;
    std::string previous_name;
    for (size_t si = 0; si < show_.timeline.size(); ++si) {
      const Section& section = show_.timeline[si];
      const SourcePos at_pos = section.src.At("at");
      const Beats beat_in_bar = section.at.beat - Beats(1);
      bool section_ok = true;
      if (beat_in_bar >= Beats(bpb_)) {
        diagnostics_->Error(at_pos, "beat " + section.at.beat.ToString() + " does not exist in a " +
                                       std::to_string(bpb_) + "-beat bar");
        section_ok = false;
      }
      const Beats start = Beats(static_cast<int64_t>(section.at.bar - 1) * bpb_) + beat_in_bar;
      if (!start.IsMultipleOf(grid_)) {
        diagnostics_->Error(at_pos, "section starts off the beat grid (on quarter beats)");
        section_ok = false;
      }
      Beats length;
      if (section.beats) {
        length = *section.beats;
        if (length <= Beats(0)) {
          diagnostics_->Error(section.src.At("beats"), "section length must be positive, found " +
                                                          length.ToString() + " beats");
          section_ok = false;
        } else if (!length.IsMultipleOf(grid_)) {
          diagnostics_->Error(
              section.src.At("beats"),
              "section length " + length.ToString() + " beats is off the beat grid (quarter beats)");
          section_ok = false;
        }
      } else {
        section_ok = false;
      }
      if (!section_ok) continue;
      const Beats end = start + length;
      if (resolved_.clock.Time(end) > kMaxShowSeconds) {
        char text[160];
        std::snprintf(text, sizeof(text), "section '%s' ends at %.0f s; a show lasts at most %.0f s",
                      section.name.c_str(), resolved_.clock.Time(end), kMaxShowSeconds);
        diagnostics_->Error(at_pos, text);
        continue;
      }
      if (si > 0 && start < previous_end) {
        diagnostics_->Warning(at_pos, "section " + Quote(section.name) + " starts before section " +
                                         Quote(previous_name) + " ends");
      }
      resolved_.sections.push_back({start, end, at_pos});
      previous_end = std::max(previous_end, end);
      previous_name = section.name;
      resolved_.end = std::max(resolved_.end, end);
      if (music_end_ && resolved_.clock.Time(end) > *music_end_ + 1e-6) {
        char text[200];
        std::snprintf(text, sizeof(text),
                      "section '%s' ends at %.2f s, after the end of the music (%.2f s)",
                      section.name.c_str(), resolved_.clock.Time(end), *music_end_);
        diagnostics_->Error(at_pos, text);
      }

      for (size_t ci = 0; ci < section.cues.size(); ++ci) {
        const Cue& cue = section.cues[ci];
        if (++cue_count > kMaxShowCues) {
          diagnostics_->Error(cue.src.pos, "more than " + std::to_string(kMaxShowCues) +
                                              " cues in the show; the rest are not checked");
          break;
        }
        ResolveCue(cue, static_cast<int>(si), static_cast<int>(ci), start, length);
      }
    }
  }

  // Cue `index` of section `section` (starting on absolute beat `start`, `length` beats
  // long): checked, and resolved into resolved_.cues when it has no errors.
  void ResolveCue(const Cue& cue, int section, int index, Beats start, Beats length) {
    ResolvedCue inst;
    inst.kind = cue.kind;
    inst.name = cue.name;
    inst.pos = cue.src.pos;
    inst.section = section;
    inst.index = index;
    const SourcePos name_pos = cue.src.pos;
    bool ok = true;
    // What it does.
    if (cue.name.empty()) {
      ok = false;  // no or a malformed name: reported by the parser
    } else if (cue.kind == CueKind::kMove) {
      inst.move = registry_.Find(cue.name);
      if (inst.move == nullptr) {
        diagnostics_->Error(
            name_pos, "unknown move " + Quote(cue.name) + DidYouMean(cue.name, registry_.Names()));
        ok = false;
      }
    } else if (cue.kind == CueKind::kHanky) {
      const std::vector<std::string>& actions = HankyActions();  // spin, flick, throw
      if (std::find(actions.begin(), actions.end(), cue.name) != actions.end())
        inst.move = registry_.Find(HankyMoveName(cue.name));
      if (inst.move == nullptr) {
        diagnostics_->Error(name_pos, "unknown hanky action " + Quote(cue.name) +
                                         DidYouMean(cue.name, actions) +
                                         "; actions: spin, flick, throw");
        ok = false;
      }
    } else {
      inst.move = registry_.Find("walk_to");
      used_formations_.insert(cue.name);
      if (std::find(formation_names_.begin(), formation_names_.end(), cue.name) ==
          formation_names_.end()) {
        diagnostics_->Error(name_pos, "unknown formation " + Quote(cue.name) +
                                         DidYouMean(cue.name, formation_names_));
        ok = false;
      } else if (resolved_.formations.count(cue.name) == 0) {
        ok = false;  // the formation itself has errors, reported there
      }
      for (const Param& p : cue.params) {
        diagnostics_->Error(p.src.pos, "unknown key " + Quote(p.name) + " in a formation change" +
                                          DidYouMean(p.name, ReservedCueKeys()) +
                                          "; it takes who, at, beats, canon, order and assign");
      }
      if (cue.mirror) {
        diagnostics_->Warning(cue.src.At("mirror"), "mirror has no effect on a formation change");
      }
    }
    if (inst.move != nullptr && cue.kind != CueKind::kFormation) {
      Diagnostics local;
      inst.params = ResolveParams(inst.move->spec().params, cue.params,
                                  cue.kind == CueKind::kHanky ? "hanky " + cue.name : cue.name,
                                  bpm_, ReservedCueKeys(), &local);
      for (const Diagnostic& d : local.items()) diagnostics_->Error(d.pos, d.message);
      ok = ok && !local.has_errors();
    }
    const MoveSpec* spec = inst.move != nullptr ? &inst.move->spec() : nullptr;
    const bool legs = spec != nullptr && (spec->limbs & kLegs) != 0;
    const std::string what =
        spec != nullptr ? (cue.kind == CueKind::kFormation ? "a formation change" : spec->name)
                        : cue.name;
    // When.
    const Beats at = cue.at.value_or(Beats(0));
    const SourcePos cue_at = cue.src.At("at");
    const SourcePos cue_beats = cue.src.At("beats");
    if (at < Beats(0)) {
      diagnostics_->Error(cue_at, "'at' must not be negative, found " + at.ToString());
      ok = false;
    } else if (!at.IsMultipleOf(legs ? Beats(1) : grid_)) {
      diagnostics_->Error(
          cue_at, legs ? what +
                             " drives the legs: it must start on a whole beat "
                             "(steps land on beats), found at " +
                             at.ToString()
                       : "cue starts off the beat grid (quarter beats) at " + at.ToString());
      ok = false;
    } else if (at >= length) {
      diagnostics_->Error(cue_at, "cue starts at beat " + at.ToString() +
                                     " of the section, past its end (" + length.ToString() +
                                     " beats)");
      ok = false;
    }
    const Beats beats = cue.beats.value_or(length - at);
    if (cue.beats) {
      if (beats <= Beats(0)) {
        diagnostics_->Error(cue_beats,
                           "cue length must be positive, found " + beats.ToString() + " beats");
        ok = false;
      } else if (!beats.IsMultipleOf(legs ? Beats(1) : grid_)) {
        diagnostics_->Error(cue_beats, legs ? what +
                                                 " drives the legs: it must last whole beats, "
                                                 "found " +
                                                 beats.ToString()
                                           : "cue length " + beats.ToString() +
                                                 " beats is off the beat grid (quarter beats)");
        ok = false;
      } else if (at + beats > length) {
        diagnostics_->Error(cue_beats, "cue ends on beat " + SectionBeat(at + beats) +
                                          " of the section, past its end (" + length.ToString() +
                                          " beats)");
        ok = false;
      }
    }
    if (ok && spec != nullptr) {
      if (spec->cycle_beats > 0 && !beats.IsMultipleOf(Beats(spec->cycle_beats))) {
        diagnostics_->Error(cue_beats, spec->name + " takes " + std::to_string(spec->cycle_beats) +
                                          " beats a cycle; " + beats.ToString() +
                                          " beats is not a whole number of cycles");
        ok = false;
      } else if (beats < Beats(spec->min_beats)) {
        diagnostics_->Error(cue_beats, spec->name + " needs at least " +
                                          std::to_string(spec->min_beats) +
                                          (spec->min_beats == 1 ? " beat" : " beats") +
                                          ", found " + beats.ToString());
        ok = false;
      }
    }
    // Canon.
    Beats delay;
    if (cue.canon) {
      delay = *cue.canon;
      const SourcePos pos = cue.src.At("canon");
      if (delay < Beats(0)) {
        diagnostics_->Error(pos, "canon delay must not be negative, found " + delay.ToString());
        ok = false;
      } else if (!delay.IsMultipleOf(legs ? Beats(1) : grid_)) {
        diagnostics_->Error(
            pos,
            legs ? "canon delay of a leg cue must be whole beats, found " + delay.ToString()
                 : "canon delay " + delay.ToString() + " is off the beat grid (quarter beats)");
        ok = false;
      }
    }
    if (!cue.order.empty()) {
      if (!ParseCanonOrder(cue.order)) {
        diagnostics_->Error(cue.src.At("order"),
                           "unknown canon order " + Quote(cue.order) +
                               DidYouMean(cue.order, CanonOrderNames()) +
                               "; orders: number, left_to_right, "
                               "right_to_left, front_to_back, back_to_front");
        ok = false;
      } else if (!cue.canon) {
        diagnostics_->Warning(cue.src.At("order"), "'order' has no effect without 'canon'");
      }
    }
    const bool assign_options = !cue.keep_groups.empty() || !cue.pins.empty();
    if (!cue.assign.empty() || assign_options) {
      const SourcePos pos = cue.assign_src.key_pos.count("by") > 0 ? cue.assign_src.At("by")
                                                                   : cue.src.At("assign");
      if (!cue.assign.empty() && !ParseSlotAssign(cue.assign)) {
        diagnostics_->Error(pos, "unknown slot assignment " + Quote(cue.assign) +
                                    DidYouMean(cue.assign, SlotAssignNames()) +
                                    "; assign: number, nearest or optimal");
        ok = false;
      } else if (cue.kind != CueKind::kFormation) {
        diagnostics_->Warning(cue.src.At("assign"),
                             "'assign' has effect only on formation changes");
      } else if (ParseSlotAssign(cue.assign) == SlotAssign::kNumber && assign_options) {
        diagnostics_->Error(pos,
                           "with 'by: number' robot i takes slot i; 'keep_groups' and 'pin' "
                           "need 'by: nearest' or 'by: optimal'");
        ok = false;
      }
    }
    // Who.
    std::set<int> who;
    if (cue.who.empty()) {
      for (int r = 0; r < robots_; ++r) who.insert(r);
    }
    for (size_t w = 0; w < cue.who.size(); ++w) {
      const std::string& entry = cue.who[w];
      const SourcePos pos = w < cue.who_pos.size() ? cue.who_pos[w] : cue.src.At("who");
      if (const std::optional<long long> n = ParseInteger(entry)) {
        if (*n < 1 || (robots_ > 0 && *n > robots_)) {
          diagnostics_->Error(pos, "robot " + entry + " does not exist (robots are 1 to " +
                                      std::to_string(std::max(robots_, 1)) + ")");
          ok = false;
        } else if (robots_ > 0) {
          who.insert(static_cast<int>(*n - 1));
        }
      } else if (const auto it = groups_.find(entry); it != groups_.end()) {
        who.insert(it->second.begin(), it->second.end());
      } else {
        diagnostics_->Error(pos, "unknown group " + Quote(entry) + DidYouMean(entry, group_names_));
        ok = false;
      }
    }
    if (ok && who.empty() && robots_ > 0) {
      diagnostics_->Warning(cue.src.At("who"), "cue has no robots");
    }
    if (ok && cue.canon && who.size() > 1) {
      const Beats last_end = at + beats + delay * static_cast<int64_t>(who.size() - 1);
      if (last_end > length) {
        diagnostics_->Error(cue.src.At("canon"),
                           "canon: the last of " + std::to_string(who.size()) +
                               " robots ends on beat " + last_end.ToString() +
                               " of the section, past its end (" + length.ToString() + " beats)");
        ok = false;
      }
    }
    if (!ok || robots_ == 0) return;
    inst.start = start + at;
    inst.length = beats;
    inst.delay = delay;
    inst.robots.assign(who.begin(), who.end());
    inst.order = cue.order.empty() ? CanonOrder::kNumber : *ParseCanonOrder(cue.order);
    inst.assign = cue.assign.empty()
                      ? (assign_options ? SlotAssign::kOptimal : SlotAssign::kNumber)
                      : *ParseSlotAssign(cue.assign);
    if (cue.kind == CueKind::kFormation && assign_options &&
        !ResolveAssignOptions(cue, who, groups_, group_names_, robots_, &inst, diagnostics_)) {
      return;
    }
    inst.mirror = cue.mirror && cue.kind != CueKind::kFormation;
    resolved_.cues.push_back(std::move(inst));
  }

  // Formations never used, an empty timeline.
  void Unused() {
    for (const FormationDef& f : show_.formations) {
      if (used_formations_.count(f.name) == 0) {
        diagnostics_->Warning(f.src.pos, "formation " + Quote(f.name) + " is never used");
      }
    }
    if (show_.timeline.empty() && show_.src.key_pos.count("timeline") > 0) {
      diagnostics_->Warning(show_.src.At("timeline"), "the timeline is empty");
    }
  }

  const Show& show_;
  const ResolveOptions& options_;
  Diagnostics* diagnostics_;
  const MoveRegistry& registry_;
  ResolvedShow resolved_;
  double bpm_ = 120;
  int bpb_ = 4;
  const Beats grid_ = BeatGrid();
  int robots_ = 0;  // 0 until the count and the start formation are valid
  Layout layout_;   // the start placements
  std::vector<std::string> formation_names_, group_names_;
  std::set<std::string> used_formations_;
  std::map<std::string, std::vector<int>> groups_;
  std::optional<double> music_end_;  // s
};

}  // namespace

ParamValues ResolveParams(const std::vector<ParamSpec>& specs, const std::vector<Param>& given,
                          const std::string& owner, double bpm,
                          const std::vector<std::string>& other_keys, Diagnostics* diagnostics) {
  ParamValues values;
  values.numbers.resize(specs.size());
  values.words.resize(specs.size());
  for (size_t i = 0; i < specs.size(); ++i) {
    values.numbers[i] = specs[i].default_value;
    if (specs[i].dimension == Dimension::kNone && !specs[i].choices.empty()) {
      values.words[i] = specs[i].choices.front();
    }
  }
  std::vector<std::string> names;
  for (const ParamSpec& s : specs) names.push_back(s.name);
  std::vector<std::string> suggestions = names;
  suggestions.insert(suggestions.end(), other_keys.begin(), other_keys.end());
  for (const Param& p : given) {
    const auto it = std::find(names.begin(), names.end(), p.name);
    if (it == names.end()) {
      diagnostics->Error(p.src.pos, "unknown parameter " + Quote(p.name) + " for " + owner +
                                        DidYouMean(p.name, suggestions) +
                                        (names.empty() ? "; it takes no parameters" : ""));
      continue;
    }
    const size_t i = static_cast<size_t>(it - names.begin());
    const ParamSpec& spec = specs[i];
    std::string choices;
    for (const std::string& c : spec.choices) choices += (choices.empty() ? "" : ", ") + c;
    if (!p.is_number) {
      if (std::find(spec.choices.begin(), spec.choices.end(), p.word) != spec.choices.end()) {
        values.words[i] = p.word;
        values.numbers[i] = spec.default_value;
        continue;
      }
      if (spec.choices.empty()) {
        diagnostics->Error(p.src.pos,
                           Quote(p.name) + " of " + owner + " must be " +
                               DimensionName(spec.dimension) +
                               (spec.dimension == Dimension::kNone
                                    ? ""
                                    : std::string(" in ") + DefaultUnit(spec.dimension)) +
                               ", found " + Quote(p.word));
      } else {
        diagnostics->Error(p.src.pos,
                           Quote(p.name) + " of " + owner + " must be " +
                               (spec.dimension == Dimension::kNone
                                    ? ""
                                    : std::string(DimensionName(spec.dimension)) + " or ") +
                               "one of " + choices + "; found " + Quote(p.word) +
                               DidYouMean(p.word, spec.choices));
      }
      continue;
    }
    if (spec.dimension == Dimension::kNone && !spec.choices.empty()) {
      diagnostics->Error(p.src.pos, Quote(p.name) + " of " + owner + " must be one of " + choices +
                                        "; found " + FormatQuantity(p.quantity));
      continue;
    }
    // Check the unit against what the parameter measures.
    if (!p.quantity.unit.empty()) {
      std::string error;
      if (!ParseQuantity("1 " + p.quantity.unit, spec.dimension, &error)) {
        diagnostics->Error(p.src.pos, Quote(p.name) + " of " + owner + ": " + error);
        continue;
      }
    }
    const double value = ToDefaultUnit(p.quantity, spec.dimension, bpm);
    const char* unit = DefaultUnit(spec.dimension);
    std::string shown = FormatQuantity(p.quantity);
    if (p.quantity.unit.empty() && *unit) shown += std::string(" ") + unit;
    if (!p.quantity.unit.empty() && p.quantity.unit != unit) {
      char converted[96];
      std::snprintf(converted, sizeof(converted), " (%.4g %s%s)", value, unit,
                    spec.dimension == Dimension::kSpinRate
                        ? (" at " + FormatNumber(bpm) + " bpm").c_str()
                        : "");
      shown += converted;
    }
    if (spec.integer && value != std::floor(value)) {
      diagnostics->Error(
          p.src.pos, Quote(p.name) + " of " + owner + " must be a whole number, found " + shown);
      continue;
    }
    if (value < spec.min - 1e-9) {
      diagnostics->Error(p.src.pos, Quote(p.name) + " " + shown + " of " + owner +
                                        " is below the minimum " + BoundText(spec.min, unit));
      continue;
    }
    if (value > spec.max + 1e-9) {
      diagnostics->Error(p.src.pos, Quote(p.name) + " " + shown + " of " + owner +
                                        " is above the maximum " + BoundText(spec.max, unit));
      continue;
    }
    values.numbers[i] = value;
    values.words[i].clear();
  }
  return values;
}

std::vector<Placement> FormationSlots(const FormationDef& formation, int robots, double bpm,
                                      Diagnostics* diagnostics) {
  const std::string where = "formation " + Quote(formation.name);
  std::vector<Placement> slots;
  std::string facing_word;
  double facing = 0;
  const double cx = formation.centre ? (*formation.centre)[0] : 0.0;
  const double cy = formation.centre ? (*formation.centre)[1] : 0.0;
  if (!formation.shape.empty()) {
    const FormationShape* shape = FindFormationShape(formation.shape);
    if (shape == nullptr) {
      diagnostics->Error(formation.src.At("shape"),
                         "unknown shape " + Quote(formation.shape) +
                             DidYouMean(formation.shape, FormationShapeNames()) +
                             "; shapes: grid, line, column, circle, arc, v, diamond, two_columns");
      return {};
    }
    Diagnostics local;
    const ParamValues values =
        ResolveParams(shape->params(), formation.params, "shape " + Quote(shape->name()), bpm,
                      {"shape", "centre", "slots"}, &local);
    for (const Diagnostic& d : local.items()) diagnostics->Error(d.pos, d.message);
    if (local.has_errors() || robots <= 0) return {};
    slots = shape->Generate(values, robots);
    const size_t facing_index = shape->params().size() - 1;
    facing_word = values.Word(facing_index);
    facing = values.Radians(facing_index);
    for (Placement& p : slots) {
      p.x += cx;
      p.y += cy;
    }
    ApplyFacing(facing_word, facing, cx, cy, &slots);
  } else {
    if (!formation.params.empty()) {
      // Written-out slots take only `facing` (for slots without their own).
      std::vector<ParamSpec> specs = {NumberParam("facing", Dimension::kAngle, 0, -360, 360, "")};
      specs[0].choices = {"in", "out"};
      const ParamValues values = ResolveParams(specs, formation.params, where, bpm,
                                               {"shape", "centre", "slots"}, diagnostics);
      facing_word = values.Word(0);
      facing = values.Radians(0);
    }
    for (const Slot& s : formation.slots) {
      Placement p{s.x + cx, s.y + cy, 0};
      std::vector<Placement> one = {p};
      ApplyFacing(facing_word, facing, cx, cy, &one);
      p = one[0];
      if (s.has_facing) p.yaw = s.facing / kDegPerRad;
      slots.push_back(p);
    }
    if (robots > 0 && static_cast<int>(slots.size()) != robots &&
        formation.slots.size() == slots.size()) {
      diagnostics->Error(formation.src.At("slots"), where + " has " + std::to_string(slots.size()) +
                                                        " slots for " + std::to_string(robots) +
                                                        " robots");
      return {};
    }
  }
  int a = -1, b = -1;
  const double closest = ClosestSlots(slots, &a, &b);
  if (a >= 0 && closest < kMinRobotDistance - 1e-9) {
    char text[160];
    std::snprintf(text, sizeof(text), "slots %d and %d are %.2f m apart (at least %.1f m)", a + 1,
                  b + 1, closest, kMinRobotDistance);
    const SourcePos pos = formation.shape.empty() && static_cast<size_t>(b) < formation.slots.size()
                              ? formation.slots[static_cast<size_t>(b)].src.pos
                              : formation.src.pos;
    diagnostics->Error(pos, where + ": " + text);
    return {};
  }
  return slots;
}

ResolvedShow ResolveShow(const Show& show, const ResolveOptions& options,
                         Diagnostics* diagnostics) {
  return Resolver(show, options, diagnostics).Run();
}

}  // namespace yangbot
