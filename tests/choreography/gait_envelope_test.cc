// The walking gait's envelope: one place for its figures, read by the planner, quoted
// by the validator and by FORMAT.md.
#include "choreography/gait_envelope.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "choreography/move.h"

namespace yangbot {
namespace {

std::string ReadFormatMd() {
  std::ifstream in(std::string(YANGBOT_ASSETS_DIR) + "/../choreography/FORMAT.md");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

size_t Count(const std::string& text, const std::string& what) {
  size_t count = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++count;
  }
  return count;
}

// FORMAT.md quotes the envelope the scheduler plans with, word for word, and no other
// figures for it: when the gait's measured envelope changes, this fails until FORMAT.md
// quotes the new one.
TEST(GaitEnvelopeTest, FormatMdQuotesTheMeasuredEnvelope) {
  const std::string doc = ReadFormatMd();
  ASSERT_FALSE(doc.empty());
  const GaitEnvelope envelope = MeasuredGaitEnvelope();
  EXPECT_EQ(Count(doc, DescribeGaitEnvelope(envelope)), 1u)
      << "FORMAT.md should say, on one line: " << DescribeGaitEnvelope(envelope);
  EXPECT_EQ(Count(doc, "m forward,"), 1u) << "step limits quoted elsewhere in FORMAT.md";
  EXPECT_EQ(Count(doc, "the feet stand square " + envelope.settle_beats.ToString() +
                           " beat between dance steps and a walk"),
            1u);
}

TEST(GaitEnvelopeTest, TheScheduleWalksWithTheMeasuredEnvelope) {
  const GaitEnvelope measured = MeasuredGaitEnvelope();
  const GaitParams gait;
  EXPECT_EQ(gait.walk.max_forward, measured.max_forward);
  EXPECT_EQ(gait.walk.max_backward, measured.max_backward);
  EXPECT_EQ(gait.walk.max_sideways, measured.max_sideways);
  EXPECT_EQ(gait.walk.max_turn, measured.max_turn);
  EXPECT_EQ(gait.walk.min_step_width, measured.min_step_width);
  EXPECT_EQ(gait.walk.step_beats, measured.step_beats);
  EXPECT_EQ(gait.walk.settle_beats, measured.settle_beats);
  EXPECT_EQ(gait.walk.turns_while_walking, measured.turns_while_walking);
}

TEST(GaitEnvelopeTest, StepLimitsAndDescriptionFollowTheEnvelope) {
  GaitEnvelope envelope;
  envelope.max_forward = 0.5;
  envelope.max_backward = 0.25;
  envelope.max_sideways = 0.17;
  envelope.max_turn = 0.5;
  envelope.min_step_width = 0.12;
  envelope.step_beats = Beats::Fraction(1, 2);
  const FootstepLimits limits = WalkStepLimits(envelope);
  EXPECT_EQ(limits.max_forward, 0.5);
  EXPECT_EQ(limits.max_backward, 0.25);
  EXPECT_EQ(limits.max_lateral, 0.17);
  EXPECT_EQ(limits.max_turn, 0.5);
  EXPECT_EQ(limits.max_turn_in, 0.5);
  EXPECT_EQ(limits.min_separation, 0.12);
  EXPECT_EQ(DescribeGaitEnvelope(envelope),
            "a step every 0.5 beats; steps of at most 0.50 m forward, 0.25 m back, 0.17 m "
            "sideways, 0.50 rad of turn");
}

}  // namespace
}  // namespace yangbot
