#include "choreography/schedule.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>

#include "choreography/assignment.h"
#include "choreography/formation.h"
#include "choreography/hanky_throw_cue.h"  // hanky: throw
#include "choreography/show_parser.h"
#include "sim/error.h"

namespace yangbot {
namespace {

constexpr double kDegPerRad = 180.0 / M_PI;

std::string Quote(const std::string& s) { return "'" + s + "'"; }

Pose2 PoseOf(const Placement& p) { return {p.x, p.y, p.yaw}; }

std::string BoundText(double value, const char* unit) {
  std::string text = FormatNumber(value);
  if (*unit) text += std::string(" ") + unit;
  return text;
}

// "robot 3" or "robots 1, 2, 5" (1-based numbers).
std::string RobotList(const std::vector<int>& robots) {
  if (robots.size() == 1) return "robot " + std::to_string(robots[0]);
  std::string text = "robots ";
  for (size_t i = 0; i < robots.size(); ++i) {
    // Runs of three or more consecutive numbers as a range.
    size_t j = i;
    while (j + 1 < robots.size() && robots[j + 1] == robots[j] + 1) ++j;
    if (i > 0) text += ", ";
    if (j >= i + 2) {
      text += std::to_string(robots[i]) + "-" + std::to_string(robots[j]);
      i = j;
    } else {
      text += std::to_string(robots[i]);
    }
  }
  return text;
}

std::string SectionBeat(const Beats& b) { return b.ToString(); }

// Problems that several robots share, reported once with the list of robots.
class GroupedProblems {
 public:
  void Add(SourcePos pos, Severity severity, const std::string& message, int robot) {
    const Key key{pos.line, pos.column, severity == Severity::kError, message};
    auto [it, inserted] = robots_.emplace(key, std::vector<int>());
    if (inserted) order_.push_back(key);
    it->second.push_back(robot + 1);
  }
  void Flush(Diagnostics* diagnostics) {
    for (const Key& key : order_) {
      const std::string text = RobotList(robots_[key]) + ": " + std::get<3>(key);
      if (std::get<2>(key)) {
        diagnostics->Error({std::get<0>(key), std::get<1>(key)}, text);
      } else {
        diagnostics->Warning({std::get<0>(key), std::get<1>(key)}, text);
      }
    }
    order_.clear();
    robots_.clear();
  }

