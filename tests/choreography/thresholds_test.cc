#include "choreography/thresholds.h"

#include <gtest/gtest.h>

namespace yangbot {
namespace {

const std::vector<std::string> kMetrics = {"falls", "min_separation_m", "sync_error_deg_rms"};

Threshold Parse(const std::string& text) {
  std::string error;
  const auto threshold = ParseThreshold(text, kMetrics, &error);
  EXPECT_TRUE(threshold.has_value()) << text << ": " << error;
  return threshold.value_or(Threshold{});
}

std::string ErrorOf(const std::string& text) {
  std::string error;
  EXPECT_FALSE(ParseThreshold(text, kMetrics, &error).has_value()) << text;
  return error;
}

TEST(ThresholdsTest, ParsesEveryOperatorAndNumberForm) {
  Threshold t = Parse("falls>0");
  EXPECT_EQ(t.metric, "falls");
  EXPECT_EQ(t.op, ThresholdOp::kGreater);
  EXPECT_EQ(t.limit, 0);
  EXPECT_EQ(Parse("min_separation_m<0.6").op, ThresholdOp::kLess);
  EXPECT_EQ(Parse("min_separation_m<0.6").limit, 0.6);
  EXPECT_EQ(Parse("falls >= 2").op, ThresholdOp::kGreaterEqual);
  EXPECT_EQ(Parse(" falls<=-1.5e1 ").limit, -15);
  EXPECT_EQ(Parse("falls<=3").op, ThresholdOp::kLessEqual);
  EXPECT_EQ(Parse("falls==1").op, ThresholdOp::kEqual);
}

TEST(ThresholdsTest, FailsExactlyWhenTheComparisonHolds) {
  EXPECT_TRUE(Parse("falls>0").FailsFor(1));
  EXPECT_FALSE(Parse("falls>0").FailsFor(0));
  EXPECT_TRUE(Parse("falls>=1").FailsFor(1));
  EXPECT_TRUE(Parse("min_separation_m<0.6").FailsFor(0.59));
  EXPECT_FALSE(Parse("min_separation_m<0.6").FailsFor(0.6));
  EXPECT_TRUE(Parse("min_separation_m<=0.6").FailsFor(0.6));
  EXPECT_TRUE(Parse("falls==2").FailsFor(2));
  EXPECT_FALSE(Parse("falls==2").FailsFor(3));
}

TEST(ThresholdsTest, ToStringIsCanonicalAndReadsBack) {
  EXPECT_EQ(Parse(" falls >  0 ").ToString(), "falls>0");
  EXPECT_EQ(Parse("min_separation_m<0.6").ToString(), "min_separation_m<0.6");
  EXPECT_EQ(Parse("sync_error_deg_rms>=2.5e0").ToString(), "sync_error_deg_rms>=2.5");
  const Threshold t = Parse("falls<0.1");
  EXPECT_EQ(Parse(t.ToString()).limit, t.limit);
}

TEST(ThresholdsTest, WithoutAListOfMetricsOnlyTheSyntaxIsChecked) {
  std::string error;
  const auto t = ParseThreshold("anything_new_ms>=3", {}, &error);
  ASSERT_TRUE(t.has_value()) << error;
  EXPECT_EQ(t->metric, "anything_new_ms");
  EXPECT_FALSE(ParseThreshold("anything>", {}, &error).has_value());
}

TEST(ThresholdsTest, BadTextGetsAClearMessage) {
  EXPECT_EQ(ErrorOf("fals>0"), "unknown metric 'fals' (did you mean 'falls'?)");
  EXPECT_EQ(ErrorOf("sync_error_deg>2"),
            "unknown metric 'sync_error_deg' (did you mean 'sync_error_deg_rms'?)");
  EXPECT_NE(ErrorOf("zzz>2").find("unknown metric 'zzz'"), std::string::npos);
  EXPECT_EQ(ErrorOf("zzz>2").find("did you mean"), std::string::npos);
  EXPECT_NE(ErrorOf("falls").find("expected an operator"), std::string::npos);
  EXPECT_NE(ErrorOf("falls=>1").find("expected an operator"), std::string::npos);
  EXPECT_NE(ErrorOf("falls>").find("expected a finite number"), std::string::npos);
  EXPECT_NE(ErrorOf("falls>abc").find("expected a finite number after 'falls>', got 'abc'"),
            std::string::npos);
  EXPECT_NE(ErrorOf("falls>1x").find("expected a finite number"), std::string::npos);
  EXPECT_NE(ErrorOf("falls>nan").find("expected a finite number"), std::string::npos);
  EXPECT_NE(ErrorOf("falls>inf").find("expected a finite number"), std::string::npos);
  EXPECT_NE(ErrorOf(">1").find("expected METRIC OP NUMBER"), std::string::npos);
  EXPECT_NE(ErrorOf("").find("expected METRIC OP NUMBER"), std::string::npos);
}

}  // namespace
}  // namespace yangbot
