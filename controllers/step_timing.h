// Beat-locked step timing: every step lands exactly on a beat (or a fraction of one).
//
// Beat b is at time start_time + b * 60 / bpm, computed by one multiplication from the
// beat number, never by adding up durations, so times do not drift over long plans.
// Step i lasts beats_i (its Footstep::beats, or 1 / steps_per_beat by default): it
// lands on beat B_i, with B_0 = first_touchdown_beat and B_i = B_{i-1} + beats_i, and
// lifts off (1 - double_support_ratio) * beats_i before that, after a double-support
// phase of double_support_ratio * beats_i. The default durations are counted, not
// summed, so B_i = first_touchdown_beat + i / steps_per_beat exactly for even walks.
// The time before the first lift-off is the initial weight shift; the walk ends
// settle_beats after the last touch-down.
#ifndef YANGBOT_CONTROLLERS_STEP_TIMING_H_
#define YANGBOT_CONTROLLERS_STEP_TIMING_H_

#include "controllers/footstep_planner.h"

namespace yangbot {

/// Tempo and phasing of a beat-locked walk.
struct BeatTiming {
  double bpm = 120;           ///< tempo, beats per minute (> 0)
  double start_time = 0;      ///< s, time of beat 0; the walk starts then
  double steps_per_beat = 1;  ///< default step rate (2: every half beat; 0.5: every other beat)
  /// Beat the first step lands on (>= its duration in beats). The time before the first
  /// lift-off is the initial weight shift; the CoM needs about 1.5 s of it to start without
  /// a ZMP kick (the default, one 4/4 bar, leaves 1.6 s at 120 bpm).
  double first_touchdown_beat = 4;
  double double_support_ratio = 0.25;  ///< fraction of each step spent in double support, [0, 1)
  /// Beats from the last touch-down to the end of the walk (>= 0); the CoM needs about
  /// 1.5 s to settle on the final stance centre (the default leaves 2 s at 120 bpm).
  double settle_beats = 4;
};

/// Seconds per beat: 60 / bpm.
double BeatPeriod(const BeatTiming& timing);
/// Time (s) of beat `beat` (may be fractional): start_time + beat * 60 / bpm.
double BeatTime(const BeatTiming& timing, double beat);

/// Sets touchdown_beat, touchdown_time and liftoff_time of every step, and the plan's
/// start_time (= timing.start_time) and end_time; throws yangbot::Error on a bad timing
/// (non-positive tempo or rate, ratio outside [0, 1), negative beats, or a first
/// touch-down earlier than one step duration after the start).
void AssignBeatTimes(const BeatTiming& timing, FootstepPlan* plan);

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_STEP_TIMING_H_
