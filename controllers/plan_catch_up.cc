#include "controllers/plan_catch_up.h"

#include <algorithm>
#include <cmath>
#include <optional>

#include "controllers/angles.h"
#include "controllers/footstep_planner.h"
#include "controllers/line_foot_gait.h"
#include "controllers/step_timing.h"
#include "controllers/walking_pattern.h"
#include "controllers/walking_reference.h"
#include "sim/error.h"

namespace yangbot {
namespace {

// Where a catching-up foot lands along its heading (m, any origin on that axis): toward
// `target`, at most catch_up_walk_reach ahead of / reach_back behind the other foot
// (`support`), moving at most catch_up_walk_along from `now`. The catch-up walk and the
// catch-up of planned steps (PlanCatchUpStep) share it.
double CatchUpLanding(double target, double support, double now, const WholeBodyGains& k) {
  return std::clamp(std::clamp(target, support - k.catch_up_walk_reach_back, support + k.catch_up_walk_reach),
                    now - k.catch_up_walk_along, now + k.catch_up_walk_along);
}

// The catch-up rule's gains for line feet: their gait reaches further a step than the box
// gait's quick steps, and a stagger is not a hazard to them (the landing law balances it).
WholeBodyGains LineFootCatchUp(const WholeBodyGains& k) {
  WholeBodyGains g = k;
  g.catch_up_step = k.line_catch_up_step;
  g.catch_up_walk_along = k.line_catch_up_step;
  g.catch_up_walk_reach = g.catch_up_walk_reach_back = k.line_catch_up_step;
  return g;
}

}  // namespace

PlanCatchUp::PlanCatchUp(const WholeBodyGains& gains, bool line_feet) : gains_(gains), line_feet_(line_feet) {}

void PlanCatchUp::Start(const RobotReference& plan, const std::array<Eigen::Vector2d, 2>& feet) {
  for (int side = 0; side < 2; ++side) {
    foot_offset_[side] = feet[side] - plan.feet[side].position.head<2>();
    land_offset_[side] = foot_offset_[side];
    lifted_at_[side] = -1;
    held_[side] = false;
  }
  active_ = true;
  squared_ = false;
  walk_.reset();
  walk_next_look_ = 0;
}

void PlanCatchUp::Stop() {
  active_ = false;
  walk_.reset();
}

bool PlanCatchUp::PlanWalk(const ReferenceSource& source, double t, StepRhythm* rhythm,
                           const RobotReference& shifted) {
  // Line feet rejoin with the plan's own steps (the landing law balances them); the walk
  // below is the box gait's.
  if (line_feet_) return false;
  const WholeBodyGains& k = gains_;
  RobotReference plan, later;
  source.Sample(t, &plan);
  if (!plan.feet[0].in_contact || !plan.feet[1].in_contact) return false;
  auto both_down = [&](double when, RobotReference* r) {
    source.Sample(when, r);
    return r->feet[0].in_contact && r->feet[1].in_contact;
  };
  // How long the plan stands still from t: both feet down where they are now.
  constexpr double kLook = 0.1, kHorizon = 8;
  double still = 0;
  for (double dt = kLook; dt <= kHorizon + 1e-9; dt += kLook) {
    bool same = both_down(t + dt, &later);
    for (int side = 0; side < 2; ++side) {
      same = same && (later.feet[side].position - plan.feet[side].position).norm() < 2e-3 &&
             std::abs(later.feet[side].yaw - plan.feet[side].yaw) < 0.01;
    }
    if (!same) break;
    still = dt;
  }

  // Steps from the shifted feet toward `goal_ref`'s feet (the plan's at the walk's end), at
  // most `max_steps`: alternate feet, the rear foot of a stagger first (stepping up toward
  // the other), else the one further off; each landing at most catch_up_walk_reach ahead of
  // (catch_up_walk_reach_back behind) the other foot along its heading, so a stagger is
  // squared up first (the rear foot may step forward to do it), each foot moving at most
  // catch_up_walk_along along its heading and catch_up_walk_across across it per step.
  // Measured: r05 of the default show pushed into a 30 cm stagger (goal behind both feet)
  // walked back with the rear foot first; with the front foot first, or both feet stepping
  // 5 cm back each (the stagger kept), it fell sideways at the second step.
  FootstepPlan walk;
  std::array<Eigen::Vector2d, 2> at;
  auto plan_steps = [&](const RobotReference& goal_ref, int max_steps) {
    walk.steps.clear();
    std::array<Eigen::Vector2d, 2> goal;
    for (int side = 0; side < 2; ++side) {
      goal[side] = goal_ref.feet[side].position.head<2>();
      at[side] = plan.feet[side].position.head<2>() + foot_offset_[side];
      Pose2& pose = side == 0 ? walk.start.left : walk.start.right;
      pose = {at[side].x(), at[side].y(), plan.feet[side].yaw};
    }
    const Eigen::Vector2d heading(std::cos(plan.pelvis_yaw), std::sin(plan.pelvis_yaw));
    const double stagger = (at[0] - at[1]).dot(heading);  // left ahead of right: > 0
    int side = std::abs(stagger) > 0.02 ? (stagger > 0 ? 1 : 0)
                                        : ((at[0] - goal[0]).norm() >= (at[1] - goal[1]).norm() ? 0 : 1);
    constexpr double kClose = 0.005;  // m: a foot this near its goal stays
    const double first_touchdown = t + k.catch_up_walk_lead + k.catch_up_walk_period;
    for (int i = 0; i < max_steps; ++i, side = 1 - side) {
      if ((at[0] - goal[0]).norm() < kClose && (at[1] - goal[1]).norm() < kClose) break;
      const double yaw = goal_ref.feet[side].yaw;
      const Eigen::Vector2d along(std::cos(yaw), std::sin(yaw));
      const Eigen::Vector2d across(-along.y(), along.x());
      const double support = at[1 - side].dot(along), now = at[side].dot(along);
      const double land = CatchUpLanding(goal[side].dot(along), support, now, k);
      const double sideways = std::clamp((goal[side] - at[side]).dot(across), -k.catch_up_walk_across,
                                         k.catch_up_walk_across);
      at[side] += (land - now) * along + sideways * across;
      Footstep step;
      step.foot = side == 0 ? Foot::kLeft : Foot::kRight;
      step.pose = {at[side].x(), at[side].y(), yaw};
      step.touchdown_time = first_touchdown + i * k.catch_up_walk_period;
      walk.steps.push_back(step);
    }
    for (int s = 0; s < 2; ++s) {
      walk_final_offset_[s] = (at[s] - goal[s]).norm() < kClose ? Eigen::Vector2d::Zero()
                                                                 : Eigen::Vector2d(at[s] - goal[s]);
    }
  };
  auto steps_fitting = [&](double end) {
    return static_cast<int>(std::floor(
        (end - t - k.catch_up_walk_lead - k.catch_up_walk_settle) / k.catch_up_walk_period + 1e-9));
  };
  constexpr int kMostSteps = 40;
  plan_steps(plan, kMostSteps);
  const int needed = static_cast<int>(walk.steps.size());
  if (needed == 0) return false;
  double end = t + still;
  RobotReference goal = plan;
  if (steps_fitting(end) >= needed || (steps_fitting(end) >= 2 &&
      std::max(foot_offset_[0].norm(), foot_offset_[1].norm()) <= k.catch_up_walk_preempt)) {
    // The plan stands still long enough (or the offsets are small): walk while it does.
    plan_steps(plan, std::min(needed, steps_fitting(end)));
    end = walk.steps.back().touchdown_time + k.catch_up_walk_settle;
  } else if (std::max(foot_offset_[0].norm(), foot_offset_[1].norm()) > k.catch_up_walk_preempt &&
             rhythm->Travelling(&source, t, k)) {
    // Far off the plan while it dances on: leave its steps out (arms, waist and
    // handkerchiefs keep the beat) and walk to where its feet are when both are next down
    // after the walk, for at least catch_up_walk_settle.
    end = t + k.catch_up_walk_lead + needed * k.catch_up_walk_period + k.catch_up_walk_settle;
    constexpr double kSearch = 2.0, kHold = 0.1;
    double found = -1;
    for (double when = end; when <= end + kSearch; when += 0.05) {
      if (both_down(when, &goal) && both_down(when + kHold, &later) &&
          (later.feet[0].position - goal.feet[0].position).norm() < 1e-3 &&
          (later.feet[1].position - goal.feet[1].position).norm() < 1e-3) {
        found = when;
        break;
      }
    }
    if (found < 0) return false;
    end = found;
    both_down(end, &goal);
    plan_steps(goal, steps_fitting(end));
    if (walk.steps.empty()) return false;
  } else {
    return false;
  }
  walk.start_time = t;
  walk.end_time = end;
  SetGaitSwingTimes(&walk);
  WalkingPatternParams params;
  const double ground = 0.5 * (plan.feet[0].position.z() + plan.feet[1].position.z());
  params.ground_height = ground;
  params.preview.com_height = plan.com.z() - ground;
  params.swing_height = k.catch_up_walk_apex;
  params.initial_com = shifted.com.head<2>();  // as shifted by Apply
  walk_ = std::make_shared<WalkingReference>(std::make_shared<const WalkingPattern>(walk, params),
                                                      WalkingPosture{});
  return true;
}

namespace {

// A catch-up walk from `start` to `goal` (stance centre) with `planner`. Capture steps
// leave the feet wide apart or staggered, and the gait's own first step from there (its
// limits count from the stance foot) swung the rear foot 0.6-0.8 m, the walk falling at
// its first or second landing. So when a foot stands more than 5 cm from its place
// beside the other (the nominal width apart, in that foot's frame), one foot first steps
// toward that place, at most `travel` m: of the feet whose squaring step the planned walk
// does not follow with a step of the same foot (lifting the foot that just took the
// weight toppled the robot), the one that brings the stance centre nearest the goal.
// With `step_alone` (the plan stands about where the walk goes) and a stance more than
// kWide wider than `width`, a squaring step the walk on follows with the same foot is a
// candidate too, as a walk of that step alone (the next look plans the rest from the
// squared stance): the planner's own walk from a 0.6 m wide stance stepped the inner foot
// first and the robot toppled over it (the push sweep's r05 pushed forward at 16 or
// 20 s); from a narrow one (pushed back at 28 s, the step alone walked it back into the
// robot behind) or toward a goal the plan walks to (a walk pushed sideways, seed 1 of the
// gait's push_left row fell), the whole walks fare better.
// With `first` (a foot stands near a neighbour: FirstFootNearNeighbours) only that foot's
// squaring step is a candidate; the planner's own walk is left when that foot stands
// square already. When the walk on from the squared stance lifts that foot again, the
// two steps are one (the foot goes straight to the walk's first landing) as long as it
// travels at most `travel` and turns at most kMergeTurn from the squared heading;
// otherwise the squaring step is the walk alone. Why one walk: a squaring step alone
// stops the robot, and the next walk starts from the step's planned landing, where the
// foot has not quite landed; that walk's swings lag their references and land short,
// and a recovery fires (show_push's r05). Why the turn limit: a merged step turning far
// from the squared heading (the plan mid-turn: the push sweep's b32) lands short and
// brushes the neighbour, where the step alone keeps clear.
// Throws yangbot::Error when the walk cannot be planned.
FootstepPlan SquaredWalk(const FootstepPlanner& planner, const Stance& start, const Pose2& goal, double width,
                         double travel, bool step_alone, std::optional<Foot> first) {
  constexpr double kSquare = 0.05, kWide = 0.05;  // m
  constexpr double kMergeTurn = 0.3;               // rad
  FootstepPlan best = planner.PlanToPose(start, goal);
  double best_distance = 1e9;
  const Eigen::Vector2d across(-std::sin(start.right.yaw), std::cos(start.right.yaw));
  const bool wide = Eigen::Vector2d(start.left.x - start.right.x, start.left.y - start.right.y).dot(across) >
                    width + kWide;
  for (const Foot foot : {Foot::kLeft, Foot::kRight}) {
    if (first && foot != *first) continue;
    const Pose2& from = start.foot(foot);
    const Pose2& other = start.foot(OtherFoot(foot));
    Pose2 beside = ComposePose(other, {0, foot == Foot::kLeft ? width : -width, 0});
    beside.yaw = other.yaw;
    Eigen::Vector2d move(beside.x - from.x, beside.y - from.y);
    if (move.norm() < kSquare) return best;  // square enough
    if (move.norm() > travel) move *= travel / move.norm();
    FootstepPlan walk;
    walk.start = start;
    walk.steps.assign(1, Footstep{});
    walk.steps[0].foot = foot;
    walk.steps[0].pose = {from.x + move.x(), from.y + move.y(), beside.yaw};
    const FootstepPlan rest = planner.PlanToPose(walk.Final(), goal);
    if (rest.steps.empty() || rest.steps.front().foot != foot) {
      walk.Append(rest);
    } else if (first && std::hypot(rest.steps.front().pose.x - from.x, rest.steps.front().pose.y - from.y) <= travel &&
               std::abs(WrapAngle(rest.steps.front().pose.yaw - beside.yaw)) <= kMergeTurn) {
      walk.steps = rest.steps;  // the squaring step and the walk's first step as one
    } else if (!first && (!step_alone || !wide)) {
      continue;
    }
    const Pose2 c = walk.StanceAfter(1).Center();
    const double distance = std::hypot(goal.x - c.x, goal.y - c.y);
    if (distance < best_distance) {
      best_distance = distance;
      best = walk;
    }
  }
  return best;
}

}  // namespace

std::optional<Foot> FirstFootNearNeighbours(const Stance& start, std::span<const Eigen::Vector2d> neighbours,
                                            double clearance) {
  auto nearest = [&](const Pose2& foot) {
    double least = 1e9;
    for (const Eigen::Vector2d& n : neighbours) least = std::min(least, std::hypot(foot.x - n.x(), foot.y - n.y()));
    return least;
  };
  const double left = nearest(start.left), right = nearest(start.right);
  if (std::min(left, right) >= clearance) return std::nullopt;
  return left < right ? Foot::kLeft : Foot::kRight;
}

bool WalkGetsAheadOfPlan(const ReferenceSource& plan, double t, const FootstepPlan& walk, double margin) {
  if (walk.steps.empty()) return false;
  auto plan_centre = [&](double when) {
    RobotReference r;
    plan.Sample(when, &r);
    return Eigen::Vector2d(0.5 * (r.feet[0].position.head<2>() + r.feet[1].position.head<2>()));
  };
  auto centre = [](const Stance& stance) {
    const Pose2 c = stance.Center();
    return Eigen::Vector2d(c.x, c.y);
  };
  const Eigen::Vector2d from = plan_centre(t);
  const Eigen::Vector2d travel = centre(walk.Final()) - from;
  if (travel.norm() < margin) return false;  // the plan stays about where it stands
  const Eigen::Vector2d along = travel.normalized();
  const double allowed = std::max(margin, (centre(walk.start) - from).dot(along));
  for (int i = 0; i < static_cast<int>(walk.steps.size()); ++i) {
    const double lead = (centre(walk.StanceAfter(i + 1)) - plan_centre(walk.steps[i].touchdown_time)).dot(along);
    if (lead > allowed) return true;
  }
  return false;
}

bool PlanCatchUp::PlanLineWalk(const ReferenceSource& source, double t, StepRhythm* rhythm,
                               const RobotReference& shifted, std::span<const Eigen::Vector2d> neighbours) {
  const WholeBodyGains& k = gains_;
  RobotReference plan, later;
  source.Sample(t, &plan);
  // The start: where the feet stand now (the plan's headings).
  Stance start;
  for (int side = 0; side < 2; ++side) {
    const Eigen::Vector2d at = plan.feet[side].position.head<2>() + foot_offset_[side];
    // After a squaring step alone the feet stand at that step's headings, not the plan's.
    const double yaw = squared_ ? squared_yaw_[side] : plan.feet[side].yaw;
    (side == 0 ? start.left : start.right) = {at.x(), at.y(), yaw};
  }
  const std::optional<Foot> first = FirstFootNearNeighbours(start, neighbours, k.line_walk_neighbour_clearance);
  LineFootGait gait;
  gait.limits.max_forward = k.line_walk_forward;
  gait.limits.max_backward = k.line_walk_backward;
  gait.limits.max_lateral = k.line_walk_lateral;
  // Touch-downs on the plan's beat grid: beat 0 falls a whole number of steps before the
  // plan's next touch-down (none ahead: now).
  const double period = k.line_walk_period;
  const double next = rhythm->NextTouchdown(&source, t, 2 * period);
  BeatTiming timing;
  timing.bpm = 60 / period;
  timing.start_time = next > t ? t + std::fmod(next - t, period) : t;
  timing.double_support_ratio = gait.double_support_ratio;
  timing.first_touchdown_beat = k.line_walk_lead_beats;
  timing.settle_beats = 1;
  // The plan's standstills, in order: both feet down where they were for
  // line_walk_stand; the first one the walk reaches (its last touch-down) while the plan
  // still stands there for line_walk_stand is the goal.
  constexpr double kLook = 0.05;  // s
  auto feet_same = [](const RobotReference& a, const RobotReference& b) {
    for (int side = 0; side < 2; ++side) {
      if (!a.feet[side].in_contact || !b.feet[side].in_contact ||
          (a.feet[side].position - b.feet[side].position).norm() > 2e-3 ||
          std::abs(a.feet[side].yaw - b.feet[side].yaw) > 0.01) {
        return false;
      }
    }
    return true;
  };
  RobotReference run_ref;
  double run_start = -1;
  const double horizon = t + k.line_walk_horizon;
  for (double when = t; when <= horizon + 1e-9; when += kLook) {
    source.Sample(when, &later);
    if (run_start >= 0 && feet_same(run_ref, later)) {
      if (when - run_start < k.line_walk_stand && when < horizon) continue;
    } else {
      run_start = -1;
      if (later.feet[0].in_contact && later.feet[1].in_contact) {
        run_start = when;
        run_ref = later;
      }
      continue;
    }
    // A standstill from run_start on: walk to it.
    const Eigen::Vector2d left = run_ref.feet[0].position.head<2>(), right = run_ref.feet[1].position.head<2>();
    const double yaw = std::atan2(std::sin(run_ref.feet[0].yaw) + std::sin(run_ref.feet[1].yaw),
                                  std::cos(run_ref.feet[0].yaw) + std::cos(run_ref.feet[1].yaw));
    const Eigen::Vector2d across(-std::sin(yaw), std::cos(yaw));
    const Eigen::Vector2d centre = 0.5 * (left + right);
    // Whether the plan stands about there now (not walking to it).
    const bool goal_near =
        (centre - 0.5 * (plan.feet[0].position.head<2>() + plan.feet[1].position.head<2>())).norm() <
        2 * k.line_catch_up_step;
    // The walk with the gait's step limits scaled by `scale`, timed; whether the plan
    // still stands there line_walk_stand after its arrival.
    FootstepPlan walk;
    auto plan_walk = [&](double scale, bool* stands) {
      LineFootGait scaled = gait;
      scaled.limits.max_forward *= scale;
      scaled.limits.max_backward *= scale;
      scaled.limits.max_lateral *= scale;
      FootstepPlannerParams params = LineFootPlannerParams(scaled);
      params.nominal_width = std::max(gait.limits.min_separation, (left - right).dot(across));
      try {
        const Pose2 goal{centre.x(), centre.y(), yaw};
        walk = SquaredWalk(FootstepPlanner(params), start, goal, params.nominal_width,
                           k.line_walk_square_travel, goal_near, first);
        if (walk.steps.empty()) return false;
        AssignBeatTimes(timing, &walk);
      } catch (const Error&) {
        return false;
      }
      const double arrival = walk.steps.back().touchdown_time;
      *stands = true;
      for (double s = std::max(when, arrival); s <= std::min(horizon, arrival + k.line_walk_stand); s += kLook) {
        source.Sample(s, &later);
        if (!feet_same(run_ref, later)) {
          *stands = false;
          break;
        }
      }
      return true;
    };
    bool stands = false;
    if (!plan_walk(1, &stands)) return false;
    if (!stands) {  // look for a later standstill
      run_start = -1;
      continue;
    }
    // A walk that would cut ahead of the formation (the plan walks there over a formation
    // change, slower than the gait): shorter steps, as long as they still arrive in time.
    // None of them keeping behind the plan, the gait's own steps walk there: the plan's
    // steps, shifted, from a capture step's stance half a metre off fell back into the
    // robot behind (the push sweep's b28).
    if (WalkGetsAheadOfPlan(source, t, walk, k.line_catch_up_step)) {
      bool paced = false;
      for (const double scale : {0.75, 0.5, 0.35, 0.25, 0.15, 0.1, 0.07}) {
        if (!plan_walk(scale, &stands) || !stands) break;
        if (!WalkGetsAheadOfPlan(source, t, walk, k.line_catch_up_step)) {
          paced = true;
          break;
        }
      }
      if (!paced && !plan_walk(1, &stands)) return false;
    }
    // A walk to the goal stands there until the plan does; a squaring step alone taken
    // for a neighbour (the plan walking on) ends when it has settled, and the next look
    // plans the rest.
    const Pose2 end_centre = walk.Final().Center();
    const bool arrives = std::hypot(end_centre.x - centre.x(), end_centre.y - centre.y()) < 0.01;
    if (!first || arrives) walk.end_time = std::max(walk.end_time, run_start);
    const double ground = 0.5 * (plan.feet[0].position.z() + plan.feet[1].position.z());
    WalkingPatternParams pattern;
    pattern.ground_height = ground;
    pattern.preview.com_height = plan.com.z() - ground;
    pattern.initial_com = shifted.com.head<2>();
    pattern.swing_height = gait.swing_height;
    try {
      walk_ = std::make_shared<WalkingReference>(std::make_shared<const WalkingPattern>(walk, pattern),
                                                 LineFootPosture(pattern));
    } catch (const Error&) {
      return false;
    }
    // The offsets it leaves: from the goal's feet, where the plan stands at the walk's
    // end; a squaring step alone ends while the plan may still walk: from the plan's feet
    // then.
    Eigen::Vector2d end_left = left, end_right = right;
    if (first && !arrives) {
      source.Sample(walk_->end_time(), &later);
      end_left = later.feet[0].position.head<2>();
      end_right = later.feet[1].position.head<2>();
    }
    const Stance end = walk.Final();
    squared_ = first && !arrives;
    squared_yaw_ = {end.left.yaw, end.right.yaw};
    walk_final_offset_[0] = Eigen::Vector2d(end.left.x, end.left.y) - end_left;
    walk_final_offset_[1] = Eigen::Vector2d(end.right.x, end.right.y) - end_right;
    for (Eigen::Vector2d& offset : walk_final_offset_) {
      if (offset.norm() < 0.005) offset.setZero();
    }
    return true;
  }
  return false;
}

void PlanCatchUp::Apply(const ReferenceSource& source, double t, StepRhythm* rhythm, RobotReference* ref,
                        std::span<const Eigen::Vector2d> neighbours) {
  const WholeBodyGains& k = gains_;
  RobotReference& reference = *ref;
  if (walk_ && t >= walk_->end_time()) {  // walked: the offsets it left
    walk_.reset();
    foot_offset_ = land_offset_ = walk_final_offset_;
  }
  constexpr double kLineWalkOffset = 0.05;  // m, smaller offsets are left to the planned steps
  if (line_feet_ && !walk_ && t >= walk_next_look_ && lifted_at_[0] < 0 && lifted_at_[1] < 0 &&
      std::max(foot_offset_[0].norm(), foot_offset_[1].norm()) > kLineWalkOffset) {
    // Line feet walk back with their own gait while the robot stands on both feet.
    walk_next_look_ = t + 0.25;
    RobotReference shifted = reference;
    for (int side = 0; side < 2; ++side) shifted.feet[side].position.head<2>() += foot_offset_[side];
    shifted.com.head<2>() += 0.5 * (foot_offset_[0] + foot_offset_[1]);
    if (PlanLineWalk(source, t, rhythm, shifted, neighbours)) {
      land_offset_ = {Eigen::Vector2d::Zero(), Eigen::Vector2d::Zero()};
    }
  }
  if (walk_) {
    // Legs, CoM and pelvis heading from the walk; CoM height (knee bounces), upper body
    // and handkerchiefs from the plan.
    RobotReference walk;
    walk_->Sample(t, &walk);
    reference.feet = walk.feet;
    reference.com.head<2>() = walk.com.head<2>();
    reference.com_velocity.head<2>() = walk.com_velocity.head<2>();
    reference.com_acceleration.head<2>() = walk.com_acceleration.head<2>();
    reference.zmp = walk.zmp;
    reference.pelvis_yaw = walk.pelvis_yaw;
    reference.pelvis_yaw_rate = walk.pelvis_yaw_rate;
    reference.trunk_roll = walk.trunk_roll;
    return;
  }
  std::array<Eigen::Vector2d, 2> offset_rate;  // m/s
  for (int side = 0; side < 2; ++side) {
    FootReference& foot = reference.feet[side];
    offset_rate[side].setZero();
    if (!foot.in_contact && lifted_at_[side] < 0) {
      // Lift-off: this step lands up to catch_up_step nearer the plan's landing.
      lifted_at_[side] = t;
      lift_offset_[side] = foot_offset_[side];
      const CatchUpStep step =
          PlanCatchUpStep(lift_offset_[side], foot_offset_[1 - side], foot.yaw, line_feet_ ? LineFootCatchUp(k) : k);
      held_[side] = step.hold;
      land_offset_[side] = step.land_offset;
      if (held_[side]) {
        held_pose_[side] = foot;
        held_pose_[side].position.head<2>() += foot_offset_[side];
        held_pose_[side].velocity.setZero();
        held_pose_[side].acceleration.setZero();
        held_pose_[side].yaw_rate = 0;
      }
    }
    if (held_[side]) {
      if (!foot.in_contact) {
        foot = held_pose_[side];
        foot.in_contact = true;
        continue;
      }
      // The plan's step is over: the offset is from its landing.
      held_[side] = false;
      lifted_at_[side] = -1;
      foot_offset_[side] = land_offset_[side] = held_pose_[side].position.head<2>() - foot.position.head<2>();
    }
    if (lifted_at_[side] >= 0) {
      // Smoothly (smoothstep), its rate passed on to the feet's and CoM's velocities (the
      // pair pushed forward at 12 times, reach_back 0.03: 7 dance on, 5 with the plan's
      // velocities alone; covered only by such sweeps).
      const double s = std::clamp((t - lifted_at_[side]) / k.catch_up_blend, 0.0, 1.0);
      const Eigen::Vector2d change = land_offset_[side] - lift_offset_[side];
      foot_offset_[side] = lift_offset_[side] + s * s * (3 - 2 * s) * change;
      offset_rate[side] = 6 * s * (1 - s) / k.catch_up_blend * change;
      if (foot.in_contact) lifted_at_[side] = -1;  // landed
    }
    foot.position.head<2>() += foot_offset_[side];
    foot.velocity.head<2>() += offset_rate[side];
  }
  // The CoM goes with the feet as the plan puts it between them: over a stance foot, by
  // that foot's shift (with feet shifted unequally, a mean shift put it off the foot).
  const Eigen::Vector2d plan_left = reference.feet[0].position.head<2>() - foot_offset_[0];
  const Eigen::Vector2d across = reference.feet[1].position.head<2>() - foot_offset_[1] - plan_left;
  const double w = across.squaredNorm() > 1e-6
                       ? std::clamp((reference.com.head<2>() - plan_left).dot(across) / across.squaredNorm(), 0.0, 1.0)
                       : 0.5;
  const Eigen::Vector2d com_offset = (1 - w) * foot_offset_[0] + w * foot_offset_[1];
  reference.com.head<2>() += com_offset;
  reference.com_velocity.head<2>() += (1 - w) * offset_rate[0] + w * offset_rate[1];
  if (foot_offset_[0].norm() < 1e-4 && foot_offset_[1].norm() < 1e-4) {
    active_ = false;
    return;
  }
  // Both feet down, off the plan: walk back while the plan stands (looked at 4 times a second).
  constexpr double kWalkOffset = 0.01;  // m, offsets smaller are left to the planned steps
  if (t >= walk_next_look_ && lifted_at_[0] < 0 && lifted_at_[1] < 0 &&
      std::max(foot_offset_[0].norm(), foot_offset_[1].norm()) > kWalkOffset) {
    walk_next_look_ = t + 0.25;
    if (PlanWalk(source, t, rhythm, reference)) Apply(source, t, rhythm, ref, neighbours);
  }
}

CatchUpStep PlanCatchUpStep(const Eigen::Vector2d& offset, const Eigen::Vector2d& other_offset, double yaw,
                            const WholeBodyGains& k) {
  const Eigen::Vector2d along(std::cos(yaw), std::sin(yaw));
  CatchUpStep step;
  step.land_offset = offset;
  // The front foot of a stagger the plan does not have stays down: on the rear foot alone
  // the CoM, between the feet, is out of its reach (the default show's r05, 20 cm
  // staggered after recovery steps, stepped its front foot back first and fell forward).
  step.hold = (offset - other_offset).dot(along) > k.catch_up_walk_reach;
  if (step.hold) return step;
  const double norm = offset.norm();
  Eigen::Vector2d land = offset * (norm > k.catch_up_step ? 1 - k.catch_up_step / norm : 0.0);
  const double shrunk = land.dot(along);
  land += (CatchUpLanding(shrunk, other_offset.dot(along), offset.dot(along), k) - shrunk) * along;
  step.land_offset = land;
  return step;
}

}  // namespace yangbot
