#include "controllers/footstep_planner.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <numbers>
#include <optional>

#include "sim/error.h"

namespace yangbot {
namespace {

constexpr double kTolerance = 1e-9;  // slack on limits (m, rad): placements on a limit pass
constexpr int kBisections = 40;      // path parameter resolution 2^-40
constexpr int kArcRampSteps = 2;     // steps at each end of an arc that share its spare turn
// Least share of the limits a ramped walk's first steps take: the first steps from
// standing stay a little short of the limits (a full first step from a standstill leaves
// the DCM behind and ends in recovery steps), and the stop ramp takes what the middle's
// full steps leave over.
constexpr double kRampStartScale = 0.9;

// The stance centre frame along a walk, s in [0, 1]; s = 0 is the start stance centre.
using CenterPath = std::function<Pose2(double)>;

// `value` with three decimals, e.g. "0.250".
std::string Fixed(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "%.3f", value);
  return buffer;
}

// "<what> <value> <unit>; <limit name> is <limit> <unit>".
std::string Exceeds(const char* what, double value, const char* limit_name, double limit,
                    const char* unit) {
  return std::string(what) + " " + Fixed(value) + " " + unit + "; " + limit_name + " is " +
         Fixed(limit) + " " + unit;
}

// Nominal place of `foot` in the stance centre frame `center`.
Pose2 NominalFoot(const Pose2& center, Foot foot, double width) {
  return ComposePose(center, {0, foot == Foot::kLeft ? width / 2 : -width / 2, 0});
}

// Same place and same continuous yaw (a full turn is not the same pose).
bool SamePose(const Pose2& a, const Pose2& b) {
  return std::abs(a.x - b.x) <= kTolerance && std::abs(a.y - b.y) <= kTolerance &&
         std::abs(a.yaw - b.yaw) <= kTolerance;
}

// Empty when landing `swing` at `target` next to `support` keeps `limits`; otherwise why not.
std::string Violation(const FootstepLimits& limits, double width, Foot swing, const Pose2& target,
                      const Pose2& support, bool allow_cross) {
  const Pose2 rel = RelativePose(support, target);
  const double sign = swing == Foot::kLeft ? 1.0 : -1.0;  // mirror a right swing
  const double dy = sign * rel.y, dyaw = sign * rel.yaw;
  const double half_turn = limits.reach_between_headings ? 0.5 * rel.yaw : 0;
  const double dx = rel.x * std::cos(half_turn) + rel.y * std::sin(half_turn);
  if (dx > limits.max_forward + kTolerance) {
    return Exceeds("lands ahead of the support foot by", dx, "max_forward", limits.max_forward,
                   "m");
  }
  if (-dx > limits.max_backward + kTolerance) {
    return Exceeds("lands behind the support foot by", -dx, "max_backward", limits.max_backward,
                   "m");
  }
  if (!allow_cross && dy < limits.min_separation - kTolerance) {
    return Exceeds("lands beside the support foot at", dy, "min_separation", limits.min_separation,
                   "m");
  }
  if (dy > width + limits.max_lateral + kTolerance) {
    return Exceeds("lands beside the support foot at", dy, "nominal width + max_lateral",
                   width + limits.max_lateral, "m");
  }
  if (dyaw > limits.max_turn + kTolerance) {
    return Exceeds("turns toe-out from the support foot by", dyaw, "max_turn", limits.max_turn,
                   "rad");
  }
  if (-dyaw > limits.max_turn_in + kTolerance) {
    return Exceeds("turns toe-in from the support foot by", -dyaw, "max_turn_in",
                   limits.max_turn_in, "rad");
  }
  if (FootprintsOverlap(target, support, limits.foot_length, limits.foot_width,
                        limits.clearance - kTolerance)) {
    return "footprint comes within clearance (" + Fixed(limits.clearance) +
           " m) of the support foot";
  }
  return {};
}

FootstepLimits ScaleLimits(FootstepLimits limits, double scale) {
  limits.max_forward *= scale;
  limits.max_backward *= scale;
  limits.max_lateral *= scale;
  limits.max_turn *= scale;
  limits.max_turn_in *= scale;
  return limits;
}

// The limit scales of a walk's ramps (PlanAlongPath): the first `count` steps of a walk of
// `steps` steps take `start`, the last `count` before the final step `stop`, the rest 1.
struct Ramps {
  int count = 0;
  int steps = 0;
  double start = 1;
  double stop = 1;

