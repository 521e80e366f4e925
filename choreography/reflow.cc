#include "choreography/reflow.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

#include "choreography/separation.h"

namespace yangbot {

Reflow::Reflow(const ReflowRequest& request, int robots)
    : hold_changes_(request.hold_changes), regenerate_(request.regenerate_formations) {
  for (const LostRobot& lost : request.lost) {
    if (lost.robot >= 0 && lost.robot < robots) lost_[lost.robot] = &lost;
  }
}

std::vector<Pose2> LyingPoints(const LostRobot& lost) {
  std::vector<Pose2> points{lost.pelvis};
  points.insert(points.end(), lost.body.begin(), lost.body.end());
  return points;
}

namespace {

// The point of `points` nearest (x, y) and its distance (null and infinity when empty).
std::pair<const Pose2*, double> NearestPoint(const std::vector<Pose2>& points, double x, double y) {
  std::pair<const Pose2*, double> best{nullptr, std::numeric_limits<double>::infinity()};
  for (const Pose2& p : points) {
    const double d = std::hypot(x - p.x, y - p.y);
    if (d < best.second) best = {&p, d};
  }
  return best;
}

}  // namespace

double DistanceToPoints(const std::vector<Pose2>& points, double x, double y) {
  return NearestPoint(points, x, y).second;
}

LyingRobots Reflow::LostAt(Beats start) const {
  LyingRobots here;
  for (const auto& [r, lost] : lost_) {
    if (start >= lost->from) here[r] = LyingPoints(*lost);
  }
  return here;
}

void Reflow::ReflowCue(const ResolvedShow& show, const ResolvedCue& cue,
                       const LyingRobots& lost_here, const std::vector<Pose2>& pelvis,
                       std::vector<int>* robots, ReflowedChange* change, SlotAssign* assign,
                       std::map<int, int>* pins, std::vector<std::vector<int>>* keep_groups) {
  if (lost_here.empty()) return;
  // Lost robots leave the cue; a change of everyone left gets a formation for their
  // number (generated once per formation and count).
  const size_t everyone = robots->size();
  std::erase_if(*robots, [&](int r) { return lost_here.count(r) > 0; });
  if (robots->empty()) return;
  const int left = static_cast<int>(robots->size());
  // Slots closer to a lost robot than robots may come, with kLostClearance to spare
  // (a robot dancing on a slot 0.61 m from a fallen one swayed to 0.59 m).
  auto blocked_slots = [&](const std::vector<Placement>& slots) {
    std::set<int> blocked;
    for (size_t k = 0; k < slots.size(); ++k) {
      for (const auto& [r, body] : lost_here) {
        if (DistanceToPoints(body, slots[k].x, slots[k].y) <
            kMinRobotDistance + kLostClearance - 1e-9) {
          blocked.insert(static_cast<int>(k));
        }
      }
    }
    return blocked;
  };
  if (change->slots != nullptr && everyone == static_cast<size_t>(show.robots) &&
      left < show.robots) {
    const auto def = show.formations.find(cue.name);
    const std::pair<std::string, int> key{cue.name, left};
    if (regenerate_ && def != show.formations.end() && regenerated_.count(key) == 0) {
      Diagnostics ignored;  // the formation was checked for all the robots
      std::vector<Placement> slots =
          FormationSlots(def->second.def, left, show.clock.bpm, &ignored);
      if (static_cast<int>(slots.size()) == left && !ignored.has_errors()) {
        regenerated_[key] = std::move(slots);
      }
    }
    // The formation for the robots left when none of its slots is blocked; else the
    // written one, its free slots (the lost robot keeps the place it fell on); when
    // those are too few, the written one with blocked slots pushed clear.
    const auto it = regenerated_.find(key);
    if (regenerate_ && it != regenerated_.end() && blocked_slots(it->second).empty()) {
      change->slots = &it->second;
    } else {
      change->blocked = blocked_slots(*change->slots);
      if (static_cast<int>(change->slots->size() - change->blocked.size()) < left) {
        std::vector<Placement>& slots = pushed_clear_[key];
        slots = PushSlotsClear(*change->slots, change->blocked, lost_here);
        change->slots = &slots;
        change->blocked = blocked_slots(slots);
      }
    }
    change->reflowed = true;
    pins->clear();
    keep_groups->clear();
    if (*assign == SlotAssign::kNumber) *assign = SlotAssign::kOptimal;
  }
  if (change->slots != nullptr &&
      std::find(hold_changes_.begin(), hold_changes_.end(), cue.start) != hold_changes_.end()) {
    // Held: the slots are where the robots stand (each its own, at no distance), but
    // for those too close to a lost robot, pushed clear of it where they can be.
    std::vector<Placement> here;
    for (int r : *robots) here.push_back({pelvis[r].x, pelvis[r].y, pelvis[r].yaw});
    std::vector<Placement>& slots = held_in_place_[cue.start.ToDouble()];
    slots = PushSlotsClear(here, blocked_slots(here), lost_here);
    change->slots = &slots;
    change->blocked.clear();
    change->reflowed = change->held = true;
    pins->clear();
    keep_groups->clear();
    *assign = SlotAssign::kOptimal;
  }
}

void Reflow::MarkTimeNearLostRobots(Beats start, const Stance& feet,
                                    std::vector<BeatStep>* steps) const {
  Stance now = feet;
  bool near = false;
  for (const BeatStep& s : *steps) {
    now.foot(s.foot) = s.pose;
    const Pose2 centre = now.Center();
    for (const auto& [r, robot] : lost_) {
      if (start < robot->from) continue;
      near |= DistanceToPoints(LyingPoints(*robot), centre.x, centre.y) <
              kMinRobotDistance + kLostClearance;
    }
  }
  if (!near) return;
  for (BeatStep& s : *steps) s.pose = feet.foot(s.foot);
}

std::vector<Placement> PushSlotsClear(const std::vector<Placement>& slots,
                                      const std::set<int>& blocked,
                                      const LyingRobots& lost) {
  std::vector<Placement> out = slots;
  // The nearest point of any lost robot's body, and its distance.
  auto nearest_lost = [&](const Placement& p) {
    std::pair<const Pose2*, double> best{nullptr, std::numeric_limits<double>::infinity()};
    for (const auto& [r, body] : lost) {
      const auto nearest = NearestPoint(body, p.x, p.y);
      if (nearest.second < best.second) best = nearest;
    }
    return best;
  };
  std::vector<int> order(blocked.begin(), blocked.end());
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return nearest_lost(slots[a]).second > nearest_lost(slots[b]).second;
  });
  std::set<int> unresolved = blocked;
  constexpr double kClear = kMinRobotDistance + kLostClearance;
  for (int k : order) {
    // Straight away from the nearest point; while another point of a lying body is then
    // too close, on away from that one (a few times at most).
    Placement moved = slots[k];
    bool clear = false;
    for (int push = 0; push < 8 && !clear; ++push) {
      const auto [point, d] = nearest_lost(moved);
      if (point == nullptr || d < 1e-6) break;
      clear = d >= kClear - 1e-9;
      if (clear) break;
      const double scale = kClear / d;
      moved.x = point->x + (moved.x - point->x) * scale;
      moved.y = point->y + (moved.y - point->y) * scale;
    }
    clear = nearest_lost(moved).second >= kClear - 1e-9;
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

}  // namespace yangbot
