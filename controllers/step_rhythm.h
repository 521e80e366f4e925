// What kind of stepping the plan does around now, for the pelvis task's weights: slow
// steps (the reference's double supports last at least slow_double_support) and travel
// (the reference's CoM moves on over a window of seconds). Both are properties of the
// plan, not of the measured robot, and both last longer than a tick.
#ifndef YANGBOT_CONTROLLERS_STEP_RHYTHM_H_
#define YANGBOT_CONTROLLERS_STEP_RHYTHM_H_

#include "controllers/reference.h"
#include "controllers/whole_body_gains.h"

namespace yangbot {

/// Pelvis orientation task weights about the pelvis heading's axes.
struct PelvisWeights {
  double roll = 0;   ///< sway
  double pitch = 0;  ///< bow
  double yaw = 0;    ///< heading
};

/// Slow-step and travel detection over the reference (one per controller, clonable).
class StepRhythm {
 public:
  /// Notes the reference's contacts at `t` (s); call once a tick. A double support that
  /// lasted from slow_double_support up to 1 s marks slow steps from the next lift-off on
  /// (standing longer is not slow stepping: a quick walk's first steps falter with it).
  void Observe(const RobotReference& ref, double t, const WholeBodyGains& k);
  /// Whether the last double support marked slow steps.
  bool slow_steps() const { return slow_steps_; }
  /// Whether the reference's CoM travels around `t` (s): its mean over the coming
  /// travel_window against its mean over the last one, re-evaluated 4 times a second
  /// (cached in between). A periodic sway whose period divides travel_window (rocking,
  /// the cross step's forward and back) cancels out, steady travel does not, and travel
  /// is seen as it starts (the plan is known ahead). False without a plan.
  bool Travelling(const ReferenceSource* plan, double t, const WholeBodyGains& k);
  /// s, the plan's next touch-down after `t` (a foot's contact flag turning on), looked for
  /// up to `horizon` s ahead at 10 ms; -1: none. Looked up again once the last one has
  /// passed (or 0.1 s after finding none) or the plan changed.
  double NextTouchdown(const ReferenceSource* plan, double t, double horizon);

 private:
  double double_support_since_ = -1;  // s, start of the reference's current double support
  bool slow_steps_ = false;
  bool travelling_ = false;
  double travel_next_ = 0;  // s, when Travelling looks again
  const ReferenceSource* touchdown_plan_ = nullptr;  // the plan NextTouchdown looked at
  double next_touchdown_ = -1;  // s, its answer
  double touchdown_look_ = -1;  // s, when it looks again
  ReferenceCursor touchdown_cursor_;  // where its samples, 10 ms apart, landed in the plan's tables
};

/// The pelvis weights for this tick: stiff (w_pelvis_recovery) while stepping to recover,
/// a firm roll and loose heading during slow steps in place, a loose roll in the double
/// support of travelling slow steps (the CoM moves on over the feet) and a firmer one in
/// their single support (the pelvis roll sets how the swing foot lands), else w_pelvis
/// (roll, heading) and w_pelvis_pitch.
PelvisWeights ChoosePelvisWeights(const WholeBodyGains& k, bool recovering, bool slow_steps, bool travelling,
                                  bool single_support);

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_STEP_RHYTHM_H_