  double ScaleOf(int index) const {
    if (index < count) return start;
    if (index >= steps - 1 - count && index < steps - 1) return stop;
    return 1;
  }
};

// Greedy walk along `path`: every step lands at the furthest s the limits allow (scaled
// on the ramps' steps). Returns nothing when stuck or when more than `max_steps` steps
// would be needed.
std::optional<std::vector<Footstep>> GreedyWalk(const Stance& start, const CenterPath& path,
                                                Foot first, const FootstepLimits& full_limits,
                                                double width, int max_steps, const Ramps& ramps = {}) {
  const Pose2 goal = path(1.0);
  // Yaws are continuous along the path; give the start feet continuous yaws too.
  Stance stance = start;
  stance.right.yaw = stance.left.yaw + WrapAngle(stance.right.yaw - stance.left.yaw);
  double s_of[2] = {0, 0};  // path parameter at which each foot last landed
  bool done[2];
  for (Foot f : {Foot::kLeft, Foot::kRight}) {
    done[static_cast<int>(f)] = SamePose(stance.foot(f), NominalFoot(goal, f, width));
  }
  std::vector<Footstep> steps;
  Foot swing = first;
  int stalled = 0;
  while (!(done[0] && done[1])) {
    if (static_cast<int>(steps.size()) >= max_steps) return std::nullopt;
    if (done[static_cast<int>(swing)]) swing = OtherFoot(swing);
    const Foot support = OtherFoot(swing);
    const Pose2& support_pose = stance.foot(support);
    const FootstepLimits limits = ScaleLimits(full_limits, ramps.ScaleOf(static_cast<int>(steps.size())));
    auto target = [&](double s) { return NominalFoot(path(s), swing, width); };
    auto feasible = [&](double s) {
      const Pose2 t = target(s);
      const double turn = t.yaw - support_pose.yaw;  // not wrapped: no shortcut by 2 pi
      return std::abs(turn - WrapAngle(turn)) < kTolerance &&
             Violation(limits, width, swing, t, support_pose, false).empty();
    };
    double s = 1.0;
    if (!feasible(1.0)) {
      // s_of[support] puts the feet side by side, which the limits allow (unless the
      // start stance itself does not, when that squaring-up step is taken anyway).
      double lo = s_of[static_cast<int>(support)], hi = 1.0;
      for (int i = 0; i < kBisections; ++i) {
        const double mid = 0.5 * (lo + hi);
        (feasible(mid) ? lo : hi) = mid;
      }
      s = lo;
    }
    const int index = static_cast<int>(swing);
    const Pose2 landing = target(s);
    if (SamePose(landing, stance.foot(swing))) {
      // This foot cannot advance; if the other cannot either, the walk is stuck.
      if (++stalled >= 2) return std::nullopt;
    } else {
      stalled = 0;
      Footstep step;
      step.foot = swing;
      step.pose = landing;
      steps.push_back(step);
      stance.foot(swing) = landing;
    }
    s_of[index] = s;
    done[index] = s == 1.0;
    swing = support;
  }
  return steps;
}

// The fewer-step plan of the two first feet, with evened-out step sizes; with
// ramp_steps > 0 only the first and the last ramp_steps steps before the final one are
// shrunk, the rest keep the full limits: the stop's ramp takes the spare, the start's
// takes at least kRampStartScale of the limits.
FootstepPlan PlanAlongPath(const FootstepPlannerParams& params, const Stance& start,
                           const CenterPath& path, double side, int ramp_steps = 0) {
  const double width = params.nominal_width;
  std::optional<std::vector<Footstep>> best;
  if (params.first_foot) best = GreedyWalk(start, path, *params.first_foot, params.limits, width, params.max_steps);
  const Foot preferred = side >= 0 ? Foot::kLeft : Foot::kRight;
  for (Foot first : {preferred, OtherFoot(preferred)}) {
    if (best && params.first_foot) break;  // the asked-for foot walks it
    const int cap = best ? static_cast<int>(best->size()) - 1 : params.max_steps;
    auto steps = GreedyWalk(start, path, first, params.limits, width, cap);
    if (steps && (!best || steps->size() < best->size())) best = std::move(steps);
  }
  if (!best) {
    throw Error("footstep planner: no plan within max_steps (" + std::to_string(params.max_steps) +
                ") steps; the limits are too tight for this walk");
  }
  if (params.even_steps && !best->empty()) {
    // Smallest limit scale that still needs no more steps: every step (every ramp step)
    // then uses about the same share of its limits. Same first foot as the unscaled plan.
    const Foot first = best->front().foot;
    const int count = static_cast<int>(best->size());
    const bool ramp = ramp_steps > 0 && count >= 2 * ramp_steps + 2;
    double lo = 0, hi = 1;
    std::vector<Footstep> even = *best;
    for (int i = 0; i < 16; ++i) {  // scale resolution 2^-16
      const double mid = 0.5 * (lo + hi);
      auto steps = ramp ? GreedyWalk(start, path, first, params.limits, width, count,
                                     {ramp_steps, count, std::max(mid, kRampStartScale), mid})
                        : GreedyWalk(start, path, first, ScaleLimits(params.limits, mid), width, count);
      if (steps) {
        hi = mid;
        even = std::move(*steps);
      } else {
        lo = mid;
      }
    }
    best = std::move(even);
  }
  FootstepPlan plan;
  plan.start = start;
  plan.steps = std::move(*best);
  return plan;
}

}  // namespace

