#include "controllers/balance_recovery.h"

#include <algorithm>
#include <cmath>

#include "controllers/dcm_stabilizer.h"

namespace yangbot {
namespace {

using Vector2 = Eigen::Vector2d;
using Vector3 = Eigen::Vector3d;

Vector2 Direction(double yaw) { return {std::cos(yaw), std::sin(yaw)}; }

}  // namespace

BalanceRecovery::BalanceRecovery(const BalanceRecoveryParams& params,
                                 const std::array<SoleRectangle, 2>& soles, bool line_soles)
    : params_(params), soles_(soles), line_soles_(line_soles) {}

std::vector<Vector2> BalanceRecovery::Support(const BalanceInput& in, bool both_feet, int stance) const {
  std::vector<Vector2> points;
  points.reserve(8);  // four corners a sole: one allocation a call
  for (int side = 0; side < 2; ++side) {
    if (!both_feet && side != stance) continue;
    const Vector2 ux = Direction(in.sole_yaw[side]);
    const Vector2 uy(-ux.y(), ux.x());
    const SoleRectangle& r = soles_[side];
    for (double x : {r.x_min, r.x_max}) {
      for (double y : {r.y_min, r.y_max}) points.push_back(in.sole[side].head<2>() + x * ux + y * uy);
    }
  }
  return points;
}

bool BalanceRecovery::CaptureOutsideLine(const BalanceInput& in, bool both_feet, int stance,
                                         Vector2* direction) const {
  const Vector2 out = xi_ - ClampToConvexHull(Support(in, both_feet, stance), xi_);
  if (out.norm() <= std::max(1e-6, params_.line_trigger_margin)) return false;
  *direction = out.normalized();
  return true;
}

Vector3 BalanceRecovery::PlanLineLanding(const BalanceInput& in, int side, double remaining, double widen,
                                         double* shortfall) const {
  const int stance = 1 - side;
  const Vector2 p = ClampToConvexHull(Support(in, false, stance), xi_);
  Vector2 target = p + (xi_ - p) * std::exp(in.omega * std::max(0.0, remaining));
  const Vector2 fall = target - p;
  if (fall.norm() > 1e-6) {
    target += (crowded_ ? params_.line_crowded_offset : params_.landing_offset) * fall.normalized();
  }
  // Limits in the feet's heading frame about the stance foot: reach along it, width across
  // it on the swing foot's own side (the left foot lands left of the right one).
  const Vector2 along = Heading(in);
  const Vector2 across(-along.y(), along.x());
  const Vector2 rel = target - in.sole[stance].head<2>();
  const double sign = side == 0 ? 1 : -1;
  const double a = std::clamp(rel.dot(along), -params_.max_backward, params_.line_max_forward);
  double c = std::clamp(sign * rel.dot(across), params_.line_min_width,
                        std::max(LineMaxWidth(), params_.line_open_max_width));
  // Wider than line_max_width only away from the neighbours: the step is not crowded and
  // the stance centre it makes keeps clear of them.
  if (c > LineMaxWidth()) {
    const Vector2 open = in.sole[stance].head<2>() + a * along + sign * c * across;
    if (crowded_ || NeighbourIntrusion(in, 0.5 * (open + in.sole[stance].head<2>())) > 0) c = LineMaxWidth();
  }
  const Vector2 landing = in.sole[stance].head<2>() + a * along + sign * c * across;
  *shortfall = (landing - target).norm();
  const double wide = std::min(c + widen, std::max(c, LineMaxWidth()));
  const Vector2 widened = landing + sign * (wide - c) * across;
  return Vector3(widened.x(), widened.y(), ground_);
}

double BalanceRecovery::LineMaxWidth() const {
  return params_.line_max_width + (soles_[0].toe_slope != 0 ? params_.line_toe_bar_extra_width : 0);
}

double BalanceRecovery::NeighbourIntrusion(const BalanceInput& in, const Vector2& point) const {
  double intrusion = 0;
  for (const Vector2& n : in.neighbours) {
    intrusion += std::max(0.0, params_.neighbour_clearance - (point - n).norm());
  }
  return intrusion;
}

double BalanceRecovery::StanceIntrusion(const BalanceInput& in, int side, const Vector3& landing) const {
  return NeighbourIntrusion(in, 0.5 * (landing + in.sole[1 - side]).head<2>());
}

Vector2 BalanceRecovery::Heading(const BalanceInput& in) const {
  const Vector2 sum = Direction(in.sole_yaw[0]) + Direction(in.sole_yaw[1]);
  return sum.norm() > 1e-9 ? Vector2(sum.normalized()) : Vector2(1, 0);
}

bool BalanceRecovery::CaptureOutside(const BalanceInput& in, bool both_feet, int stance,
                                     bool* forward) const {
  const Vector2 ex = Heading(in);
  double front = -1e9, back = 1e9;
  for (int side = 0; side < 2; ++side) {
    if (!both_feet && side != stance) continue;
    // Extent of the sole's rectangle along the heading (its four corners).
    const Vector2 ux = Direction(in.sole_yaw[side]);
    const Vector2 uy(-ux.y(), ux.x());
    const SoleRectangle& r = soles_[side];
    for (double x : {r.x_min, r.x_max}) {
      for (double y : {r.y_min, r.y_max}) {
        const double along = (in.sole[side].head<2>() + x * ux + y * uy).dot(ex);
        front = std::max(front, along);
        back = std::min(back, along);
      }
    }
  }
  const double xi = xi_.dot(ex);
  if (xi > front + params_.trigger_margin) {
    *forward = true;
    return true;
  }
  if (xi < back - params_.trigger_margin) {
    *forward = false;
    return true;
  }
  return false;
}

Vector3 BalanceRecovery::PlanLanding(const BalanceInput& in, int side, double remaining) const {
  const int stance = 1 - side;
  const Vector2 ex = Heading(in);
  const double stance_x = in.sole[stance].head<2>().dot(ex);
  // The stance foot's CoP pushed to its edge in the direction of travel.
  const double p = stance_x + (forward_ ? soles_[stance].x_max : soles_[stance].x_min);
  const double xi = xi_.dot(ex);
  double target = p + (xi - p) * std::exp(in.omega * std::max(0.0, remaining));
  target += forward_ ? params_.landing_offset : -params_.landing_offset;
  // Never behind the stance foot along the push, never beyond the leg's reach.
  target = forward_ ? std::clamp(target, stance_x, stance_x + params_.max_forward)
                    : std::clamp(target, stance_x - params_.max_backward, stance_x);
  // The flat foot moves along its own heading (its hip's sagittal plane).
  const Vector3& start = swing_.Sample(swing_.start_time()).position;
  const Vector2 u = Direction(in.sole_yaw[side]);
  const double advance = (target - start.head<2>().dot(ex)) / std::max(0.5, u.dot(ex));
  Vector3 landing(start.x(), start.y(), ground_);
  landing.head<2>() += advance * u;
  return landing;
}

void BalanceRecovery::Hold(int side, const Vector3& position, double yaw) {
  hold_[side] = position;
  hold_yaw_[side] = yaw;
}

void BalanceRecovery::StartSwing(const BalanceInput& in, int side, double duration, double height,
                                 const Vector3& target) {
  swing_side_ = side;
  swing_ = SwingTrajectory(in.sole[side], in.sole_yaw[side], target, in.sole_yaw[side], in.time,
                           in.time + duration, height);
  landing_ = target;
  phase_start_ = in.time;
}

Vector2 BalanceRecovery::SettlePoint(const BalanceInput& in) const {
  // With both soles flat the hips only move along the feet's heading, so the CoM keeps
  // its lateral place; it can rest where that lateral line crosses the segment between
  // the sole centres (the middle of the staggered support).
  const Vector2 ex = Heading(in);
  const Vector2 ey(-ex.y(), ex.x());
  const Vector2 a = in.sole[0].head<2>(), b = in.sole[1].head<2>();
  const double across = (b - a).dot(ey);
  double s = 0.5;
  if (std::abs(across) > 1e-6) s = std::clamp((in.com.head<2>() - a).dot(ey) / across, 0.2, 0.8);
  const Vector2 on_segment = a + s * (b - a);
  return on_segment.dot(ex) * ex + in.com.head<2>().dot(ey) * ey;
}

bool BalanceRecovery::LineStepOutrun(const BalanceInput& in, const Vector2& xi_ref) const {
  const std::vector<Vector2> support = Support(in, true, 0);
  const Vector2 d = ClampToConvexHull(support, xi_) - ClampToConvexHull(support, xi_ref);
  const Vector2 e = xi_ - xi_ref;
  const Vector2 e_touchdown = d + (e - d) * std::exp(in.omega * (in.next_touchdown - in.time));
  return e_touchdown.norm() > params_.line_step_reach;
}

bool BalanceRecovery::Update(const BalanceInput& in, RobotReference* ref) {
  xi_ = (in.com + in.com_velocity / in.omega).head<2>();
  if (!params_.enabled) return false;
  const Vector2 ex = Heading(in);
  const Vector2 ey(-ex.y(), ex.x());
  const double t = in.time;
  const Vector2 mid = 0.5 * (in.sole[0] + in.sole[1]).head<2>();
  bool finished = false;

  // Starts a recovery step with the foot behind along the push; stance on the side the
  // capture point leans to (the lateral fall in single support is then smallest).
  auto start_recovery = [&](bool forward) {
    forward_ = forward;
    const double a0 = in.sole[0].head<2>().dot(ex), a1 = in.sole[1].head<2>().dot(ex);
    int side;
    if (std::abs(a0 - a1) > 0.02) {
      side = (a0 < a1) == forward ? 0 : 1;
    } else {
      side = (xi_ - mid).dot(ey) > 0 ? 1 : 0;  // leaning left: stand on the left foot
    }
    swing_ = SwingTrajectory(in.sole[side], in.sole_yaw[side], in.sole[side], in.sole_yaw[side], t,
                             t + params_.swing_duration, params_.swing_height);
    StartSwing(in, side, params_.swing_duration, params_.swing_height,
               PlanLanding(in, side, params_.swing_duration));
    com_hold_.head<2>() = mid;
    if (phase_ == Phase::kIdle) {  // the floor: the lower sole (the other may be rising)
      ground_ = std::min(in.sole[0].z(), in.sole[1].z());
      for (int f = 0; f < 2; ++f) Hold(f, Vector3(in.sole[f].x(), in.sole[f].y(), ground_), in.sole_yaw[f]);
    }
    phase_ = Phase::kSwing;
    ++steps_;
  };

  // Line soles: a step in any direction; each foot is tried and the one whose landing the
  // limits cut least steps (on a tie, within 1 cm, the one behind along the fall).
  // `only`: the foot that must step (the reference's swinging foot), -1: either.
  auto start_line_recovery = [&](const Vector2& direction, int only) {
    direction_ = direction;
    if (phase_ == Phase::kIdle) {
      ground_ = only >= 0 ? in.sole[1 - only].z() : std::min(in.sole[0].z(), in.sole[1].z());
      for (int f = 0; f < 2; ++f) Hold(f, Vector3(in.sole[f].x(), in.sole[f].y(), ground_), in.sole_yaw[f]);
    }
    crowded_ = NeighbourIntrusion(in, xi_ + params_.line_crowded_lookahead * direction) > 0;
    std::array<Vector3, 2> landing;
    std::array<double, 2> shortfall{}, intrusion{};
    for (int side = 0; side < 2; ++side) {
      landing[side] = PlanLineLanding(in, side, params_.line_swing_duration, 0, &shortfall[side]);
      intrusion[side] = StanceIntrusion(in, side, landing[side]);
    }
    int side = (in.sole[0] - in.sole[1]).head<2>().dot(direction) < 0 ? 0 : 1;  // behind
    if (shortfall[1 - side] + 0.01 < shortfall[side]) side = 1 - side;
    // Near a neighbour, the foot whose stance centre keeps clearer of it, unless its
    // landing falls further short of the capture target than it gains.
    if (intrusion[side] > 0 &&
        shortfall[1 - side] + intrusion[1 - side] + 0.01 < shortfall[side] + intrusion[side]) {
      side = 1 - side;
    }
    // A step after a recovery step is the other foot's: the one that just landed carries
    // the weight (lifting it again 50 ms after its touch-down, as the least cut landing
    // asked, lifted the stance foot off instead and the robot toppled).
    if (phase_ == Phase::kSettle) side = 1 - swing_side_;
    double duration = params_.line_swing_duration, apex = params_.swing_height;
    if (only >= 0) {
      side = only;
      if (shortfall[side] > params_.line_quick_shortfall) {
        duration = params_.line_quick_swing;
        apex = params_.line_quick_apex;
      }
    }
    // A neighbour near where the fall carries the robot: the quick swing, so that xi runs
    // less far before the foot lands, landing line_crowded_offset beyond it.
    crowded_ = crowded_ || intrusion[side] > 0;
    if (crowded_) {
      duration = params_.line_quick_swing;
      apex = params_.line_quick_apex;
    }
    // Still too near: the foot lands wider on its own side (xi stays between the feet),
    // as much as moves the stance centre clear, in line_widen_step steps.
    widen_ = 0;
    if (intrusion[side] > 0) {
      double best = intrusion[side];
      for (double widen = params_.line_widen_step; widen <= params_.line_max_widen + 1e-9;
           widen += params_.line_widen_step) {
        double cut = 0;
        const double through = StanceIntrusion(in, side, PlanLineLanding(in, side, duration, widen, &cut));
        if (through + 0.5 * params_.line_widen_step < best) {
          best = through;
          widen_ = widen;
        }
      }
    }
    if (crowded_) landing[side] = PlanLineLanding(in, side, duration, widen_, &shortfall[side]);
    StartSwing(in, side, duration, apex, landing[side]);
    com_hold_.head<2>() = mid;
    phase_ = Phase::kSwing;
    ++steps_;
  };

  switch (phase_) {
    case Phase::kIdle: {
      if (line_soles_) {
        const Vector2 error = xi_ - (ref->com + ref->com_velocity / in.omega).head<2>();
        if (ref->feet[0].in_contact != ref->feet[1].in_contact) {
          // Single support: the swinging foot lands from the DCM, sooner than planned.
          const int stance = ref->feet[0].in_contact ? 0 : 1;
          const Vector2 along = Direction(in.sole_yaw[stance]);
          const double toward_stance = (stance == 0 ? 1 : -1) * error.dot(Vector2(-along.y(), along.x()));
          if (error.norm() < params_.line_takeover_error && toward_stance < params_.line_takeover_across) {
            return false;
          }
          start_line_recovery(error.normalized(), ref->feet[0].in_contact ? 1 : 0);
          break;
        }
        Vector2 direction;
        if (!ref->feet[0].in_contact || !CaptureOutsideLine(in, true, 0, &direction)) return false;
        if (error.dot(direction) < params_.trigger_dcm_error) return false;
        if (in.next_touchdown > t && !LineStepOutrun(in, xi_ - error)) return false;
        start_line_recovery(direction, -1);
        break;
      }
      if (!ref->feet[0].in_contact || !ref->feet[1].in_contact) return false;
      bool forward = true;
      if (!CaptureOutside(in, true, 0, &forward)) return false;
      const Vector2 xi_ref = (ref->com + ref->com_velocity / in.omega).head<2>();
      const double error = (xi_ - xi_ref).dot(ex);
      if ((forward ? error : -error) < params_.trigger_dcm_error) return false;
      start_recovery(forward);
      break;
    }
    case Phase::kSwing: {
      if (t < swing_.end_time()) {
        const double s = (t - swing_.start_time()) / (swing_.end_time() - swing_.start_time());
        if (s < params_.replan_fraction) {
          const Vector3 start = swing_.Sample(swing_.start_time()).position;
          const double yaw = swing_.Sample(swing_.start_time()).yaw;
          double shortfall = 0;
          landing_ = line_soles_ ? PlanLineLanding(in, swing_side_, swing_.end_time() - t, widen_, &shortfall)
                                 : PlanLanding(in, swing_side_, swing_.end_time() - t);
          swing_ = SwingTrajectory(start, yaw, landing_, yaw, swing_.start_time(), swing_.end_time(),
                                   swing_.apex_height());
        }
        break;
      }
      // The landed foot is held where it touched down, at the height it was aimed at.
      Hold(swing_side_, Vector3(in.sole[swing_side_].x(), in.sole[swing_side_].y(), landing_.z()),
           in.sole_yaw[swing_side_]);
      phase_ = Phase::kSettle;
      phase_start_ = t;
      com_hold_.head<2>() = line_soles_ ? Vector2(0.5 * (in.sole[0] + in.sole[1]).head<2>()) : SettlePoint(in);
      break;
    }
    case Phase::kSettle: {
      if (line_soles_) {
        Vector2 direction;
        if (t - phase_start_ >= params_.double_support && CaptureOutsideLine(in, true, 0, &direction) &&
            (xi_ - com_hold_.head<2>()).dot(direction) > params_.trigger_dcm_error) {
          start_line_recovery(direction, -1);
          break;
        }
        if (t - phase_start_ < params_.settle_time || in.com_velocity.head<2>().norm() > params_.settle_speed) {
          break;
        }
        phase_ = Phase::kIdle;
        finished = true;
        break;
      }
      bool forward = true;
      if (CaptureOutside(in, true, 0, &forward) &&
          (forward ? 1 : -1) * (xi_ - com_hold_.head<2>()).dot(ex) > params_.trigger_dcm_error) {
        start_recovery(forward);
        break;
      }
      // Step through: while the capture point still runs past the front foot's centre, the
      // CoM will end up over that foot, out of the rear leg's reach: bring the rear foot up.
      // After a forward step longer than max_stagger, always: a stagger that long was not
      // danced out of (the catch-up walk rolled over, or the rear foot slid off as the robot
      // stood on the front one).
      const double a0 = in.sole[0].head<2>().dot(ex), a1 = in.sole[1].head<2>().dot(ex);
      const double front_x = forward_ ? std::max(a0, a1) : std::min(a0, a1);
      if (t - phase_start_ >= params_.double_support &&
          ((forward_ ? 1 : -1) * (xi_.dot(ex) - front_x) > -params_.step_through_margin ||
           (forward_ && std::abs(a0 - a1) > params_.max_stagger)) &&
          std::abs(a0 - a1) > 0.03) {
        start_recovery(forward_);
        break;
      }
      if (t - phase_start_ < params_.settle_time || in.com_velocity.head<2>().norm() > params_.settle_speed) {
        break;
      }
      phase_ = Phase::kIdle;
      finished = true;
      break;
    }
  }
  if (phase_ == Phase::kIdle) return finished;

  // Rewrite the reference: stance feet where they were put down, the swing foot on its
  // trajectory. Held, not measured: a foot that lifts (the robot leaning onto the other
  // one) shows as off its reference, and the controller can put it down again instead of
  // asking it for forces (measured, the reference followed it: default show, r05 shoved at
  // 28 and 44 s, a rear foot 1-8 cm up was dragged 11-28 cm while "standing").
  const bool swinging = phase_ == Phase::kSwing;
  for (int side = 0; side < 2; ++side) {
    FootReference& f = ref->feet[side];
    if (swinging && side == swing_side_) {
      const FootState s = swing_.Sample(t);
      f.position = s.position;
      f.velocity = s.velocity;
      f.acceleration = s.acceleration;
      f.yaw = s.yaw;
      f.yaw_rate = s.yaw_rate;
      f.in_contact = false;
    } else {
      f.position = hold_[side];
      f.velocity.setZero();
      f.acceleration.setZero();
      f.yaw = hold_yaw_[side];
      f.yaw_rate = 0;
      f.in_contact = true;
    }
  }
  if (line_soles_) {
    // The CoM falls as the pendulum over the stance line does (the landing assumes it),
    // then comes to rest between the feet.
    if (phase_ == Phase::kSwing) {
      const Vector2 p = ClampToConvexHull(Support(in, false, 1 - swing_side_), xi_);
      ref->com.head<2>() = in.com.head<2>();
      ref->com_velocity.head<2>() = in.com_velocity.head<2>();
      ref->com_acceleration.head<2>() = in.omega * in.omega * (in.com.head<2>() - p);
    } else {
      ref->com.head<2>() = com_hold_.head<2>();
      ref->com_velocity.head<2>().setZero();
      ref->com_acceleration.head<2>().setZero();
    }
    return finished;
  }
  // CoM: laterally held between the feet; sagittally as below.
  const double lateral = com_hold_.head<2>().dot(ey);
  Vector2 com = in.com.head<2>(), com_velocity = Vector2::Zero(), com_acceleration = Vector2::Zero();
  switch (phase_) {
    case Phase::kSwing: {
      // Fall as the pendulum over the stance foot's edge does (the landing assumes it).
      const int stance = 1 - swing_side_;
      const double p = in.sole[stance].head<2>().dot(ex) +
                       (forward_ ? soles_[stance].x_max : soles_[stance].x_min);
      const double along = in.com.head<2>().dot(ex);
      com_velocity = in.com_velocity.head<2>().dot(ex) * ex;
      com_acceleration = in.omega * in.omega * (along - p) * ex;
      break;
    }
    case Phase::kSettle:
      com = com_hold_.head<2>();
      break;
    case Phase::kIdle:
      break;
  }
  com = com - com.dot(ey) * ey + lateral * ey;
  ref->com.head<2>() = com;
  ref->com_velocity.head<2>() = com_velocity;
  ref->com_acceleration.head<2>() = com_acceleration;
  return finished;
}

}  // namespace yangbot
