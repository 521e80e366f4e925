#include "choreography/gait_envelope.h"

#include <cstdio>

namespace yangbot {

GaitEnvelope MeasuredGaitEnvelope() {
  GaitEnvelope envelope;
  envelope.max_forward = 0.05;
  envelope.max_backward = 0.03;
  envelope.max_sideways = 0.01;
  envelope.max_turn = 0.05;
  envelope.min_step_width = 0.16;
  envelope.step_beats = Beats::Fraction(2, 5);
  envelope.settle_beats = Beats(1);
  envelope.turns_while_walking = false;
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
  char text[200];
  std::snprintf(text, sizeof(text),
                "a step every %s beats; steps of at most %.2f m forward, %.2f m back, %.2f m "
                "sideways, %.2f rad of turn",
                envelope.step_beats.ToString().c_str(), envelope.max_forward,
                envelope.max_backward, envelope.max_sideways, envelope.max_turn);
  return text;
}

}  // namespace yangbot