const char* FootName(Foot foot) { return foot == Foot::kLeft ? "left" : "right"; }

Pose2 ComposePose(const Pose2& frame, const Pose2& local) {
  const double c = std::cos(frame.yaw), s = std::sin(frame.yaw);
  return {frame.x + c * local.x - s * local.y, frame.y + s * local.x + c * local.y,
          frame.yaw + local.yaw};
}

Pose2 RelativePose(const Pose2& frame, const Pose2& pose) {
  const double c = std::cos(frame.yaw), s = std::sin(frame.yaw);
  const double dx = pose.x - frame.x, dy = pose.y - frame.y;
  return {c * dx + s * dy, -s * dx + c * dy, WrapAngle(pose.yaw - frame.yaw)};
}

Pose2 Stance::Center() const {
  return {0.5 * (left.x + right.x), 0.5 * (left.y + right.y),
          left.yaw + 0.5 * WrapAngle(right.yaw - left.yaw)};
}

Stance Stance::FromCenter(const Pose2& center, double width) {
  return {NominalFoot(center, Foot::kLeft, width), NominalFoot(center, Foot::kRight, width)};
}

Stance FootstepPlan::StanceAfter(int count) const {
  Stance stance = start;
  count = std::clamp(count, 0, static_cast<int>(steps.size()));
  for (int i = 0; i < count; ++i) stance.foot(steps[i].foot) = steps[i].pose;
  return stance;
}

void FootstepPlan::Append(const FootstepPlan& next) {
  steps.insert(steps.end(), next.steps.begin(), next.steps.end());
}

bool FootprintsOverlap(const Pose2& a, const Pose2& b, double foot_length, double foot_width,
                       double clearance) {
  const double hx = 0.5 * (foot_length + clearance), hy = 0.5 * (foot_width + clearance);
  const double ca = std::cos(a.yaw), sa = std::sin(a.yaw);
  const double cb = std::cos(b.yaw), sb = std::sin(b.yaw);
  const double axes[4][2] = {{ca, sa}, {-sa, ca}, {cb, sb}, {-sb, cb}};
  const double dx = b.x - a.x, dy = b.y - a.y;
  for (const auto& n : axes) {
    const double distance = std::abs(n[0] * dx + n[1] * dy);
    const double radius_a =
        hx * std::abs(n[0] * ca + n[1] * sa) + hy * std::abs(-n[0] * sa + n[1] * ca);
    const double radius_b =
        hx * std::abs(n[0] * cb + n[1] * sb) + hy * std::abs(-n[0] * sb + n[1] * cb);
    if (distance >= radius_a + radius_b) return false;  // a separating axis
  }
  return true;
}

FootstepPlanner::FootstepPlanner(const FootstepPlannerParams& params) : params_(params) {
  const FootstepLimits& l = params.limits;
  if (!(params.nominal_width > 0) || !(l.max_forward >= 0) || !(l.max_backward >= 0) ||
      !(l.max_lateral >= 0) || !(l.max_turn >= 0) || !(l.max_turn_in >= 0) ||
      !(l.foot_length > 0) || !(l.foot_width > 0) || !(l.clearance >= 0) || params.max_steps < 1) {
    throw Error("footstep planner: widths, foot sizes and max_steps must be positive, limits >= 0");
  }
  if (!(params.nominal_width >= l.min_separation)) {
    throw Error("footstep planner: nominal_width is below min_separation");
  }
}

