// Step-to-step balance for robots whose soles are lines (H1's narrow rolling feet): each
// swing foot's landing is re-planned every tick from the measured DCM.
//
// With the CoP pinned to the stance sole (controllers/dcm_stabilizer.h), the DCM error
// e = ξ − ξ_ref obeys ė = ω (e − d), d the CoP's offset from the plan's; held until the
// touch-down, t_rem away, it reaches e_T = d + (e − d) e^{ω t_rem} (along an axis where the
// CoP is not clamped the ankle makes it decay instead, e_T = e e^{−kω t_rem}). The foot
// lands at the planned place shifted by (1 + landing_gain) e_T: by e_T alone the walk goes
// on parallel to the plan, the extra share brings it back over the next step (landing_gain
// = 1 / (e^{ωT} − 1) is deadbeat for a step of T). The shift is clamped to a reach, the
// landing kept clear of the stance foot (no crossing the plan does not have), frozen
// freeze_time before the touch-down, and blended into the planned swing trajectory from
// the lift-off (quintic, so the foot leaves from where it stands and arrives where it
// is sent), meeting the floor at landing_speed. Touch-downs stay on the plan's beat
// times; a foot's offset from the plan after it lands carries into its next swing's start
// and into the stance reference. Once the plan stands, the CoM reference follows the mean of
// the feet's offsets (blended over com_shift_time): a walk
// that ended with its feet off the plan otherwise stood with the CoM on the edge of its soles.
#ifndef YANGBOT_CONTROLLERS_FOOT_PLACEMENT_H_
#define YANGBOT_CONTROLLERS_FOOT_PLACEMENT_H_

#include <Eigen/Core>
#include <array>
#include <vector>

#include "controllers/reference.h"

