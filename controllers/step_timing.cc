#include "controllers/step_timing.h"

#include <string>

#include "sim/error.h"

namespace yangbot {

double BeatPeriod(const BeatTiming& timing) { return 60.0 / timing.bpm; }

double BeatTime(const BeatTiming& timing, double beat) {
  return timing.start_time + beat * 60.0 / timing.bpm;
}

void AssignBeatTimes(const BeatTiming& timing, FootstepPlan* plan) {
  if (!(timing.bpm > 0) || !(timing.steps_per_beat > 0)) {
    throw Error("step timing: bpm and steps_per_beat must be positive");
  }
  if (!(timing.double_support_ratio >= 0 && timing.double_support_ratio < 1)) {
    throw Error("step timing: double_support_ratio must be in [0, 1)");
  }
  if (!(timing.settle_beats >= 0)) throw Error("step timing: settle_beats must be >= 0");
  plan->start_time = timing.start_time;
  const double default_beats = 1.0 / timing.steps_per_beat;  // beats per default step
  const double swing_share = 1.0 - timing.double_support_ratio;
  int default_count = 0;    // steps after the first with the default duration
  double custom_beats = 0;  // summed durations of the other steps after the first
  double beat = timing.first_touchdown_beat;
  for (size_t i = 0; i < plan->steps.size(); ++i) {
    Footstep& step = plan->steps[i];
    if (!(step.beats >= 0)) {
      throw Error("step timing: step " + std::to_string(i) + " has negative beats");
    }
    const double beats = step.beats > 0 ? step.beats : default_beats;
    if (i == 0) {
      if (!(timing.first_touchdown_beat >= beats)) {
        throw Error("step timing: first_touchdown_beat must leave one step duration (" +
                    std::to_string(beats) + " beats) for the initial weight shift");
      }
    } else {
      if (step.beats > 0) {
        custom_beats += step.beats;
      } else {
        ++default_count;
      }
      beat = timing.first_touchdown_beat + default_count / timing.steps_per_beat + custom_beats;
    }
    step.touchdown_beat = beat;
    step.touchdown_time = BeatTime(timing, beat);
    step.liftoff_time = BeatTime(timing, beat - swing_share * beats);
  }
  const double last_beat = plan->steps.empty() ? 0.0 : plan->steps.back().touchdown_beat;
  plan->end_time =
      plan->steps.empty() ? timing.start_time : BeatTime(timing, last_beat + timing.settle_beats);
}

}  // namespace yangbot