FootstepPlan FootstepPlanner::PlanToPose(const Stance& start, const Pose2& goal_center) const {
  const Pose2 rel = RelativePose(start.Center(), goal_center);
  return PlanRelative(start, rel.x, rel.y, rel.yaw);
}

FootstepPlan FootstepPlanner::PlanRelative(const Stance& start, double dx, double dy,
                                           double dyaw) const {
  const Pose2 c0 = start.Center();
  CenterPath path = [c0, dx, dy, dyaw](double s) {
    Pose2 p = ComposePose(c0, {s * dx, s * dy, 0});
    p.yaw = c0.yaw + s * dyaw;
    return p;
  };
  return PlanAlongPath(params_, start, path, std::abs(dyaw) > 1e-9 ? dyaw : dy);
}

FootstepPlan FootstepPlanner::PlanForward(const Stance& start, double distance) const {
  return PlanRelative(start, distance, 0, 0);
}

FootstepPlan FootstepPlanner::PlanSideways(const Stance& start, double distance) const {
  return PlanRelative(start, 0, distance, 0);
}

FootstepPlan FootstepPlanner::PlanTurn(const Stance& start, double angle) const {
  return PlanRelative(start, 0, 0, angle);
}

FootstepPlan FootstepPlanner::PlanArc(const Stance& start, double radius, double angle) const {
  if (!(radius >= 0)) throw Error("footstep planner: arc radius must be >= 0");
  const Pose2 c0 = start.Center();
  const double side = angle >= 0 ? 1.0 : -1.0;
  CenterPath path = [c0, radius, angle, side](double s) {
    const double phi = s * angle;
    return ComposePose(
        c0, {radius * std::sin(std::abs(phi)), side * radius * (1 - std::cos(phi)), phi});
  };
  return PlanAlongPath(params_, start, path, angle, radius > 0 ? kArcRampSteps : 0);  // 0: a turn
}

FootstepPlan FootstepPlanner::PlanExplicit(const Stance& start,
                                           const std::vector<ExplicitStep>& steps) const {
  FootstepPlan plan;
  plan.start = start;
  const Pose2 center = start.Center();
  Stance stance = start;
  for (size_t i = 0; i < steps.size(); ++i) {
    const ExplicitStep& e = steps[i];
    const Pose2& support = stance.foot(OtherFoot(e.foot));
    Pose2 world = e.pose;
    if (e.frame == StepFrame::kStartStance) {
      world = ComposePose(center, e.pose);
    } else if (e.frame == StepFrame::kBesideSupport) {
      const double side = e.foot == Foot::kLeft ? 1.0 : -1.0;
      world = ComposePose(ComposePose(support, {0, side * params_.nominal_width, 0}), e.pose);
    }
    const double previous_yaw = stance.foot(e.foot).yaw;
    world.yaw = previous_yaw + WrapAngle(world.yaw - previous_yaw);
    const std::string why = CheckStep(e.foot, world, support, e.allow_cross);
    if (!why.empty()) {
      throw Error("explicit step " + std::to_string(i) + " (" + FootName(e.foot) + "): " + why);
    }
    Footstep step;
    step.foot = e.foot;
    step.pose = world;
    step.allow_cross = e.allow_cross;
    step.beats = e.beats;
    step.swing_height = e.swing_height;
    plan.steps.push_back(step);
    stance.foot(e.foot) = world;
  }
  return plan;
}

std::string FootstepPlanner::CheckStep(Foot swing, const Pose2& target, const Pose2& support,
                                       bool allow_cross) const {
  return Violation(params_.limits, params_.nominal_width, swing, target, support, allow_cross);
}

std::string FootstepPlanner::CheckPlan(const FootstepPlan& plan) const {
  Stance stance = plan.start;
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const Footstep& step = plan.steps[i];
    const std::string why =
        CheckStep(step.foot, step.pose, stance.foot(OtherFoot(step.foot)), step.allow_cross);
    if (!why.empty()) return "step " + std::to_string(i) + " (" + FootName(step.foot) + "): " + why;
    stance.foot(step.foot) = step.pose;
  }
  return {};
}

}  // namespace yangbot