 private:
  using Key = std::tuple<int, int, bool, std::string>;
  std::map<Key, std::vector<int>> robots_;
  std::vector<Key> order_;
};

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

// Mirrors steps about the x axis of `frame` (left <-> right).
void MirrorSteps(const Pose2& frame, std::vector<BeatStep>* steps) {
  for (BeatStep& s : *steps) {
    Pose2 local = RelativePose(frame, s.pose);
    local.y = -local.y;
    local.yaw = -local.yaw;
    s.pose = ComposePose(frame, local);
    s.foot = OtherFoot(s.foot);
  }
}

// One cue of the file, resolved, before it is handed to robots.
struct CueInstance {
  const Cue* cue = nullptr;
  int section = 0, index = 0;
  const Move* move = nullptr;
  ParamValues params;
  const std::vector<Placement>* formation = nullptr;  // formation changes
  Beats start, length, delay;
  std::vector<int> robots;
  std::string order;
  // Formation changes: how slots are shared out (number, nearest, optimal), the robot
  // sets that keep to their own slots, and robot -> slot pins (0-based).
  std::string assign = "number";
  std::vector<std::vector<int>> keep_groups;
  std::map<int, int> pins;
  bool mirror = false;
  // Reflow (ScheduleOptions::lost): any robot may take any slot of `formation` (the one
  // regenerated for the robots left, or the written one with more slots than robots)
  // but those in `blocked` (too close to a lost robot).
  bool reflowed = false;
  bool held = false;  // ScheduleOptions::hold_changes: `formation` is where they stand
  std::set<int> blocked;
};

// Checks `keep_groups` and `pin` of a formation change for the robots `who` and stores
// them in `inst`; false (with errors) when they cannot be honoured.
bool ResolveAssignOptions(const Cue& cue, const std::set<int>& who,
                          const std::map<std::string, std::vector<int>>& groups,
                          const std::vector<std::string>& group_names, int robots,
                          CueInstance* inst, Diagnostics* diagnostics) {
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

// Beats a robot at `from` needs to walk to `to` within the gait's envelope, a step every
// envelope step_beats, the closing step included (0 when it is there).
double WalkToBeats(const Pose2& from, const Pose2& to, const GaitParams& gait) {
  const double turn = WrapAngle(to.yaw - from.yaw);
  if (std::hypot(to.x - from.x, to.y - from.y) < 1e-6 && std::abs(turn) < 1e-6) return 0;
  const double steps = std::ceil(QuickestWalkSteps(from, to, gait) - 1e-9) + 1;
  return steps * gait.walk.step_beats.ToDouble();
}

// "bar 5, beat 3" of an absolute beat.
std::string BarAndBeat(double beat, int beats_per_bar) {
  const long long b = std::max(0LL, static_cast<long long>(std::floor(beat + 1e-9)));
  return "bar " + std::to_string(b / beats_per_bar + 1) + ", beat " +
         std::to_string(b % beats_per_bar + 1);
}

// m beyond kMinRobotDistance that re-planned slots and dance steps keep from a lost
// robot's pelvis (robots sway; a fallen one may still slide).
constexpr double kLostClearance = 0.1;

// Reflow: dance steps of cue `c` that would bring the robot (its feet's centre) closer
// than kMinRobotDistance + kLostClearance to a robot lost before the cue starts become
// marking time: the same feet on the same beats, each landing where it stood when the
// cue began (a travelling 进三退一 next to a fallen robot stays on the spot).
void MarkTimeNearLostRobots(const ScheduledCue& c, const std::map<int, const LostRobot*>& lost,
                            const Stance& start, std::vector<BeatStep>* steps) {
  Stance feet = start;
  bool near = false;
  for (const BeatStep& s : *steps) {
    feet.foot(s.foot) = s.pose;
    const Pose2 centre = feet.Center();
    for (const auto& [r, robot] : lost) {
      if (c.start < robot->from) continue;
      near |= std::hypot(centre.x - robot->pelvis.x, centre.y - robot->pelvis.y) <
              kMinRobotDistance + kLostClearance;
    }
  }
  if (!near) return;
  for (BeatStep& s : *steps) s.pose = start.foot(s.foot);
}

// `slots` with the `blocked` ones (closer than kMinRobotDistance + kLostClearance to a
// lost robot) moved straight away from the nearest lost robot to that distance, where
// that keeps them kMinRobotDistance from every usable slot and clear of every lost
// robot; farthest first. The others stay where they are (still blocked). A column of four
// with its third robot fallen between the third and fourth slots of the column it closes
// into keeps the first two slots and has the fourth pushed back.
std::vector<Placement> PushSlotsClear(const std::vector<Placement>& slots, const std::set<int>& blocked,
                                      const std::map<int, Pose2>& lost) {
  std::vector<Placement> out = slots;
  auto nearest_lost = [&](const Placement& p) {
    const Pose2* best = nullptr;
    double d = 1e18;
    for (const auto& [r, pelvis] : lost) {
      const double dr = std::hypot(p.x - pelvis.x, p.y - pelvis.y);
      if (dr < d) d = dr, best = &pelvis;
    }
    return std::pair{best, d};
  };
  std::vector<int> order(blocked.begin(), blocked.end());
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return nearest_lost(slots[a]).second > nearest_lost(slots[b]).second;
  });
  std::set<int> unresolved = blocked;
  for (int k : order) {
    const auto [pelvis, d] = nearest_lost(slots[k]);
    if (pelvis == nullptr || d < 1e-6) continue;
    Placement moved = slots[k];
    const double scale = (kMinRobotDistance + kLostClearance) / d;
    moved.x = pelvis->x + (slots[k].x - pelvis->x) * scale;
    moved.y = pelvis->y + (slots[k].y - pelvis->y) * scale;
    bool clear = nearest_lost(moved).second >= kMinRobotDistance + kLostClearance - 1e-9;
    for (size_t o = 0; clear && o < out.size(); ++o) {
      if (static_cast<int>(o) == k || unresolved.count(static_cast<int>(o)) > 0) continue;
      clear = std::hypot(out[o].x - moved.x, out[o].y - moved.y) >= kMinRobotDistance;
    }
    if (clear) {
      out[k] = moved;
      unresolved.erase(k);
    }
  }
  return out;
}

// Shares the slots of a formation change's robots out among them (slot per robot of
// inst.robots, in that order); empty when the pins and groups leave no way.
std::vector<int> ShareOutSlots(const CueInstance& inst, const std::vector<Pose2>& where,
                               const GaitParams& gait) {
  const std::vector<int>& robots = inst.robots;
  const size_t n = robots.size();
  std::vector<int> slot_of(robots);  // by number: robot r takes slot r
  if (inst.assign == "number") return slot_of;
  // Candidate slot j: robot j's own, or after a reflow simply the j-th slot (of m).
  const size_t m = inst.reflowed ? inst.formation->size() : n;
  auto slot_index = [&](size_t j) { return inst.reflowed ? static_cast<int>(j) : robots[j]; };
  // Which robot's keep group each robot (and so each slot) is in; -1 none.
  std::map<int, int> group;
  for (size_t g = 0; g < inst.keep_groups.size(); ++g) {
    for (int r : inst.keep_groups[g]) group[r] = static_cast<int>(g);
  }
  auto group_index = [&](int r) {
    const auto it = group.find(r);
    return it == group.end() ? -1 : it->second;
  };
  CostMatrix beats(n, std::vector<double>(m)), distance = beats, squared = beats;
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < m; ++j) {
      const int r = robots[i], slot = slot_index(j);
      const Placement& p = (*inst.formation)[static_cast<size_t>(slot)];
      const Pose2 to{p.x, p.y, p.yaw};
      bool allowed = group_index(r) == group_index(slot) && inst.blocked.count(slot) == 0;
      if (const auto pin = inst.pins.find(r); pin != inst.pins.end()) {
        allowed = allowed && pin->second == slot;
      } else {
        for (const auto& [other, pinned] : inst.pins) allowed = allowed && pinned != slot;
      }
      const double d = std::hypot(to.x - where[r].x, to.y - where[r].y);
      beats[i][j] = allowed ? WalkToBeats(where[r], to, gait) : kForbidden;
      distance[i][j] = allowed ? d : kForbidden;
      squared[i][j] = allowed ? d * d : kForbidden;
    }
  }
  const std::optional<std::vector<int>> pick =
      inst.assign == "nearest" ? MinTotalAssignment(distance)
                               : BottleneckAssignment(beats, squared);
  if (!pick) return {};
  for (size_t i = 0; i < n; ++i) slot_of[i] = slot_index(static_cast<size_t>((*pick)[i]));
  return slot_of;
}

