#include "controllers/walking_pattern.h"

#include <algorithm>
#include <cmath>
#include <string>

#include "sim/error.h"

namespace yangbot {
namespace {

Eigen::Vector2d Xy(const Pose2& pose) { return {pose.x, pose.y}; }

std::string StepName(size_t i) { return "walking pattern: step " + std::to_string(i); }

}  // namespace

const char* WalkPhaseName(WalkPhase phase) {
  switch (phase) {
    case WalkPhase::kStanding:
      return "standing";
    case WalkPhase::kDoubleSupport:
      return "double_support";
    case WalkPhase::kLeftSwing:
      return "left_swing";
    case WalkPhase::kRightSwing:
      return "right_swing";
  }
  return "unknown";
}

WalkingPattern::WalkingPattern(const FootstepPlan& plan, const WalkingPatternParams& params)
    : plan_(plan), params_(params), gains_(ComputeZmpPreviewGains(params.preview)) {
  if (!(params.swing_height >= 0)) throw Error("walking pattern: swing_height must be >= 0");
  if (!(params.shift_time > 0)) throw Error("walking pattern: shift_time must be positive");
  if (!std::isfinite(plan.start_time) || !std::isfinite(plan.end_time)) {
    throw Error("walking pattern: the plan has no finite start/end time; time it first");
  }
  const size_t n = plan_.steps.size();

  // Timing must be ordered: start <= lift-off_0 < touch-down_0 <= lift-off_1 < ... <= end.
  double previous = plan_.start_time;
  for (size_t i = 0; i < n; ++i) {
    const Footstep& step = plan_.steps[i];
    if (!(step.liftoff_time >= previous)) {
      throw Error(StepName(i) + " lifts off before the previous touch-down or the start");
    }
    if (!(step.touchdown_time > step.liftoff_time)) {
      throw Error(StepName(i) + " does not land after it lifts off");
    }
    if (!(step.swing_height >= 0)) throw Error(StepName(i) + " has a negative swing_height");
    previous = step.touchdown_time;
  }
  if (!(plan_.end_time >= previous)) {
    throw Error("walking pattern: end_time precedes the last touch-down or the start");
  }

  // Stances and swings, with each landing yaw unwrapped next to the foot's previous yaw.
  const double z = params_.ground_height;
  Stance stance = plan_.start;
  stances_.reserve(n + 1);
  swings_.reserve(n);
  liftoffs_.reserve(n);
  stances_.push_back(stance);
  for (Footstep& step : plan_.steps) {
    const Pose2 from = stance.foot(step.foot);
    step.pose.yaw = from.yaw + WrapAngle(step.pose.yaw - from.yaw);
    const double height = step.swing_height > 0 ? step.swing_height : params_.swing_height;
    swings_.emplace_back(Eigen::Vector3d(from.x, from.y, z), from.yaw,
                         Eigen::Vector3d(step.pose.x, step.pose.y, z), step.pose.yaw,
                         step.liftoff_time, step.touchdown_time, height);
    liftoffs_.push_back(step.liftoff_time);
    stance.foot(step.foot) = step.pose;
    stances_.push_back(stance);
  }

  // ZMP reference knots (times non-decreasing; equal times make a jump).
  initial_com_ = params_.initial_com.value_or(Xy(plan_.start.Center()));
  zmp_knots_.push_back({plan_.start_time, initial_com_});
  if (n > 0) {
    const double first_liftoff = plan_.steps[0].liftoff_time;
    zmp_knots_.push_back(
        {std::max(plan_.start_time, first_liftoff - params_.shift_time), initial_com_});
    for (size_t i = 0; i < n; ++i) {
      const Footstep& step = plan_.steps[i];
      const Pose2 sole = stances_[i].foot(OtherFoot(step.foot));
      const double outward = (step.foot == Foot::kLeft ? -1 : 1) * params_.support_outward;  // support's left
      const Eigen::Vector2d support = Xy(sole) + outward * Eigen::Vector2d(-std::sin(sole.yaw), std::cos(sole.yaw));
      zmp_knots_.push_back({step.liftoff_time, support});
      zmp_knots_.push_back({step.touchdown_time, support});
    }
    const Eigen::Vector2d final_center = Xy(stances_.back().Center());
    const double last_touchdown = plan_.steps.back().touchdown_time;
    zmp_knots_.push_back(
        {std::min(plan_.end_time, last_touchdown + (params_.stop_shift_time > 0 ? params_.stop_shift_time
                                                                                  : params_.shift_time)),
         final_center});
    zmp_knots_.push_back({plan_.end_time, final_center});
  }

  // CoM by preview control, one sample per dt from start_time through end_time.
  const double dt = gains_.params.dt;
  const int samples =
      static_cast<int>(std::ceil((plan_.end_time - plan_.start_time) / dt - 1e-9)) + 1;
  std::vector<Eigen::Vector2d> zmp_ref(std::max(samples, 1));
  for (size_t k = 0; k < zmp_ref.size(); ++k) {
    zmp_ref[k] = ZmpReference(plan_.start_time + static_cast<double>(k) * dt);
  }
  com_ = ComputeComTrajectory(gains_, zmp_ref, initial_com_);
}

Eigen::Vector2d WalkingPattern::ZmpReference(double t) const {
  std::size_t cold = 0;
  return ZmpReference(t, &cold);
}

Eigen::Vector2d WalkingPattern::ZmpReference(double t, std::size_t* hint) const {
  if (t <= zmp_knots_.front().time) return zmp_knots_.front().zmp;
  if (t >= zmp_knots_.back().time) return zmp_knots_.back().zmp;
  // The first knot after t.
  const auto next = PartitionPointFrom(zmp_knots_.begin(), zmp_knots_.end(),
                                       [t](const ZmpKnot& k) { return !(t < k.time); }, hint);
  const auto prev = next - 1;  // prev->time <= t < next->time
  const double f = (t - prev->time) / (next->time - prev->time);
  return prev->zmp + f * (next->zmp - prev->zmp);
}

FootState WalkingPattern::StandingFoot(const Pose2& pose) const {
  FootState foot;
  foot.position = {pose.x, pose.y, params_.ground_height};
  foot.yaw = pose.yaw;
  return foot;
}

void WalkingPattern::SampleCom(double t, WalkingSample* out) const {
  const double dt = com_.dt;
  const double tau = t - plan_.start_time;
  const int last = static_cast<int>(com_.states.size()) - 1;
  Eigen::Vector2d pos, vel = Eigen::Vector2d::Zero(), acc = Eigen::Vector2d::Zero();
  if (tau <= 0) {
    pos = initial_com_;
  } else if (tau >= last * dt) {
    pos = com_.states[last].row(0).transpose();  // held still after the last sample
  } else {
    // Exact cart-table motion under the sample's constant jerk.
    const int k = std::min(static_cast<int>(tau / dt), last - 1);
    const double s = tau - k * dt;
    const CartState& x = com_.states[k];
    const Eigen::Vector2d& u = com_.jerks[k];
    pos = x.row(0).transpose() +
          s * (x.row(1).transpose() + s / 2 * (x.row(2).transpose() + s / 3 * u));
    vel = x.row(1).transpose() + s * (x.row(2).transpose() + s / 2 * u);
    acc = x.row(2).transpose() + s * u;
  }
  const double height = gains_.params.com_height;
  out->com_position << pos, height + params_.ground_height;
  out->com_velocity << vel, 0;
  out->com_acceleration << acc, 0;
  out->zmp = pos - height / gains_.params.gravity * acc;
}

WalkingSample WalkingPattern::Sample(double t) const {
  ReferenceCursor cold;
  return Sample(t, &cold);
}

WalkingSample WalkingPattern::Sample(double t, ReferenceCursor* cursor) const {
  WalkingSample out;
  out.time = t;
  SampleCom(t, &out);
  out.zmp_reference = ZmpReference(t, &cursor->zmp_knot);

  const int n = static_cast<int>(plan_.steps.size());
  // Last step that has lifted off by t (-1: none).
  const auto lifted = PartitionPointFrom(liftoffs_.begin(), liftoffs_.end(),
                                         [t](double liftoff) { return !(t < liftoff); }, &cursor->liftoff);
  const int i = static_cast<int>(lifted - liftoffs_.begin()) - 1;
  if (i >= 0 && t < plan_.steps[i].touchdown_time) {
    const Footstep& step = plan_.steps[i];
    const Foot support = OtherFoot(step.foot);
    const FootState swing = swings_[i].Sample(t);
    const FootState stand = StandingFoot(stances_[i].foot(support));
    const bool left_swings = step.foot == Foot::kLeft;
    out.left = left_swings ? swing : stand;
    out.right = left_swings ? stand : swing;
    out.left_in_contact = !left_swings;
    out.right_in_contact = left_swings;
    out.phase = left_swings ? WalkPhase::kLeftSwing : WalkPhase::kRightSwing;
    out.step_index = i;
    out.phase_fraction = (t - step.liftoff_time) / (step.touchdown_time - step.liftoff_time);
    return out;
  }
  const Stance& stance = stances_[i + 1];
  out.left = StandingFoot(stance.left);
  out.right = StandingFoot(stance.right);
  out.step_index = i + 1;
  if (t < plan_.start_time || t >= plan_.end_time || n == 0) {
    out.phase = WalkPhase::kStanding;
    out.step_index = t < plan_.start_time ? 0 : n;
    return out;
  }
  out.phase = WalkPhase::kDoubleSupport;
  const double begin = i >= 0 ? plan_.steps[i].touchdown_time : plan_.start_time;
  const double end = i + 1 < n ? plan_.steps[i + 1].liftoff_time : plan_.end_time;
  out.phase_fraction = end > begin ? (t - begin) / (end - begin) : 0;
  return out;
}

}  // namespace yangbot
