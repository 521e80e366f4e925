// The envelope the omnidirectional gait of issue #20 aims at (the bar: 1.0 m/s forward,
// 0.5 m/s back, 0.35 m/s sideways at 120 bpm, one step a beat), for planning tests that
// need a large envelope. Not measured: the scheduler plans with MeasuredGaitEnvelope().
#ifndef YANGBOT_TESTS_CHOREOGRAPHY_TARGET_GAIT_H_
#define YANGBOT_TESTS_CHOREOGRAPHY_TARGET_GAIT_H_

#include "choreography/move.h"

namespace yangbot {

/// 0.5 m forward, 0.25 m back, 0.17 m sideways, 0.5 rad of turn a step, a step a beat,
/// turning while walking.
inline GaitEnvelope TargetGaitEnvelope() {
  GaitEnvelope envelope;
  envelope.max_forward = 0.5;
  envelope.max_backward = 0.25;
  envelope.max_sideways = 0.17;
  envelope.max_turn = 0.5;
  envelope.min_step_width = 0.16;
  envelope.step_beats = Beats(1);
  envelope.settle_beats = Beats(1);
  envelope.turns_while_walking = true;
  return envelope;
}

/// The default robot geometry walking within TargetGaitEnvelope().
inline GaitParams TargetGait() {
  GaitParams gait;
  gait.walk = TargetGaitEnvelope();
  return gait;
}

}  // namespace yangbot

#endif  // YANGBOT_TESTS_CHOREOGRAPHY_TARGET_GAIT_H_