// Shares out the slots of a formation change and plans the walks (transition.h): the
// walk of each robot of the change goes to `walk_of`; problems are reported at the cue.
// `order` is the canon order (robot k starts k delays late); `stance` the feet of every
// robot when the cue starts; `danced_until` when each robot's last steps end; `steps_start`
// when its dance steps start; `lost` the lost robots left out of it, where they lie. Pairs
// named in an error go to `reported`.
void PlanFormationChange(const CueInstance& inst, const std::vector<int>& order,
                         const std::vector<Stance>& stance, const std::vector<Beats>& danced_until,
                         const std::vector<std::vector<Beats>>& steps_start,
                         const std::map<int, Pose2>& lost, const GaitParams& gait,
                         Schedule* schedule, std::map<int, PlannedWalk>* walk_of,
                         std::set<std::pair<int, int>>* reported, GroupedProblems* problems,
                         Diagnostics* diagnostics) {
  const int robots = static_cast<int>(stance.size());
  const SourcePos pos = inst.cue->src.pos;
  std::vector<Pose2> where(static_cast<size_t>(robots));
  for (int r = 0; r < robots; ++r) where[r] = PelvisOfStance(stance[r], gait);
  const std::vector<int> slot_of = ShareOutSlots(inst, where, gait);
  if (slot_of.size() != inst.robots.size()) {
    const size_t free = inst.formation->size() - inst.blocked.size();
    diagnostics->Error(pos, inst.reflowed && free < inst.robots.size()
                                ? "only " + std::to_string(free) + " slots lie clear of the fallen robots for " +
                                      std::to_string(inst.robots.size()) + " robots"
                                : "the pins and keep_groups leave no way to share out the slots");
    return;
  }
  std::map<int, int> slot_for;
  for (size_t k = 0; k < slot_of.size(); ++k) slot_for[inst.robots[k]] = slot_of[k];
  std::vector<WalkRequest> walkers;
  for (size_t k = 0; k < order.size(); ++k) {
    const int r = order[k];
    const Placement& slot = (*inst.formation)[static_cast<size_t>(slot_for[r])];
    WalkRequest w;
    w.robot = r;
    w.feet = stance[r];
    w.goal = {slot.x, slot.y, slot.yaw};
    w.start = inst.start + inst.delay * static_cast<int64_t>(k);
    w.beats = static_cast<int>(inst.length.Floor());
    w.settle = std::max(Beats(), danced_until[r] + gait.walk.settle_beats - w.start);
    for (const Beats& next : steps_start[r]) {
      const Beats end = w.start + Beats(w.beats);
      if (end <= next && next < end + gait.walk.settle_beats) {
        w.end_settle = std::max(w.end_settle, end + gait.walk.settle_beats - next);
      }
    }
    walkers.push_back(w);
  }
  std::vector<StandingRobot> standing;
  const std::set<int> in_cue(inst.robots.begin(), inst.robots.end());
  for (int r = 0; r < robots; ++r) {
    if (in_cue.count(r) > 0) continue;
    const auto down = lost.find(r);
    standing.push_back({r, down != lost.end() ? down->second : where[r]});
  }
  TransitionOptions transition;
  if (inst.assign != "number") {
    // Robots may trade slots when neither is pinned and they keep to the same group.
    std::map<int, int> group;
    for (size_t g = 0; g < inst.keep_groups.size(); ++g) {
      for (int r : inst.keep_groups[g]) group[r] = static_cast<int>(g);
    }
    transition.can_swap = [pins = inst.pins, group](int a, int b) {
      const auto ga = group.find(a), gb = group.find(b);
      return pins.count(a) == 0 && pins.count(b) == 0 &&
             (ga == group.end() ? -1 : ga->second) == (gb == group.end() ? -1 : gb->second);
    };
  }
  TransitionPlan plan = PlanTransition(walkers, standing, gait, transition);
  for (const PlannedWalk& walk : plan.walks) (*walk_of)[walk.robot] = walk;
  if (!plan.ok && !plan.robots.empty()) {
    if (plan.too_far) {
      for (const TransitionPlan::TooFar& far : plan.too_far_robots) {
        char text[400];
        std::snprintf(text, sizeof(text),
                      "must walk %.2f m to formation '%s' in %s beats but needs %d beats (%s)",
                      far.distance, inst.cue->name.c_str(), inst.length.ToString().c_str(),
                      far.beats_needed, DescribeGaitEnvelope(gait.walk).c_str());
        problems->Add(pos, Severity::kError, text, far.robot);
      }
    } else {
      std::vector<int> numbers;
      for (int r : plan.robots) numbers.push_back(r + 1);
      std::sort(numbers.begin(), numbers.end());
      numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
      for (int a : plan.robots) {
        for (int b : plan.robots) {
          if (a < b) reported->insert({a, b});
        }
      }
      char text[300];
      const int given = static_cast<int>(inst.length.Floor());
      if (plan.beats_needed > 0) {
        std::snprintf(text, sizeof(text),
                      ": cannot keep %.1f m apart on the way to formation '%s' in the %d beats "
                      "given; the change needs %d beats",
                      kMinRobotDistance, inst.cue->name.c_str(), given, plan.beats_needed);
      } else {
        std::snprintf(text, sizeof(text),
                      ": cannot keep %.1f m apart on the way to formation '%s' in the %d beats "
                      "given, nor in %d",
                      kMinRobotDistance, inst.cue->name.c_str(), given,
                      given + kMostExtraTransitionBeats);
      }
      diagnostics->Error(pos, RobotList(numbers) + text);
    }
  }
  ScheduledTransition record;
  record.formation = inst.cue->name;
  record.start = inst.start;
  record.reflowed = inst.reflowed;
  record.held = inst.held;
  record.regenerated = inst.reflowed && !inst.held && inst.formation->size() == inst.robots.size();
  for (const PlannedWalk& walk : plan.walks) {
    record.slots.push_back({walk.goal.x, walk.goal.y, walk.goal.yaw});
  }
  record.pos = pos;
  record.walks = std::move(plan.walks);
  record.min_distance = plan.min_distance;
  record.ok = plan.ok;
  schedule->transitions.push_back(std::move(record));
}

}  // namespace

PelvisTrack RobotPelvisTrack(const RobotSchedule& robot, const GaitParams& gait) {
  PelvisTrack track;
  Stance feet = StanceAtPelvis(PoseOf(robot.start), gait);
  track.beats.push_back(robot.steps.empty()
                            ? 0.0
                            : (robot.steps.front().step.land - robot.steps.front().step.duration)
                                  .ToDouble());
  track.pelvis.push_back(PelvisOfStance(feet, gait));
  for (const ScheduledStep& s : robot.steps) {
    const double lift = (s.step.land - s.step.duration).ToDouble();
    const double land = s.step.land.ToDouble();
    if (lift > track.beats.back()) {
      track.beats.push_back(lift);
      track.pelvis.push_back(track.pelvis.back());
    }
    feet.foot(s.step.foot) = s.step.pose;
    if (land > track.beats.back()) {
      track.beats.push_back(land);
      track.pelvis.push_back(PelvisOfStance(feet, gait));
    } else {
      track.pelvis.back() = PelvisOfStance(feet, gait);  // steps that overlap: keep the last
    }
  }
  return track;
}

std::vector<Placement> Schedule::StartPlacements() const {
  std::vector<Placement> out;
  for (const RobotSchedule& r : robots) out.push_back(r.start);
  return out;
}

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

std::optional<double> WavDuration(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  auto u32 = [](const unsigned char* p) {
    return static_cast<uint32_t>(p[0]) | static_cast<uint32_t>(p[1]) << 8 |
           static_cast<uint32_t>(p[2]) << 16 | static_cast<uint32_t>(p[3]) << 24;
  };
  unsigned char header[12];
  if (!in.read(reinterpret_cast<char*>(header), 12)) return std::nullopt;
  if (std::string(reinterpret_cast<char*>(header), 4) != "RIFF" ||
      std::string(reinterpret_cast<char*>(header) + 8, 4) != "WAVE") {
    return std::nullopt;
  }
  uint32_t byte_rate = 0;
  for (int chunks = 0; chunks < 64; ++chunks) {
    unsigned char chunk[8];
    if (!in.read(reinterpret_cast<char*>(chunk), 8)) return std::nullopt;
    const std::string id(reinterpret_cast<char*>(chunk), 4);
    const uint32_t size = u32(chunk + 4);
    if (id == "fmt ") {
      unsigned char fmt[16];
      if (size < 16 || !in.read(reinterpret_cast<char*>(fmt), 16)) return std::nullopt;
      byte_rate = u32(fmt + 8);
      in.seekg(static_cast<std::streamoff>(size - 16 + (size & 1)), std::ios::cur);
    } else if (id == "data") {
      if (byte_rate == 0) return std::nullopt;
      return static_cast<double>(size) / byte_rate;
    } else {
      in.seekg(static_cast<std::streamoff>(size + (size & 1)), std::ios::cur);
    }
    if (!in) return std::nullopt;
  }
  return std::nullopt;
}