namespace yangbot {

/// Settings of the landing law.
struct FootPlacementParams {
  /// Extra share of the predicted error the landing takes (0.25: 1 m/s forward fell 1/5 at
  /// the end of the walk; 0.15: 0/5, the other rows of controllers/README.md alike).
  double landing_gain = 0.15;
  /// s; swings this short or shorter take the whole landing_gain, swings of long_swing_time
  /// or longer none, linear between (LandingGain). The overshoot grows e^{ωT} over the next
  /// swing: with 0.15, one step a beat at 90 bpm (0.53 s swings) rocked wider step by step
  /// and fell 2-3 of 10 (0 of 10 with no extra share), and the stock-layout H1 fell at
  /// 1 m/s (0.4 s swings); two steps a beat (0.2 s swings) land closer with it.
  double short_swing_time = 0.3;
  double long_swing_time = 0.4;  ///< s, see short_swing_time
  double max_shift = 0.3;       ///< m, largest landing shift from the plan (each axis)
  double min_width = 0.14;      ///< m, least distance across the heading between the feet
  double max_width = 0.6;       ///< m, most distance across the heading between the feet
  double max_reach = 0.65;      ///< m, most distance along the heading from the stance foot
  double freeze_time = 0.05;    ///< s, the landing is held this long before touch-down
  /// m/s, the swing meets the floor at its touch-down time moving down this fast (over the
  /// last landing_window of the swing): the planned swing arrives with zero velocity, so
  /// a millimetre of tracking lag kept the sole hovering and it landed 35-45 ms late;
  /// aiming 4 mm below the floor instead landed it 30 ms early (18 ms per mm).
  double landing_speed = 0.5;
  /// m/s, the landing speed of a swing that turns less than straight_turn and lasts at
  /// least straight_swing_time: 0.7 lands the walks' touch-downs ~1 ms nearer their beats,
  /// but turning swings (the arc's 0.5 rad steps) and short ones (two steps a beat) landing
  /// that fast miss touch-downs or land short. Soles with a toe bar keep landing_speed
  /// (WholeBodyController): landing faster cost the stock-layout H1 its forward arrival
  /// and its 90 bpm side steps' touch-downs.
  double straight_landing_speed = 0.7;
  double straight_turn = 0.1;          ///< rad, see straight_landing_speed
  double straight_swing_time = 0.25;   ///< s, see straight_landing_speed
  double landing_window = 0.1;  ///< s, at most half the swing
  double com_shift_time = 1.0;  ///< s over which the CoM reference's shift changes
  double settle_time = 0.4;     ///< s after the last touch-down from which the CoM shifts
  double search_step = 0.01;    ///< s, resolution of the search for the touch-down time
  double search_horizon = 3.0;  ///< s, how far ahead a swing's touch-down is looked for
};

/// What the law needs of one tick.
struct FootPlacementInput {
  double time = 0;                                       ///< s
  double omega = 3.2;                                    ///< 1/s
  double dcm_gain = 1.0;  ///< k of the DCM stabiliser (the CoP law the prediction assumes)
  Eigen::Vector2d dcm_error = Eigen::Vector2d::Zero();   ///< m, ξ − ξ_ref (measured)
  Eigen::Vector2d cop_reference = Eigen::Vector2d::Zero();  ///< m, the plan's CoP
  Eigen::Vector2d cop_free = Eigen::Vector2d::Zero();    ///< m, the stabiliser's CoP before the clamp
  Eigen::Vector2d cop = Eigen::Vector2d::Zero();         ///< m, the CoP after the clamp
  std::array<Eigen::Vector2d, 2> sole{Eigen::Vector2d::Zero(), Eigen::Vector2d::Zero()};  ///< m, measured sole centres
  std::array<double, 2> sole_yaw{};                      ///< rad, measured sole headings
};

/// The extra share of the predicted error a landing of a swing lasting `swing_time` (s,
/// lift-off to touch-down) takes: landing_gain scheduled by the swing's length.
double LandingGain(const FootPlacementParams& params, double swing_time);

/// Re-plans swing landings from the measured state; holds the feet's offsets from the plan.
class FootPlacement {
 public:
  FootPlacement() = default;
  /// A law with these settings.
  explicit FootPlacement(const FootPlacementParams& params) : params_(params) {}
  /// Shifts `ref` (sampled from `source` at `time`, s): its feet by where they stand or
  /// are sent, its CoM with the standing feet. `landing_shift` (m, per foot): how far the
  /// caller has moved each foot's coming landing from `source`'s (catching up after
  /// recovery steps). Call once a tick, before the CoM task.
  void Shift(const ReferenceSource& source, double time, const std::array<Eigen::Vector2d, 2>& landing_shift,
             RobotReference* ref);
  /// Re-plans the landings of the swinging feet from this tick's DCM (used from the next
  /// Shift on).
  void Replan(const FootPlacementInput& in);
  /// m, the shift of the CoM reference from the plan's.
  const Eigen::Vector2d& com_offset() const { return com_offset_; }
  /// Forgets every offset (the plan changed, or recovery steps took over).
  void Reset();
  /// m, offset of foot `side` (0 left) from its plan: standing, or its target while swinging.
  Eigen::Vector2d offset(int side) const { return feet_[side].swinging ? feet_[side].target : feet_[side].offset; }
  /// Whether foot `side` is swinging under the law.
  bool swinging(int side) const { return feet_[side].swinging; }
  /// s, planned touch-down of foot `side`'s current swing.
  double touchdown(int side) const { return feet_[side].touchdown; }

 private:
  struct Foot {
    bool swinging = false;
    double liftoff = 0, touchdown = 0;  // s
    Eigen::Vector2d offset = Eigen::Vector2d::Zero();       // m, standing offset from the plan
    Eigen::Vector2d lift_offset = Eigen::Vector2d::Zero();  // m, offset at lift-off
    Eigen::Vector2d target = Eigen::Vector2d::Zero();       // m, landing offset
    Eigen::Vector2d planned_landing = Eigen::Vector2d::Zero();  // m, the plan's landing
    double landing_speed = 0;  // m/s, down at touch-down (turning or straight swing)
  };
  void StartSwing(const ReferenceSource& source, double t, int side, const Eigen::Vector2d& landing_shift);
  Eigen::Vector2d Target(const FootPlacementInput& in, int side) const;

  FootPlacementParams params_;
  std::array<Foot, 2> feet_{};
  Eigen::Vector2d com_offset_ = Eigen::Vector2d::Zero();
  Eigen::Vector2d shift_from_ = Eigen::Vector2d::Zero(), shift_to_ = Eigen::Vector2d::Zero();
  double shift_start_ = -1e9;     // s, the CoM shift's blend from shift_from_ to shift_to_
  double last_touchdown_ = -1e9;  // s
};

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_FOOT_PLACEMENT_H_
