#include "choreography/gait_envelope.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "controllers/box_foot_gait.h"
#include "controllers/line_foot_gait.h"

namespace yangbot {
namespace {

// Beats of a gait's step timing, exact on a 1/120 beat grid (2/5, 1, 1/2 ...).
Beats GaitBeats(double beats) { return Beats::Fraction(std::lround(beats * 120), 120); }

GaitEnvelope EnvelopeOf(const FootstepLimits& limits) {
  GaitEnvelope envelope;
  envelope.max_forward = limits.max_forward;
  envelope.max_backward = limits.max_backward;
  envelope.max_sideways = limits.max_lateral;
  envelope.max_turn = limits.max_turn;
  envelope.min_step_width = limits.min_separation;
  return envelope;
}

}  // namespace

GaitEnvelope MeasuredGaitEnvelope(bool line_soles) {
  if (line_soles) {
    const LineFootGait gait;
    GaitEnvelope envelope = EnvelopeOf(gait.limits);
    envelope.step_beats = GaitBeats(gait.step_beats);
    // Shows walk at the standing width (StanceAtPelvis), where the gait turns less.
    envelope.max_turn = std::min(envelope.max_turn, gait.max_turn_standing_width);
    // Dance steps keep the box-foot gait's rocking references (they dance on line soles:
    // the default show, 0 falls), walks take the line-foot gait's; the two never share a
    // walking pattern (show_compiler.h: stretches more than CompileOptions lead_in +
    // settle = 4 s apart get their own). Sharing one, the first cross step after a walk
    // fell (4 robots of the default show, 4 of the ring show). 9 beats at 120 bpm: 4.5 s.
    envelope.settle_beats = Beats(9);
    // The line gait swings the CoM across to each stance foot: at the last touch-down the
    // pelvis is 11 cm off the middle of the final stance and within 1 cm of it 0.8 s later
    // (the default show, line feet). 2 beats at 120 bpm: 1 s.
    envelope.arrival_beats = Beats(2);
    envelope.turns_while_walking = true;  // mixed forward, sideways and turning steps
    return envelope;
  }
  const BoxFootGait gait;
  GaitEnvelope envelope = EnvelopeOf(gait.limits);
  envelope.step_beats = GaitBeats(gait.step_beats);
  envelope.settle_beats = GaitBeats(gait.settle_beats);
  envelope.turns_while_walking = gait.turns_while_walking;
  return envelope;
}

FootstepLimits WalkStepLimits(const GaitEnvelope& envelope) {
  FootstepLimits limits;
  limits.max_forward = envelope.max_forward;
  limits.max_backward = envelope.max_backward;
  limits.max_lateral = envelope.max_sideways;
  limits.max_turn = envelope.max_turn;
  limits.max_turn_in = envelope.max_turn;
  limits.min_separation = envelope.min_step_width;
  return limits;
}

std::string DescribeGaitEnvelope(const GaitEnvelope& envelope) {
  const std::string every = envelope.step_beats.ToString() + " beats";
  char text[200];
  std::snprintf(text, sizeof(text),
                "a step every %s; steps of at most %.2f m forward, %.2f m back, %.2f m "
                "sideways, %.2f rad of turn",
                every.c_str(), envelope.max_forward,
                envelope.max_backward, envelope.max_sideways, envelope.max_turn);
  return text;
}

}  // namespace yangbot
