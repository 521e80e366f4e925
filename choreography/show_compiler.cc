#include "choreography/show_compiler.h"

#include <algorithm>
#include <cmath>

#include "controllers/line_foot_gait.h"
#include "sim/error.h"

namespace yangbot {
namespace {

constexpr double kH = 1e-3;  // beats, finite-difference step for rates

// Copies the channels of `limbs` from `from` to `to`.
void CopyChannels(LimbSet limbs, const BodyPose& from, BodyPose* to) {
  if (limbs & kLegs) to->com_height_offset = from.com_height_offset;
  if (limbs & kWaist) {
    to->torso_yaw = from.torso_yaw;
    to->trunk_roll = from.trunk_roll;
    to->trunk_pitch = from.trunk_pitch;
  }
  if (limbs & kArms) to->arm_q = from.arm_q;
  if (limbs & kHanky) {
    for (int side = 0; side < 2; ++side) {
      if (from.hanky[side].spinning) to->hanky[side] = from.hanky[side];
    }
  }
}

}  // namespace

ShowReference::ShowReference(const Schedule& schedule, int robot, const CompileOptions& options)
    : clock_(schedule.clock), end_time_(schedule.end_time()) {
  const RobotSchedule& rs = schedule.robots.at(static_cast<size_t>(robot));
  const GaitParams& gait = schedule.gait;
  com_height_ = gait.com_height;

  // Footsteps: touch-down on the beat, lift-off a swing earlier.
  FootstepPlan plan;
  plan.start = StanceAtPelvis({rs.start.x, rs.start.y, rs.start.yaw}, gait);
  const double period = clock_.SecondsPerBeat();
  const LineFootGait line_gait;
  std::vector<bool> walking;  // per step: a step of a walk (walk_to, formation changes)
  for (const ScheduledStep& s : rs.steps) {
    Footstep f;
    f.foot = s.step.foot;
    f.pose = s.step.pose;
    f.allow_cross = s.step.allow_cross;
    f.beats = s.step.duration.ToDouble();
    f.touchdown_beat = s.step.land.ToDouble();
    f.touchdown_time = clock_.Time(s.step.land);
    const ScheduledCue* cue = s.cue >= 0 ? &rs.cues.at(static_cast<size_t>(s.cue)) : nullptr;
    walking.push_back(cue != nullptr && (cue->planned || cue->move->spec().name == "walk_to"));
    if (gait.line_soles && walking.back()) {
      // The line-foot gait: both feet down for its double-support share of each step.
      f.liftoff_time = f.touchdown_time - (1 - line_gait.double_support_ratio) * f.beats * period;
    } else {
      // Quick steps swing 90 % of the step, one-a-beat dance steps a short 0.15 s
      // (controllers/walking_reference.h GaitSwingTime: the box-foot gait).
      f.liftoff_time = f.touchdown_time - GaitSwingTime(f.beats * period);
    }
    plan.steps.push_back(f);
  }
  plan.start_time = plan.steps.empty() ? 0 : plan.steps.front().liftoff_time;
  plan.end_time = plan.steps.empty() ? 0 : plan.steps.back().touchdown_time;
  plan_ = plan;  // lift-offs of line-foot walks' dance steps set below

  // One walking pattern per stretch of walking.
  WalkingPatternParams params;
  params.preview.dt = options.preview_dt;
  params.preview.com_height = gait.com_height;
  params.swing_height = gait.swing_height;
  Stance stance = plan.start;
  size_t first = 0;
  double previous_end = 0;
  do {
    size_t last = first;  // one past the stretch
    while (last < plan.steps.size() &&
           (last == first || plan.steps[last].liftoff_time - plan.steps[last - 1].touchdown_time <=
                                 options.lead_in + options.settle)) {
      ++last;
    }
    // Robots with line soles walk the line-foot gait (controllers/line_foot_gait.h) in
    // stretches that travel: full ZMP-preview CoM swing, no rocking, higher swings, the
    // CoM lowered by the gait's crouch (eased in over the lead-in, out over the settle),
    // and the dance steps among the walks timed as its steps (a 0.15 s swing without the
    // rocking posture lands off the beat). Stretches of dance steps only keep the box-foot
    // gait's rocking references.
    const bool travels = std::any_of(walking.begin() + static_cast<std::ptrdiff_t>(first),
                                     walking.begin() + static_cast<std::ptrdiff_t>(last),
                                     [](bool w) { return w; });
    const bool line_walk = gait.line_soles && travels;
    if (line_walk) {
      for (size_t k = first; k < last; ++k) {
        Footstep& f = plan.steps[k];
        f.liftoff_time = f.touchdown_time - (1 - line_gait.double_support_ratio) * f.beats * period;
        plan_.steps[k].liftoff_time = f.liftoff_time;
      }
    }
    FootstepPlan stretch;
    stretch.start = stance;
    stretch.steps.assign(plan.steps.begin() + static_cast<std::ptrdiff_t>(first),
                         plan.steps.begin() + static_cast<std::ptrdiff_t>(last));
    if (stretch.steps.empty()) {
      stretch.start_time = stretch.end_time = 0;
    } else {
      stretch.start_time =
          std::max(previous_end, stretch.steps.front().liftoff_time - options.lead_in);
      stretch.end_time = stretch.steps.back().touchdown_time + options.settle;
    }
    if (!walks_.empty()) {
      // Start where the previous stretch left the CoM.
      params.initial_com =
          walks_.back().pattern().Sample(stretch.start_time).com_position.head<2>();
    }
    WalkingPatternParams stretch_params = params;
    WalkingPosture posture = options.walking;
    Crouch crouch;
    if (line_walk && !stretch.steps.empty()) {
      SetLineFootWalk(line_gait, gait.sole, gait.com_height, &stretch_params);
      posture = LineFootPosture(stretch_params);
      posture.com_height = gait.com_height;  // standing: the crouch is eased in Sample
      crouch.depth = line_gait.crouch;
      crouch.down = {stretch.start_time, stretch.steps.front().liftoff_time};
      crouch.up = {stretch.steps.back().touchdown_time, stretch.end_time};
    }
    walks_.emplace_back(std::make_shared<const WalkingPattern>(stretch, stretch_params), posture);
    crouches_.push_back(crouch);
    stance = stretch.Final();
    previous_end = stretch.end_time;
    first = last;
  } while (first < plan.steps.size());
  if (!plan_.steps.empty()) plan_.start_time = plan_.steps.front().liftoff_time;
  end_time_ = std::max(end_time_, previous_end);

  // Cues with channels besides the footsteps.
  for (const ScheduledCue& c : rs.cues) {
    TimedCue t;
    t.cue = c;
    t.start_time = clock_.Time(c.start);
    t.end_time = clock_.Time(c.start + c.length);
    longest_ = std::max(longest_, t.end_time - t.start_time);
    // Which hankies it drives, and where it leaves them.
    BodyPose end_pose;
    Evaluate(t, c.length.ToDouble(), &end_pose);
    for (int side = 0; side < 2; ++side) {
      if (end_pose.hanky[side].spinning) {
        held_[side].push_back({t.end_time, end_pose.hanky[side].phase});
      }
    }
    cues_.push_back(std::move(t));
  }
  std::stable_sort(cues_.begin(), cues_.end(), [](const TimedCue& a, const TimedCue& b) {
    return a.start_time < b.start_time;
  });
  for (auto& held : held_) {
    std::stable_sort(held.begin(), held.end(),
                     [](const HeldHanky& a, const HeldHanky& b) { return a.time < b.time; });
  }
}

void ShowReference::Evaluate(const TimedCue& cue, double u, BodyPose* pose) const {
  BodyPose own;
  cue.cue.move->Pose(cue.cue.params, u, cue.cue.length.ToDouble(), &own);
  if (cue.cue.mirror) own = MirrorPose(own);
  CopyChannels(cue.cue.limbs, own, pose);
}

std::pair<std::vector<ShowReference::TimedCue>::const_iterator,
          std::vector<ShowReference::TimedCue>::const_iterator>
ShowReference::ActiveRange(double t, ReferenceCursor* cursor) const {
  // Cues that started by t, but not before t - longest (those have surely ended).
  const double since = t - longest_ - 1e-9;
  const auto first = PartitionPointFrom(
      cues_.begin(), cues_.end(), [since](const TimedCue& c) { return c.start_time < since; },
      &cursor->cue_first);
  const auto last = PartitionPointFrom(
      cues_.begin(), cues_.end(), [t](const TimedCue& c) { return !(t < c.start_time); },
      &cursor->cue_last);
  return {first, std::max(first, last)};
}

BodyPose ShowReference::PoseAt(double t) const {
  ReferenceCursor cold;
  return PoseAt(t, &cold);
}

BodyPose ShowReference::PoseAt(double t, ReferenceCursor* cursor) const {
  BodyPose pose;
  for (int side = 0; side < 2; ++side) {
    const auto& held = held_[side];
    // The first hanky held after t.
    const auto it = PartitionPointFrom(
        held.begin(), held.end(), [t](const HeldHanky& h) { return !(t < h.time); }, &cursor->held[side]);
    if (it != held.begin()) pose.hanky[side].phase = std::prev(it)->phase;
  }
  const auto [first, last] = ActiveRange(t, cursor);
  for (auto it = first; it != last; ++it) {
    if (t >= it->end_time) continue;
    const double u = clock_.BeatAt(t) - it->cue.start.ToDouble();
    Evaluate(*it, std::clamp(u, 0.0, it->cue.length.ToDouble()), &pose);
  }
  return pose;
}

void ShowReference::Sample(double t, RobotReference* out) const {
  ReferenceCursor cold;
  SampleFrom(t, &cold, out);
}

void ShowReference::SampleFrom(double t, ReferenceCursor* cursor, RobotReference* out) const {
  *out = RobotReference();
  out->time = t;
  // The last stretch of walking that has started (or the first).
  const auto started = [t](const WalkingReference& w) { return !(t < w.pattern().start_time()); };
  const auto next = PartitionPointFrom(walks_.begin(), walks_.end(), started, &cursor->walk);
  const size_t walk = next == walks_.begin() ? 0 : static_cast<size_t>(next - walks_.begin()) - 1;
  walks_[walk].SampleFrom(t, cursor, out);
  const double walking_roll = out->trunk_roll;  // the gait's lean over the stance foot

  // Body channels and their rates: central differences within each cue.
  const double per_second = clock_.bpm / 60.0;  // beats per s
  const BodyPose now = PoseAt(t, cursor);
  BodyPose ahead = now, behind = now;
  double span[4] = {0, 0, 0, 0};  // beats between behind and ahead, per limb bit
  const auto [first, last] = ActiveRange(t, cursor);
  for (auto it = first; it != last; ++it) {
    if (t >= it->end_time) continue;
    const double length = it->cue.length.ToDouble();
    const double u = std::clamp(clock_.BeatAt(t) - it->cue.start.ToDouble(), 0.0, length);
    const double lo = std::max(0.0, u - kH), hi = std::min(length, u + kH);
    Evaluate(*it, hi, &ahead);
    Evaluate(*it, lo, &behind);
    for (int limb = 0; limb < 4; ++limb) {
      if (it->cue.limbs & (1u << limb)) span[limb] = hi - lo;
    }
  }
  auto rate = [&](double a, double b, int limb) {
    return span[limb] > 0 ? (a - b) / span[limb] * per_second : 0.0;
  };
  out->com.z() += now.com_height_offset;
  out->com_velocity.z() = rate(ahead.com_height_offset, behind.com_height_offset, 0);
  if (span[0] > 0) {
    const double h = span[0] / 2;
    out->com_acceleration.z() =
        (ahead.com_height_offset - 2 * now.com_height_offset + behind.com_height_offset) / (h * h) *
        per_second * per_second;
  }
  const Crouch& crouch = crouches_[walk];
  if (crouch.depth > 0) {
    // Lowered by depth * (down(t) - up(t)), each a smooth step over its span.
    double value = 0, rate_of = 0, acceleration = 0;
    for (const auto& [span_of, sign] : {std::pair{crouch.down, 1.0}, std::pair{crouch.up, -1.0}}) {
      const double length = span_of.second - span_of.first;
      if (length <= 0) {
        value += sign * (t >= span_of.first ? 1.0 : 0.0);
        continue;
      }
      const double u = std::clamp((t - span_of.first) / length, 0.0, 1.0);
      value += sign * SmoothStep(u);
      if (u > 0 && u < 1) {
        rate_of += sign * 6 * u * (1 - u) / length;
        acceleration += sign * (6 - 12 * u) / (length * length);
      }
    }
    out->com.z() -= crouch.depth * value;
    out->com_velocity.z() -= crouch.depth * rate_of;
    out->com_acceleration.z() -= crouch.depth * acceleration;
  }
  out->torso_yaw = now.torso_yaw;
  out->torso_yaw_rate = rate(ahead.torso_yaw, behind.torso_yaw, 1);
  out->trunk_roll = walking_roll + now.trunk_roll;
  out->trunk_pitch = now.trunk_pitch;
  for (int j = 0; j < kArmJoints; ++j) {
    out->arm_q[j] = now.arm_q[j];
    out->arm_qd[j] = rate(ahead.arm_q[j], behind.arm_q[j], 2);
  }
  for (int side = 0; side < 2; ++side) {
    out->hanky[side].spinning = now.hanky[side].spinning;
    out->hanky[side].phase = now.hanky[side].phase;
    out->hanky[side].rate =
        now.hanky[side].spinning ? rate(ahead.hanky[side].phase, behind.hanky[side].phase, 3) : 0.0;
  }
}

CompiledShow CompileSchedule(const Schedule& schedule, const CompileOptions& options) {
  CompiledShow show;
  show.clock = schedule.clock;
  show.end_time = schedule.end_time();
  show.placements = schedule.StartPlacements();
  for (size_t r = 0; r < schedule.robots.size(); ++r) {
    show.references.push_back(
        std::make_shared<const ShowReference>(schedule, static_cast<int>(r), options));
  }
  return show;
}

}  // namespace yangbot