Schedule BuildSchedule(const Show& show, const ScheduleOptions& options, Diagnostics* diagnostics) {
  const MoveRegistry& registry = options.moves != nullptr ? *options.moves : BuiltinMoves();
  Schedule schedule;
  // Values out of range were reported by the parser; plan with the defaults instead.
  schedule.clock = show.clock();
  if (!(schedule.clock.bpm >= 20 && schedule.clock.bpm <= 400)) schedule.clock.bpm = 120;
  if (!(schedule.clock.offset >= 0 && schedule.clock.offset <= 3600)) schedule.clock.offset = 0;
  schedule.beats_per_bar = show.beats_per_bar_or_default();
  if (schedule.beats_per_bar < 1 || schedule.beats_per_bar > 16) schedule.beats_per_bar = 4;
  schedule.gait = options.gait;
  const double bpm = schedule.clock.bpm;
  const int bpb = schedule.beats_per_bar;

  // ---- Troupe ----
  int robots = 0;
  if (show.troupe.robots) {
    const int n = *show.troupe.robots;
    if (n < 1 || n > kMaxShowRobots) {
      diagnostics->Error(show.troupe.src.At("robots"),
                         "'robots' " + std::to_string(n) + " is out of range (1 to " +
                             std::to_string(kMaxShowRobots) + " robots)");
    } else {
      robots = n;
    }
  }
  if (!show.troupe.model.empty() && show.troupe.model != "builtin") {
    std::filesystem::path model(show.troupe.model);
    if (model.is_relative() && !options.base_dir.empty()) model = options.base_dir / model;
    std::error_code ec;
    if (!std::filesystem::exists(model, ec)) {
      diagnostics->Error(show.troupe.src.At("model"),
                         "robot model not found: " + show.troupe.model +
                             " (paths are relative to the show file; 'builtin' is the built-in "
                             "H1-class robot)");
    }
  }

  // ---- Formations ----
  std::vector<std::string> formation_names;
  for (const FormationDef& f : show.formations) {
    formation_names.push_back(f.name);
    std::vector<Placement> slots = FormationSlots(f, robots, bpm, diagnostics);
    if (robots > 0 && static_cast<int>(slots.size()) == robots) {
      schedule.formations[f.name] = std::move(slots);
    }
  }
  std::set<std::string> used_formations;
  std::string start_name = show.troupe.start;
  if (start_name.empty() && !show.formations.empty()) start_name = show.formations.front().name;
  if (!show.troupe.start.empty() && std::find(formation_names.begin(), formation_names.end(),
                                              start_name) == formation_names.end()) {
    diagnostics->Error(show.troupe.src.At("start"), "unknown formation " + Quote(start_name) +
                                                        DidYouMean(start_name, formation_names));
  }
  if (show.formations.empty() && show.src.key_pos.count("formations") > 0) {
    diagnostics->Error(show.src.At("formations"),
                       "no formations: the robots need a start formation");
  }
  used_formations.insert(start_name);
  Layout layout;
  if (const auto it = schedule.formations.find(start_name); it != schedule.formations.end()) {
    layout.starts = it->second;
  } else if (robots > 0) {
    robots = 0;  // no valid start formation: nothing per robot can be checked
  }
  schedule.robots.resize(static_cast<size_t>(robots));
  for (int r = 0; r < robots; ++r) schedule.robots[r].start = layout.starts[r];

  // ---- Groups ----
  std::map<std::string, std::vector<int>> groups;
  for (const std::string& name : BuiltinGroups()) {
    groups[name] = RuleRobots(name, {}, layout, {}, diagnostics);
  }
  std::vector<std::string> group_names = BuiltinGroups();
  for (const GroupDef& g : show.troupe.groups) {
    if (std::find(BuiltinGroups().begin(), BuiltinGroups().end(), g.name) !=
        BuiltinGroups().end()) {
      diagnostics->Error(g.src.pos, "group " + Quote(g.name) + " is built in; choose another name");
      continue;
    }
    group_names.push_back(g.name);
    std::vector<int> members;
    if (g.rule.empty()) {
      for (int n : g.robots) {
        if (robots > 0 && (n < 1 || n > robots)) {
          diagnostics->Error(g.src.pos, "group " + Quote(g.name) + ": robot " + std::to_string(n) +
                                            " does not exist (robots are 1 to " +
                                            std::to_string(robots) + ")");
        } else if (robots > 0) {
          members.push_back(n - 1);
        }
      }
    } else if (robots > 0) {
      members = RuleRobots(g.rule, g.numbers, layout, g.src.pos, diagnostics);
    }
    std::sort(members.begin(), members.end());
    members.erase(std::unique(members.begin(), members.end()), members.end());
    groups[g.name] = members;
  }

  // ---- Music ----
  std::optional<double> music_end;
  if (!show.music.empty()) {
    std::filesystem::path music(show.music);
    if (music.is_relative() && !options.base_dir.empty()) music = options.base_dir / music;
    std::error_code ec;
    if (!std::filesystem::exists(music, ec)) {
      diagnostics->Warning(show.src.At("music"),
                           "music file not found: " + show.music +
                               (std::filesystem::path(show.music).is_relative()
                                    ? " (paths are relative to the show file)"
                                    : ""));
    } else {
      music_end = WavDuration(music.string());
    }
  }

  // ---- Sections and cues ----
  const Beats grid = BeatGrid();
  std::vector<CueInstance> instances;
  int cue_count = 0;
  std::vector<std::pair<std::pair<Beats, Beats>, SourcePos>> section_ranges;  // [start, end]
  Beats previous_end;
  std::string previous_name;
  for (size_t si = 0; si < show.timeline.size(); ++si) {
    const Section& section = show.timeline[si];
    const SourcePos at_pos = section.src.At("at");
    const Beats beat_in_bar = section.at.beat - Beats(1);
    bool section_ok = true;
    if (beat_in_bar >= Beats(bpb)) {
      diagnostics->Error(at_pos, "beat " + section.at.beat.ToString() + " does not exist in a " +
                                     std::to_string(bpb) + "-beat bar");
      section_ok = false;
    }
    const Beats start = Beats(static_cast<int64_t>(section.at.bar - 1) * bpb) + beat_in_bar;
    if (!start.IsMultipleOf(grid)) {
      diagnostics->Error(at_pos, "section starts off the beat grid (on quarter beats)");
      section_ok = false;
    }
    Beats length;
    if (section.beats) {
      length = *section.beats;
      if (length <= Beats(0)) {
        diagnostics->Error(section.src.At("beats"), "section length must be positive, found " +
                                                        length.ToString() + " beats");
        section_ok = false;
      } else if (!length.IsMultipleOf(grid)) {
        diagnostics->Error(
            section.src.At("beats"),
            "section length " + length.ToString() + " beats is off the beat grid (quarter beats)");
        section_ok = false;
      }
    } else {
      section_ok = false;
    }
    if (!section_ok) continue;
    const Beats end = start + length;
    if (schedule.clock.Time(end) > kMaxShowSeconds) {
      char text[160];
      std::snprintf(text, sizeof(text), "section '%s' ends at %.0f s; a show lasts at most %.0f s",
                    section.name.c_str(), schedule.clock.Time(end), kMaxShowSeconds);
      diagnostics->Error(at_pos, text);
      continue;
    }
    if (si > 0 && start < previous_end) {
      diagnostics->Warning(at_pos, "section " + Quote(section.name) + " starts before section " +
                                       Quote(previous_name) + " ends");
    }
    section_ranges.push_back({{start, end}, at_pos});
    previous_end = std::max(previous_end, end);
    previous_name = section.name;
    schedule.end = std::max(schedule.end, end);
    if (music_end && schedule.clock.Time(end) > *music_end + 1e-6) {
      char text[200];
      std::snprintf(text, sizeof(text),
                    "section '%s' ends at %.2f s, after the end of the music (%.2f s)",
                    section.name.c_str(), schedule.clock.Time(end), *music_end);
      diagnostics->Error(at_pos, text);
    }

    for (size_t ci = 0; ci < section.cues.size(); ++ci) {
      const Cue& cue = section.cues[ci];
      if (++cue_count > kMaxShowCues) {
        diagnostics->Error(cue.src.pos, "more than " + std::to_string(kMaxShowCues) +
                                            " cues in the show; the rest are not checked");
        break;
      }
      CueInstance inst;
      inst.cue = &cue;
      inst.section = static_cast<int>(si);
      inst.index = static_cast<int>(ci);
      const SourcePos name_pos = cue.src.pos;
      bool ok = true;
      // What it does.
      if (cue.name.empty()) {
        ok = false;  // no or a malformed name: reported by the parser
      } else if (cue.kind == CueKind::kMove) {
        inst.move = registry.Find(cue.name);
        if (inst.move == nullptr) {
          diagnostics->Error(
              name_pos, "unknown move " + Quote(cue.name) + DidYouMean(cue.name, registry.Names()));
          ok = false;
        }
      } else if (cue.kind == CueKind::kHanky) {
        const std::vector<std::string>& actions = HankyActions();  // hanky: spin/flick/throw
        if (std::find(actions.begin(), actions.end(), cue.name) != actions.end())
          inst.move = registry.Find(HankyMoveName(cue.name));
        if (inst.move == nullptr) {
          diagnostics->Error(name_pos, "unknown hanky action " + Quote(cue.name) +
                                           DidYouMean(cue.name, actions) +
                                           "; actions: spin, flick, throw");
          ok = false;
        }
      } else {
        inst.move = registry.Find("walk_to");
        used_formations.insert(cue.name);
        if (std::find(formation_names.begin(), formation_names.end(), cue.name) ==
            formation_names.end()) {
          diagnostics->Error(name_pos, "unknown formation " + Quote(cue.name) +
                                           DidYouMean(cue.name, formation_names));
          ok = false;
        } else if (const auto it = schedule.formations.find(cue.name);
                   it != schedule.formations.end()) {
          inst.formation = &it->second;
        } else {
          ok = false;  // the formation itself has errors, reported there
        }
        for (const Param& p : cue.params) {
          diagnostics->Error(p.src.pos, "unknown key " + Quote(p.name) + " in a formation change" +
                                            DidYouMean(p.name, ReservedCueKeys()) +
                                            "; it takes who, at, beats, canon, order and assign");
        }
        if (cue.mirror) {
          diagnostics->Warning(cue.src.At("mirror"), "mirror has no effect on a formation change");
        }
      }
      if (inst.move != nullptr && cue.kind != CueKind::kFormation) {
        Diagnostics local;
        inst.params = ResolveParams(inst.move->spec().params, cue.params,
                                    cue.kind == CueKind::kHanky ? "hanky " + cue.name : cue.name,
                                    bpm, ReservedCueKeys(), &local);
        for (const Diagnostic& d : local.items()) diagnostics->Error(d.pos, d.message);
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
        diagnostics->Error(cue_at, "'at' must not be negative, found " + at.ToString());
        ok = false;
      } else if (!at.IsMultipleOf(legs ? Beats(1) : grid)) {
        diagnostics->Error(
            cue_at, legs ? what +
                               " drives the legs: it must start on a whole beat "
                               "(steps land on beats), found at " +
                               at.ToString()
                         : "cue starts off the beat grid (quarter beats) at " + at.ToString());
        ok = false;
      } else if (at >= length) {
        diagnostics->Error(cue_at, "cue starts at beat " + at.ToString() +
                                       " of the section, past its end (" + length.ToString() +
                                       " beats)");
        ok = false;
      }
      const Beats beats = cue.beats.value_or(length - at);
      if (cue.beats) {
        if (beats <= Beats(0)) {
          diagnostics->Error(cue_beats,
                             "cue length must be positive, found " + beats.ToString() + " beats");
          ok = false;
        } else if (!beats.IsMultipleOf(legs ? Beats(1) : grid)) {
          diagnostics->Error(cue_beats, legs ? what +
                                                   " drives the legs: it must last whole beats, "
                                                   "found " +
                                                   beats.ToString()
                                             : "cue length " + beats.ToString() +
                                                   " beats is off the beat grid (quarter beats)");
          ok = false;
        } else if (at + beats > length) {
          diagnostics->Error(cue_beats, "cue ends on beat " + SectionBeat(at + beats) +
                                            " of the section, past its end (" + length.ToString() +
                                            " beats)");
          ok = false;
        }
      }
      if (ok && spec != nullptr) {
        if (spec->cycle_beats > 0 && !beats.IsMultipleOf(Beats(spec->cycle_beats))) {
          diagnostics->Error(cue_beats, spec->name + " takes " + std::to_string(spec->cycle_beats) +
                                            " beats a cycle; " + beats.ToString() +
                                            " beats is not a whole number of cycles");
          ok = false;
        } else if (beats < Beats(spec->min_beats)) {
          diagnostics->Error(cue_beats, spec->name + " needs at least " +
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
          diagnostics->Error(pos, "canon delay must not be negative, found " + delay.ToString());
          ok = false;
        } else if (!delay.IsMultipleOf(legs ? Beats(1) : grid)) {
          diagnostics->Error(
              pos,
              legs ? "canon delay of a leg cue must be whole beats, found " + delay.ToString()
                   : "canon delay " + delay.ToString() + " is off the beat grid (quarter beats)");
          ok = false;
        }
      }
      static const std::vector<std::string> kOrders = {"number", "left_to_right", "right_to_left",
                                                       "front_to_back", "back_to_front"};
      if (!cue.order.empty()) {
        if (std::find(kOrders.begin(), kOrders.end(), cue.order) == kOrders.end()) {
          diagnostics->Error(cue.src.At("order"),
                             "unknown canon order " + Quote(cue.order) +
                                 DidYouMean(cue.order, kOrders) +
                                 "; orders: number, left_to_right, "
                                 "right_to_left, front_to_back, back_to_front");
          ok = false;
        } else if (!cue.canon) {
          diagnostics->Warning(cue.src.At("order"), "'order' has no effect without 'canon'");
        }
      }
      const bool assign_options = !cue.keep_groups.empty() || !cue.pins.empty();
      if (!cue.assign.empty() || assign_options) {
        static const std::vector<std::string> kAssign = {"number", "nearest", "optimal"};
        const SourcePos pos = cue.assign_src.key_pos.count("by") > 0 ? cue.assign_src.At("by")
                                                                     : cue.src.At("assign");
        if (!cue.assign.empty() &&
            std::find(kAssign.begin(), kAssign.end(), cue.assign) == kAssign.end()) {
          diagnostics->Error(pos, "unknown slot assignment " + Quote(cue.assign) +
                                      DidYouMean(cue.assign, kAssign) +
                                      "; assign: number, nearest or optimal");
          ok = false;
        } else if (cue.kind != CueKind::kFormation) {
          diagnostics->Warning(cue.src.At("assign"),
                               "'assign' has effect only on formation changes");
        } else if (cue.assign == "number" && assign_options) {
          diagnostics->Error(pos,
                             "with 'by: number' robot i takes slot i; 'keep_groups' and 'pin' "
                             "need 'by: nearest' or 'by: optimal'");
          ok = false;
        }
      }
      // Who.
      std::set<int> who;
      if (cue.who.empty()) {
        for (int r = 0; r < robots; ++r) who.insert(r);
      }
      for (size_t w = 0; w < cue.who.size(); ++w) {
        const std::string& entry = cue.who[w];
        const SourcePos pos = w < cue.who_pos.size() ? cue.who_pos[w] : cue.src.At("who");
        if (const std::optional<long long> n = ParseInteger(entry)) {
          if (*n < 1 || (robots > 0 && *n > robots)) {
            diagnostics->Error(pos, "robot " + entry + " does not exist (robots are 1 to " +
                                        std::to_string(std::max(robots, 1)) + ")");
            ok = false;
          } else if (robots > 0) {
            who.insert(static_cast<int>(*n - 1));
          }
        } else if (const auto it = groups.find(entry); it != groups.end()) {
          who.insert(it->second.begin(), it->second.end());
        } else {
          diagnostics->Error(pos, "unknown group " + Quote(entry) + DidYouMean(entry, group_names));
          ok = false;
        }
      }
      if (ok && who.empty() && robots > 0) {
        diagnostics->Warning(cue.src.At("who"), "cue has no robots");
      }
      if (ok && cue.canon && who.size() > 1) {
        const Beats last_end = at + beats + delay * static_cast<int64_t>(who.size() - 1);
        if (last_end > length) {
          diagnostics->Error(cue.src.At("canon"),
                             "canon: the last of " + std::to_string(who.size()) +
                                 " robots ends on beat " + last_end.ToString() +
                                 " of the section, past its end (" + length.ToString() + " beats)");
          ok = false;
        }
      }
      if (!ok || robots == 0) continue;
      inst.start = start + at;
      inst.length = beats;
      inst.delay = delay;
      inst.robots.assign(who.begin(), who.end());
      inst.order = cue.order;
      inst.assign = cue.assign.empty() ? (assign_options ? "optimal" : "number") : cue.assign;
      if (cue.kind == CueKind::kFormation && assign_options &&
          !ResolveAssignOptions(cue, who, groups, group_names, robots, &inst, diagnostics)) {
        continue;
      }
      inst.mirror = cue.mirror && cue.kind != CueKind::kFormation;
      instances.push_back(std::move(inst));
    }
  }
  for (const FormationDef& f : show.formations) {
    if (used_formations.count(f.name) == 0) {
      diagnostics->Warning(f.src.pos, "formation " + Quote(f.name) + " is never used");
    }
  }
  if (show.timeline.empty() && show.src.key_pos.count("timeline") > 0) {
    diagnostics->Warning(show.src.At("timeline"), "the timeline is empty");
  }
  if (robots == 0) return schedule;

  // ---- Robots: canon order and mirror sides from where the robots are ----
  GroupedProblems problems;
  std::set<std::pair<int, int>> reported;  // pairs of robots already named in an error
  const FootstepPlanner planner(PlannerParams(options.gait));
  const FootstepPlanner walk_planner(WalkPlannerParams(options.gait));
  std::vector<Stance> stance(static_cast<size_t>(robots));
  for (int r = 0; r < robots; ++r)
    stance[r] = StanceAtPelvis(PoseOf(layout.starts[r]), options.gait);
  // When each robot's last steps (dance steps or walks) end.
  std::vector<Beats> danced_until(static_cast<size_t>(robots), Beats(-1000));
  // When each robot's dance steps (stepping leg cues other than formation changes) start:
  // a walk just before them ends the envelope's settle_beats early.
  std::vector<std::vector<Beats>> steps_start(static_cast<size_t>(robots));
  for (const CueInstance& inst : instances) {
    if (inst.formation != nullptr || !(inst.move->spec().limbs & kLegs)) continue;
    std::vector<BeatStep> steps;
    StepContext context{stance[0], inst.length, &options.gait, &planner, /*end_only=*/true};
    if (!inst.move->PlanSteps(context, inst.params, &steps).empty() || steps.empty()) continue;
    for (size_t k = 0; k < inst.robots.size(); ++k) {
      steps_start[inst.robots[k]].push_back(inst.start + inst.delay * static_cast<int64_t>(k));
    }
  }
  std::stable_sort(instances.begin(), instances.end(),
                   [](const CueInstance& a, const CueInstance& b) { return a.start < b.start; });
  // Lost robots (reflow): robot -> its entry; regenerated formations by (name, robots).
  std::map<int, const LostRobot*> lost_robots;
  for (const LostRobot& lost : options.lost) {
    if (lost.robot >= 0 && lost.robot < robots) lost_robots[lost.robot] = &lost;
  }
  std::map<std::pair<std::string, int>, std::vector<Placement>> regenerated, pushed_clear;
  std::map<double, std::vector<Placement>> held_in_place;  // by the change's beat
  for (CueInstance inst : instances) {
    // Reflow: lost robots leave the cue; a change of everyone left gets a formation for
    // their number (generated once per formation and count; std::map keeps it in place).
    std::map<int, Pose2> lost_here;
    for (const auto& [r, lost] : lost_robots) {
      if (inst.start >= lost->from) lost_here[r] = lost->pelvis;
    }
    if (!lost_here.empty()) {
      const size_t everyone = inst.robots.size();
      std::erase_if(inst.robots, [&](int r) { return lost_here.count(r) > 0; });
      if (inst.robots.empty()) continue;
      const int left = static_cast<int>(inst.robots.size());
      // Slots closer to a lost robot than robots may come, with kLostClearance to spare
      // (a robot dancing on a slot 0.61 m from a fallen one swayed to 0.59 m).
      auto blocked_slots = [&](const std::vector<Placement>& slots) {
        std::set<int> blocked;
        for (size_t k = 0; k < slots.size(); ++k) {
          for (const auto& [r, pelvis] : lost_here) {
            if (std::hypot(slots[k].x - pelvis.x, slots[k].y - pelvis.y) <
                kMinRobotDistance + kLostClearance - 1e-9) {
              blocked.insert(static_cast<int>(k));
            }
          }
        }
        return blocked;
      };
      if (inst.formation != nullptr && everyone == static_cast<size_t>(robots) &&
          left < robots) {
        const auto def =
            std::find_if(show.formations.begin(), show.formations.end(),
                         [&](const FormationDef& f) { return f.name == inst.cue->name; });
        const std::pair<std::string, int> key{inst.cue->name, left};
        if (options.regenerate_formations && def != show.formations.end() &&
            regenerated.count(key) == 0) {
          Diagnostics ignored;  // the formation was checked for all the robots
          std::vector<Placement> slots = FormationSlots(*def, left, bpm, &ignored);
          if (static_cast<int>(slots.size()) == left && !ignored.has_errors()) {
            regenerated[key] = std::move(slots);
          }
        }
        // The formation for the robots left when none of its slots is blocked; else the
        // written one, its free slots (the lost robot keeps the place it fell on); when
        // those are too few, the written one with blocked slots pushed clear.
        const auto it = regenerated.find(key);
        if (options.regenerate_formations && it != regenerated.end() &&
            blocked_slots(it->second).empty()) {
          inst.formation = &it->second;
        } else {
          inst.blocked = blocked_slots(*inst.formation);
          if (static_cast<int>(inst.formation->size() - inst.blocked.size()) < left) {
            std::vector<Placement>& slots = pushed_clear[key];
            slots = PushSlotsClear(*inst.formation, inst.blocked, lost_here);
            inst.formation = &slots;
            inst.blocked = blocked_slots(slots);
          }
        }
        inst.reflowed = true;
        inst.pins.clear();
        inst.keep_groups.clear();
        if (inst.assign == "number") inst.assign = "optimal";
      }
      if (inst.formation != nullptr &&
          std::find(options.hold_changes.begin(), options.hold_changes.end(), inst.start) !=
              options.hold_changes.end()) {
        // Held: the slots are where the robots stand (each its own, at no distance), but
        // for those too close to a lost robot, pushed clear of it where they can be.
        std::vector<Placement> here;
        for (int r : inst.robots) {
          const Pose2 at = PelvisOfStance(stance[r], options.gait);
          here.push_back({at.x, at.y, at.yaw});
        }
        std::vector<Placement>& slots = held_in_place[inst.start.ToDouble()];
        slots = PushSlotsClear(here, blocked_slots(here), lost_here);
        inst.formation = &slots;
        inst.blocked.clear();
        inst.reflowed = inst.held = true;
        inst.pins.clear();
        inst.keep_groups.clear();
        inst.assign = "optimal";
      }
    }
    std::vector<Pose2> where(static_cast<size_t>(robots));
    for (int r : inst.robots) where[r] = PelvisOfStance(stance[r], options.gait);
    std::vector<int> order = inst.robots;
    auto sort_by = [&](auto key) {
      std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return key(a) < key(b); });
    };
    if (inst.order == "left_to_right") sort_by([&](int r) { return -where[r].y; });
    if (inst.order == "right_to_left") sort_by([&](int r) { return where[r].y; });
    if (inst.order == "front_to_back") sort_by([&](int r) { return -where[r].x; });
    if (inst.order == "back_to_front") sort_by([&](int r) { return where[r].x; });
    // Formation changes: slots shared out, then walks planned clear of each other.
    std::map<int, PlannedWalk> walk_of;
    if (inst.formation != nullptr) {
      PlanFormationChange(inst, order, stance, danced_until, steps_start, lost_here, options.gait,
                          &schedule, &walk_of, &reported, &problems, diagnostics);
    }
    double centre_y = 0;
    for (int r : inst.robots) centre_y += where[r].y / static_cast<double>(inst.robots.size());
    for (size_t k = 0; k < order.size(); ++k) {
      const int r = order[k];
      ScheduledCue sc;
      sc.move = inst.move;
      sc.params = inst.params;
      const auto walk = walk_of.find(r);
      if (walk != walk_of.end()) {
        const Pose2& slot = walk->second.goal;
        sc.params.numbers = {slot.x, slot.y, slot.yaw * kDegPerRad};
        sc.params.words = {"", "", ""};
        sc.planned = true;
        sc.planned_steps = walk->second.steps;
      }
      sc.mirror = inst.mirror && where[r].y < centre_y - 1e-6;
      sc.start = inst.start + inst.delay * static_cast<int64_t>(k);
      sc.length = inst.length;
      sc.limbs = inst.move->spec().limbs;
      sc.pos = inst.cue->src.pos;
      sc.section = inst.section;
      sc.cue = inst.index;
      // Track where leg cues leave the robot (in this order; replanned below in time order).
      if (sc.planned) {
        for (const BeatStep& s : sc.planned_steps) stance[r].foot(s.foot) = s.pose;
        if (!sc.planned_steps.empty()) danced_until[r] = std::max(danced_until[r], sc.start + sc.length);
      } else if (sc.limbs & kLegs) {
        std::vector<BeatStep> steps;
        // Every step (not only where they end) when they may have to mark time.
        const bool near_lost = !lost_robots.empty() && lost_robots.count(r) == 0;
        StepContext context{stance[r], sc.length, &options.gait, &planner, /*end_only=*/!near_lost};
        if (inst.move->PlanSteps(context, sc.params, &steps).empty()) {
          if (sc.mirror && inst.move->spec().name != "walk_to")
            MirrorSteps(stance[r].Center(), &steps);
          if (near_lost) MarkTimeNearLostRobots(sc, lost_robots, stance[r], &steps);
          for (const BeatStep& s : steps) stance[r].foot(s.foot) = s.pose;
          if (!steps.empty()) danced_until[r] = std::max(danced_until[r], sc.start + sc.length);
        }
      }
      schedule.robots[r].cues.push_back(std::move(sc));
    }
  }

  // ---- Robots: overlaps and footsteps in time order ----
  for (int r = 0; r < robots; ++r) {
    RobotSchedule& rs = schedule.robots[r];
    std::stable_sort(
        rs.cues.begin(), rs.cues.end(),
        [](const ScheduledCue& a, const ScheduledCue& b) { return a.start < b.start; });
    // Overlaps: per limb, the cue that ends last so far.
    int last[4] = {-1, -1, -1, -1};
    for (size_t i = 0; i < rs.cues.size(); ++i) {
      const ScheduledCue& c = rs.cues[i];
      for (int limb = 0; limb < 4; ++limb) {
        if (!(c.limbs & (1u << limb))) continue;
        const int j = last[limb];
        if (j >= 0 && c.start < rs.cues[j].start + rs.cues[j].length) {
          const ScheduledCue& other = rs.cues[j];
          problems.Add(c.pos, Severity::kError,
                       c.move->spec().name + " overlaps " + other.move->spec().name + " (line " +
                           std::to_string(other.pos.line) + ") on the " + LimbNames(1u << limb),
                       r);
        }
        if (j < 0 || c.start + c.length > rs.cues[j].start + rs.cues[j].length) {
          last[limb] = static_cast<int>(i);
        }
      }
    }
    // Footsteps.
    Stance feet = StanceAtPelvis(PoseOf(rs.start), options.gait);
    for (size_t i = 0; i < rs.cues.size(); ++i) {
      const ScheduledCue& c = rs.cues[i];
      if (!(c.limbs & kLegs)) continue;
      std::vector<BeatStep> steps;
      std::string why;
      if (c.planned) {
        steps = c.planned_steps;  // a formation change: the walk planned with the others
      } else {
        StepContext context{feet, c.length, &options.gait, &planner};
        why = c.move->PlanSteps(context, c.params, &steps);
      }
      if (!why.empty()) {
        problems.Add(c.pos, Severity::kError, why, r);
        continue;
      }
      if (c.mirror && c.move->spec().name != "walk_to") MirrorSteps(feet.Center(), &steps);
      if (!c.planned && lost_robots.count(r) == 0) MarkTimeNearLostRobots(c, lost_robots, feet, &steps);
      if (!steps.empty() && schedule.clock.Time(c.start) < options.gait.min_first_step &&
          rs.steps.empty()) {
        char text[200];
        std::snprintf(text, sizeof(text),
                      "the first step starts %.2f s into the show; robots need %.1f s to shift "
                      "their weight first (add an offset or start later)",
                      schedule.clock.Time(c.start), options.gait.min_first_step);
        problems.Add(c.pos, Severity::kWarning, text, r);
      }
      for (size_t k = 0; k < steps.size(); ++k) {
        BeatStep s = steps[k];
        // Walks keep within the gait's envelope, dance steps within the dance limits.
        const FootstepPlanner& checker =
            c.planned || c.move->spec().name == "walk_to" ? walk_planner : planner;
        const std::string bad =
            checker.CheckStep(s.foot, s.pose, feet.foot(OtherFoot(s.foot)), s.allow_cross);
        if (!bad.empty()) {
          problems.Add(c.pos, Severity::kError,
                       c.move->spec().name + " step " + std::to_string(k + 1) + " (" +
                           FootName(s.foot) + " foot): " + bad,
                       r);
          break;
        }
        feet.foot(s.foot) = s.pose;
        s.land = c.start + s.land;
        rs.steps.push_back({s, static_cast<int>(i)});
      }
    }
    rs.final_stance = feet;
  }
  problems.Flush(diagnostics);

  // ---- Robots that come too close, at any instant ----
  // The pelvis of each robot as its footsteps place it, moving linearly during each
  // step (see transition.h for why this checks the compiled feet exactly).
  std::vector<PelvisTrack> tracks;
  for (const RobotSchedule& rs : schedule.robots) {
    tracks.push_back(RobotPelvisTrack(rs, options.gait));
  }
  for (int i = 0; i < robots; ++i) {
    for (int j = i + 1; j < robots; ++j) {
      // A lost robot's track is its plan, not where it lies; the transitions were planned
      // clear of where it lies.
      if (lost_robots.count(i) > 0 || lost_robots.count(j) > 0) continue;
      const Approach approach = ClosestApproach(tracks[i], tracks[j]);
      schedule.min_separation = std::min(schedule.min_separation, approach.distance);
      if (approach.distance >= kMinRobotDistance - 1e-9 || reported.count({i, j}) > 0) continue;
      const Pose2 a = tracks[i].pelvis.front(), b = tracks[j].pelvis.front();
      if (std::hypot(a.x - b.x, a.y - b.y) < kMinRobotDistance - 1e-9) continue;  // slots: reported
      // The cue of the step that brought them closest: the one moving then, or last.
      SourcePos pos;
      Beats latest(-1);
      for (int r : {i, j}) {
        const RobotSchedule& rs = schedule.robots[r];
        for (const ScheduledStep& s : rs.steps) {
          if ((s.step.land - s.step.duration).ToDouble() > approach.beat + 1e-9) break;
          if (s.step.land >= latest) {
            latest = s.step.land;
            pos = rs.cues[static_cast<size_t>(s.cue)].pos;
          }
        }
      }
      if (pos.line == 0) {
        for (const auto& [range, at] : section_ranges) {
          if (range.first.ToDouble() <= approach.beat && approach.beat <= range.second.ToDouble()) {
            pos = at;
          }
        }
      }
      char text[200];
      std::snprintf(text, sizeof(text),
                    "robots %d and %d come within %.2f m of each other on %s (they must keep "
                    "%.1f m apart)",
                    i + 1, j + 1, approach.distance, BarAndBeat(approach.beat, bpb).c_str(),
                    kMinRobotDistance);
      diagnostics->Error(pos, text);
    }
  }
  CheckHankyThrows(show, schedule, diagnostics);  // hanky: throw (hanky_throw_cue.h)
  return schedule;
}

}  // namespace yangbot
