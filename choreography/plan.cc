#include "choreography/plan.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "choreography/assignment.h"

namespace yangbot {
namespace {

constexpr double kDegPerRad = 180.0 / M_PI;

Pose2 PoseOf(const Placement& p) { return {p.x, p.y, p.yaw}; }

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

// A cue as this plan hands it out: its robots and, for a formation change, how its slots
// are shared out, after any reflow (reflow.h).
struct PlannedCue {
  const ResolvedCue* cue = nullptr;
  std::vector<int> robots;
  SlotAssign assign = SlotAssign::kNumber;
  std::vector<std::vector<int>> keep_groups;
  std::map<int, int> pins;
  ReflowedChange change;  // slots: the formation walked to (nullptr: not a change)
};

// Beats a robot at `from` needs to walk to `to` within the gait's envelope, a step every
// envelope step_beats, the closing step included (0 when it is there).
double WalkToBeats(const Pose2& from, const Pose2& to, const GaitParams& gait) {
  const double turn = WrapAngle(to.yaw - from.yaw);
  if (std::hypot(to.x - from.x, to.y - from.y) < 1e-6 && std::abs(turn) < 1e-6) return 0;
  const double steps = std::ceil(QuickestWalkSteps(from, to, gait) - 1e-9) + 1;
  return steps * gait.walk.step_beats.ToDouble();
}

// Shares the slots of a formation change's robots out among them (slot per robot of
// inst.robots, in that order); empty when the pins and groups leave no way.
std::vector<int> ShareOutSlots(const PlannedCue& inst, const std::vector<Pose2>& where,
                               const GaitParams& gait) {
  const std::vector<int>& robots = inst.robots;
  const size_t n = robots.size();
  std::vector<int> slot_of(robots);  // by number: robot r takes slot r
  if (inst.assign == SlotAssign::kNumber) return slot_of;
  // Candidate slot j: robot j's own, or after a reflow simply the j-th slot (of m).
  const size_t m = inst.change.reflowed ? inst.change.slots->size() : n;
  auto slot_index = [&](size_t j) { return inst.change.reflowed ? static_cast<int>(j) : robots[j]; };
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
      const Placement& p = (*inst.change.slots)[static_cast<size_t>(slot)];
      const Pose2 to{p.x, p.y, p.yaw};
      bool allowed = group_index(r) == group_index(slot) && inst.change.blocked.count(slot) == 0;
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
      inst.assign == SlotAssign::kNearest ? MinTotalAssignment(distance)
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
// named in an error go to `reported`, walks too far for the beats to `too_far`.
void PlanFormationChange(const PlannedCue& inst, const std::vector<int>& order,
                         const std::vector<Stance>& stance, const std::vector<Beats>& danced_until,
                         const std::vector<std::vector<Beats>>& steps_start,
                         const LyingRobots& lost, const GaitParams& gait,
                         Schedule* schedule, std::map<int, PlannedWalk>* walk_of,
                         std::set<std::pair<int, int>>* reported,
                         std::vector<RobotProblem>* too_far, Diagnostics* diagnostics) {
  const int robots = static_cast<int>(stance.size());
  const SourcePos pos = inst.cue->pos;
  std::vector<Pose2> where(static_cast<size_t>(robots));
  for (int r = 0; r < robots; ++r) where[r] = PelvisOfStance(stance[r], gait);
  const std::vector<int> slot_of = ShareOutSlots(inst, where, gait);
  if (slot_of.size() != inst.robots.size()) {
    const size_t free = inst.change.slots->size() - inst.change.blocked.size();
    diagnostics->Error(pos, inst.change.reflowed && free < inst.robots.size()
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
    const Placement& slot = (*inst.change.slots)[static_cast<size_t>(slot_for[r])];
    WalkRequest w;
    w.robot = r;
    w.feet = stance[r];
    w.goal = {slot.x, slot.y, slot.yaw};
    w.start = inst.cue->start + inst.cue->delay * static_cast<int64_t>(k);
    w.beats = static_cast<int>(inst.cue->length.Floor());
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
    if (down == lost.end()) {
      standing.push_back({r, where[r]});
    } else {
      // A lost robot stands in the way with all of its body where it lies.
      for (const Pose2& point : down->second) standing.push_back({r, point});
    }
  }
  TransitionOptions transition;
  if (inst.assign != SlotAssign::kNumber) {
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
  TransitionPlan plan;
  if (inst.change.reflowed) {
    // Re-shared slots make walks the show's author never shaped around the arms: wide
    // apart where they can be (reflow.h kReflowWalkClearance), on a share of the search
    // budget (a failed attempt also searches the beats it would need).
    TransitionOptions wide = transition;
    wide.clearance = wide.preferred_clearance = kReflowWalkClearance;
    wide.budget = transition.budget / 3;
    plan = PlanTransition(walkers, standing, gait, wide);
  }
  if (!plan.ok) plan = PlanTransition(walkers, standing, gait, transition);
  for (const PlannedWalk& walk : plan.walks) (*walk_of)[walk.robot] = walk;
  int beats_needed = 0;
  if (!plan.ok && !plan.robots.empty()) {
    if (plan.too_far) {
      for (const TransitionPlan::TooFar& far : plan.too_far_robots) {
        beats_needed = std::max(beats_needed, far.beats_needed);
        char text[400];
        std::snprintf(text, sizeof(text),
                      "must walk %.2f m to formation '%s' in %s beats but needs %d beats (%s)",
                      far.distance, inst.cue->name.c_str(), inst.cue->length.ToString().c_str(),
                      far.beats_needed, DescribeGaitEnvelope(gait.walk).c_str());
        too_far->push_back({far.robot, pos, Severity::kError, text});
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
      const int given = static_cast<int>(inst.cue->length.Floor());
      beats_needed = plan.beats_needed;
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
  record.start = inst.cue->start;
  record.reflowed = inst.change.reflowed;
  record.held = inst.change.held;
  record.regenerated = inst.change.reflowed && !inst.change.held && inst.change.slots->size() == inst.robots.size();
  for (const PlannedWalk& walk : plan.walks) {
    record.slots.push_back({walk.goal.x, walk.goal.y, walk.goal.yaw});
  }
  record.pos = pos;
  record.walks = std::move(plan.walks);
  record.min_distance = plan.min_distance;
  record.ok = plan.ok;
  record.beats_needed = beats_needed;
  schedule->transitions.push_back(std::move(record));
}

}  // namespace

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

Schedule PlanShow(const ResolvedShow& show, const GaitParams& gait, const ReflowRequest& reflow,
                  PlanProblems* problems, Diagnostics* diagnostics) {
  Schedule schedule;
  schedule.clock = show.clock;
  schedule.gait = gait;
  schedule.end = show.end;
  const int robots = show.robots;
  schedule.robots.resize(static_cast<size_t>(robots));
  for (int r = 0; r < robots; ++r) schedule.robots[r].start = show.starts[r];
  problems->steps.assign(static_cast<size_t>(robots), {});
  if (robots == 0) return schedule;

  // ---- Cues to robots: canon order and mirror sides from where the robots are ----
  const FootstepPlanner planner(PlannerParams(gait));
  std::vector<Stance> stance(static_cast<size_t>(robots));
  for (int r = 0; r < robots; ++r) stance[r] = StanceAtPelvis(PoseOf(show.starts[r]), gait);
  // When each robot's last steps (dance steps or walks) end.
  std::vector<Beats> danced_until(static_cast<size_t>(robots), Beats(-1000));
  // When each robot's dance steps (stepping leg cues other than formation changes) start:
  // a walk just before them ends the envelope's settle_beats early.
  std::vector<std::vector<Beats>> steps_start(static_cast<size_t>(robots));
  for (const ResolvedCue& cue : show.cues) {
    if (cue.is_formation_change() || !(cue.move->spec().limbs & kLegs)) continue;
    std::vector<BeatStep> steps;
    StepContext context{stance[0], cue.length, &gait, &planner, /*end_only=*/true};
    if (!cue.move->PlanSteps(context, cue.params, &steps).empty() || steps.empty()) continue;
    for (size_t k = 0; k < cue.robots.size(); ++k) {
      steps_start[cue.robots[k]].push_back(cue.start + cue.delay * static_cast<int64_t>(k));
    }
  }
  std::vector<const ResolvedCue*> by_start;
  for (const ResolvedCue& cue : show.cues) by_start.push_back(&cue);
  std::stable_sort(by_start.begin(), by_start.end(),
                   [](const ResolvedCue* a, const ResolvedCue* b) { return a->start < b->start; });
  Reflow lost(reflow, robots);
  for (const ResolvedCue* resolved : by_start) {
    PlannedCue inst;
    inst.cue = resolved;
    inst.robots = resolved->robots;
    inst.assign = resolved->assign;
    inst.keep_groups = resolved->keep_groups;
    inst.pins = resolved->pins;
    if (resolved->is_formation_change()) inst.change.slots = &show.formations.at(resolved->name).slots;
    const LyingRobots lost_here = lost.LostAt(resolved->start);
    if (!lost_here.empty()) {
      std::vector<Pose2> pelvis(static_cast<size_t>(robots));
      for (int r = 0; r < robots; ++r) pelvis[r] = PelvisOfStance(stance[r], gait);
      lost.ReflowCue(show, *resolved, lost_here, pelvis, &inst.robots, &inst.change, &inst.assign,
                     &inst.pins, &inst.keep_groups);
      if (inst.robots.empty()) continue;
    }
    std::vector<Pose2> where(static_cast<size_t>(robots));
    for (int r : inst.robots) where[r] = PelvisOfStance(stance[r], gait);
    std::vector<int> order = inst.robots;
    auto sort_by = [&](auto key) {
      std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return key(a) < key(b); });
    };
    switch (resolved->order) {
      case CanonOrder::kNumber: break;
      case CanonOrder::kLeftToRight: sort_by([&](int r) { return -where[r].y; }); break;
      case CanonOrder::kRightToLeft: sort_by([&](int r) { return where[r].y; }); break;
      case CanonOrder::kFrontToBack: sort_by([&](int r) { return -where[r].x; }); break;
      case CanonOrder::kBackToFront: sort_by([&](int r) { return where[r].x; }); break;
    }
    // Formation changes: slots shared out, then walks planned clear of each other.
    std::map<int, PlannedWalk> walk_of;
    if (inst.change.slots != nullptr) {
      PlanFormationChange(inst, order, stance, danced_until, steps_start, lost_here, gait,
                          &schedule, &walk_of, &problems->reported, &problems->transitions,
                          diagnostics);
    }
    double centre_y = 0;
    for (int r : inst.robots) centre_y += where[r].y / static_cast<double>(inst.robots.size());
    for (size_t k = 0; k < order.size(); ++k) {
      const int r = order[k];
      ScheduledCue sc;
      sc.move = resolved->move;
      sc.params = resolved->params;
      const auto walk = walk_of.find(r);
      if (walk != walk_of.end()) {
        const Pose2& slot = walk->second.goal;
        sc.params.numbers = {slot.x, slot.y, slot.yaw * kDegPerRad};
        sc.params.words = {"", "", ""};
        sc.planned = true;
        sc.planned_steps = walk->second.steps;
      }
      sc.mirror = resolved->mirror && where[r].y < centre_y - 1e-6;
      sc.start = resolved->start + resolved->delay * static_cast<int64_t>(k);
      sc.length = resolved->length;
      sc.limbs = resolved->move->spec().limbs;
      sc.pos = resolved->pos;
      sc.section = resolved->section;
      sc.cue = resolved->index;
      // Track where leg cues leave the robot (in this order; replanned below in time order).
      if (sc.planned) {
        for (const BeatStep& s : sc.planned_steps) stance[r].foot(s.foot) = s.pose;
        if (!sc.planned_steps.empty()) danced_until[r] = std::max(danced_until[r], sc.start + sc.length);
      } else if (sc.limbs & kLegs) {
        std::vector<BeatStep> steps;
        // Every step (not only where they end) when they may have to mark time.
        const bool near_lost = !lost.empty() && !lost.lost(r);
        StepContext context{stance[r], sc.length, &gait, &planner, /*end_only=*/!near_lost};
        if (resolved->move->PlanSteps(context, sc.params, &steps).empty()) {
          if (sc.mirror && resolved->move->spec().name != "walk_to")
            MirrorSteps(stance[r].Center(), &steps);
          if (near_lost) lost.MarkTimeNearLostRobots(sc.start, stance[r], &steps);
          for (const BeatStep& s : steps) stance[r].foot(s.foot) = s.pose;
          if (!steps.empty()) danced_until[r] = std::max(danced_until[r], sc.start + sc.length);
        }
      }
      schedule.robots[r].cues.push_back(std::move(sc));
    }
  }

  // ---- Footsteps in time order ----
  const FootstepPlanner walk_planner(WalkPlannerParams(gait));
  for (int r = 0; r < robots; ++r) {
    RobotSchedule& rs = schedule.robots[r];
    std::vector<RobotProblem>& robot_problems = problems->steps[r];
    std::stable_sort(
        rs.cues.begin(), rs.cues.end(),
        [](const ScheduledCue& a, const ScheduledCue& b) { return a.start < b.start; });
    Stance feet = StanceAtPelvis(PoseOf(rs.start), gait);
    for (size_t i = 0; i < rs.cues.size(); ++i) {
      const ScheduledCue& c = rs.cues[i];
      if (!(c.limbs & kLegs)) continue;
      std::vector<BeatStep> steps;
      std::string why;
      if (c.planned) {
        steps = c.planned_steps;  // a formation change: the walk planned with the others
      } else {
        StepContext context{feet, c.length, &gait, &planner};
        why = c.move->PlanSteps(context, c.params, &steps);
      }
      if (!why.empty()) {
        robot_problems.push_back({r, c.pos, Severity::kError, why});
        continue;
      }
      if (c.mirror && c.move->spec().name != "walk_to") MirrorSteps(feet.Center(), &steps);
      if (!c.planned && !lost.lost(r)) lost.MarkTimeNearLostRobots(c.start, feet, &steps);
      if (!steps.empty() && schedule.clock.Time(c.start) < gait.min_first_step &&
          rs.steps.empty()) {
        char text[200];
        std::snprintf(text, sizeof(text),
                      "the first step starts %.2f s into the show; robots need %.1f s to shift "
                      "their weight first (add an offset or start later)",
                      schedule.clock.Time(c.start), gait.min_first_step);
        robot_problems.push_back({r, c.pos, Severity::kWarning, text});
      }
      for (size_t k = 0; k < steps.size(); ++k) {
        BeatStep s = steps[k];
        // Walks keep within the gait's envelope, dance steps within the dance limits.
        const FootstepPlanner& checker =
            c.planned || c.move->spec().name == "walk_to" ? walk_planner : planner;
        const std::string bad =
            checker.CheckStep(s.foot, s.pose, feet.foot(OtherFoot(s.foot)), s.allow_cross);
        if (!bad.empty()) {
          robot_problems.push_back({r, c.pos, Severity::kError,
                                    c.move->spec().name + " step " + std::to_string(k + 1) +
                                        " (" + FootName(s.foot) + " foot): " + bad});
          break;
        }
        feet.foot(s.foot) = s.pose;
        s.land = c.start + s.land;
        rs.steps.push_back({s, static_cast<int>(i)});
      }
    }
    rs.final_stance = feet;
  }
  return schedule;
}

}  // namespace yangbot
