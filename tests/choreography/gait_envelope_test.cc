// The walking gait's envelope: one place for its figures, read by the planner, quoted
// by the validator and by FORMAT.md.
#include "choreography/gait_envelope.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "choreography/choreography.h"
#include "choreography/move.h"
#include "controllers/box_foot_gait.h"
#include "controllers/line_foot_gait.h"
#include "sim/assets.h"
#include "sim/error.h"
#include "sim/scene.h"
#include "tests/box_sole_robot.h"

namespace yangbot {
namespace {

std::string ReadFormatMd() {
  std::ifstream in(AssetsDir() + "/../choreography/FORMAT.md");
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

// FORMAT.md quotes the envelopes the scheduler plans with, word for word (the line-foot
// gait of the project's robot, the box-foot gait of box soles), and no other figures for
// them: when a gait's measured envelope changes, this fails until FORMAT.md quotes the new
// one.
TEST(GaitEnvelopeTest, FormatMdQuotesBothGaitsEnvelopes) {
  const std::string doc = ReadFormatMd();
  ASSERT_FALSE(doc.empty());
  for (const bool line_soles : {true, false}) {
    const GaitEnvelope envelope = MeasuredGaitEnvelope(line_soles);
    EXPECT_EQ(Count(doc, DescribeGaitEnvelope(envelope)), 1u)
        << "FORMAT.md should say, on one line: " << DescribeGaitEnvelope(envelope);
  }
  EXPECT_EQ(Count(doc, "stand square " + MeasuredGaitEnvelope(true).settle_beats.ToString() +
                           " beats between dance steps and a walk on line soles"),
            1u);
  EXPECT_EQ(Count(doc, MeasuredGaitEnvelope(false).settle_beats.ToString() + " beat on box soles"),
            1u);
  EXPECT_EQ(Count(doc, "m forward,"), 2u) << "step limits quoted elsewhere in FORMAT.md";
  EXPECT_LT(doc.find(DescribeGaitEnvelope(MeasuredGaitEnvelope(true))),
            doc.find(DescribeGaitEnvelope(MeasuredGaitEnvelope(false))))
      << "the project's robot's gait (line soles) comes first";
}

// Each gait's figures come from its own place in controllers/: the box-foot gait's
// (BoxFootGait) and the line-foot gait's (LineFootGait::Limits() at one step a beat).
TEST(GaitEnvelopeTest, EachGaitsEnvelopeComesFromItsController) {
  const GaitEnvelope line = MeasuredGaitEnvelope(true);
  const FootstepLimits limits = LineFootGait::Limits();
  EXPECT_EQ(line.max_forward, limits.max_forward);
  EXPECT_EQ(line.max_backward, limits.max_backward);
  EXPECT_EQ(line.max_sideways, limits.max_lateral);
  EXPECT_EQ(line.max_turn, std::min(limits.max_turn, LineFootGait().max_turn_standing_width));
  EXPECT_EQ(line.min_step_width, limits.min_separation);
  EXPECT_EQ(line.step_beats, Beats(1));
  EXPECT_TRUE(line.turns_while_walking);
  EXPECT_EQ(DescribeGaitEnvelope(line),
            "a step every 1 beats; steps of at most 0.50 m forward, 0.30 m back, 0.25 m sideways, "
            "0.44 rad of turn");

  const GaitEnvelope box = MeasuredGaitEnvelope(false);
  EXPECT_EQ(box.max_forward, BoxFootGait::Limits().max_forward);
  EXPECT_EQ(box.max_sideways, BoxFootGait::Limits().max_lateral);
  EXPECT_EQ(box.step_beats, Beats::Fraction(2, 5));
  EXPECT_EQ(box.settle_beats, Beats(1));
  EXPECT_FALSE(box.turns_while_walking);
}

TEST(GaitEnvelopeTest, TheScheduleWalksWithTheEnvelopeOfTheSoles) {
  for (const bool line_soles : {true, false}) {
    const GaitEnvelope measured = MeasuredGaitEnvelope(line_soles);
    const GaitParams gait = GaitParamsForSoles(line_soles);
    EXPECT_EQ(gait.line_soles, line_soles);
    EXPECT_EQ(gait.walk.max_forward, measured.max_forward);
    EXPECT_EQ(gait.walk.max_backward, measured.max_backward);
    EXPECT_EQ(gait.walk.max_sideways, measured.max_sideways);
    EXPECT_EQ(gait.walk.max_turn, measured.max_turn);
    EXPECT_EQ(gait.walk.min_step_width, measured.min_step_width);
    EXPECT_EQ(gait.walk.step_beats, measured.step_beats);
    EXPECT_EQ(gait.walk.settle_beats, measured.settle_beats);
    EXPECT_EQ(gait.walk.turns_while_walking, measured.turns_while_walking);
  }
}

// The robot decides: line soles (the built-in robot, the stock-layout H1's capsules and toe
// bar) plan with the line-foot gait, box soles (the box-soled test robot) with the box-foot
// gait.
TEST(GaitEnvelopeTest, TheRobotsSolesChooseTheGait) {
  const std::string robots = AssetsDir() + "/robots/";
  const GaitParams built_in = RobotGait(DefaultRobotPath());
  EXPECT_TRUE(built_in.line_soles);
  EXPECT_EQ(built_in.walk.max_forward, 0.5);
  const GaitParams stock = RobotGait(robots + "h1_stock/h1_stock.xml");
  EXPECT_TRUE(stock.line_soles);
  EXPECT_EQ(stock.walk.step_beats, Beats(1));
  const GaitParams box = RobotGait(BoxSoleRobotPath());
  EXPECT_FALSE(box.line_soles);
  EXPECT_EQ(box.walk.max_forward, MeasuredGaitEnvelope(false).max_forward);
  EXPECT_THROW(RobotGait(robots + "none.xml"), Error);
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
