#include "sim/clock_sync.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "sim/error.h"
#include "sim/runner.h"

namespace yangbot {
namespace {

// Synthetic exchanges: the robot's clock is local = t (1 + drift) + offset; one-way delays
// are 50 ms + 20 ms (E - 1), E ~ Exp(1), both ways independent; 10 % of exchanges lost;
// every 25th exchange's reply held up 400 ms (offset off by 200 ms, long round trip) and
// every 25th a bad timestamp (offset off by 100 ms, ordinary round trip).
struct Synthetic {
  double offset = 0.3173;  // s
  double drift = 300e-6;   // s/s: a poor crystal
  std::mt19937_64 random{7};
  double Local(double t) const { return t * (1 + drift) + offset; }
  double Delay() {
    std::exponential_distribution<double> e(1.0);
    return std::max(0.0, 0.050 + 0.020 * (e(random) - 1));
  }
};

TEST(ClockEstimatorTest, RecoversOffsetAndDriftUnderJitterLossAndOutliers) {
  Synthetic truth;
  ClockEstimator estimator;
  std::uniform_real_distribution<double> unit(0, 1);
  double worst = 0, drift_sum = 0;
  int outliers = 0, fits = 0;
  for (int k = 0; k < 20 * 60; ++k) {  // 60 s at 20 Hz
    const double t1 = k / 20.0;
    if (unit(truth.random) < 0.1) continue;
    const double d1 = truth.Delay();
    double d2 = truth.Delay();
    if (k % 25 == 12) d2 += 0.4;
    const double r2 = truth.Local(t1 + d1);
    const double t4 = t1 + d1 + d2;
    double offset = ((t1 - r2) + (t4 - r2)) / 2;
    if (k % 25 == 0) {
      offset += 0.1;
      ++outliers;
    }
    estimator.Add({r2, offset, t4 - t1});
    if (t1 >= 25) {  // a full window in
      ASSERT_TRUE(estimator.valid());
      const double t = t4;  // now, in conductor time
      worst = std::max(worst, std::abs(estimator.ConductorTime(truth.Local(t)) - t));
      // conductor - local = -drift/(1 + drift) per s of local clock
      drift_sum += -estimator.drift() * (1 + truth.drift);
      ++fits;
    }
  }
  EXPECT_GT(outliers, 30);
  EXPECT_LT(worst, 0.003) << "estimated conductor time off by " << worst * 1e3 << " ms";
  // Each fit's drift is noisy (hundreds of ppm over a 20 s window); on average it is right.
  EXPECT_NEAR(drift_sum / fits, truth.drift, 30e-6);
  // 300 ppm over the 35 s measured: 10 ms if the drift were not followed.
  EXPECT_LT(worst, 300e-6 * 35 / 3);
}

TEST(ClockEstimatorTest, HoldsOverWithoutSamples) {
  ClockEstimator estimator;
  for (int k = 0; k < 100; ++k) estimator.Add({k * 0.05, 0.25 - 1e-5 * k * 0.05, 0.1});
  ASSERT_TRUE(estimator.valid());
  // 2 s later, no samples: the fitted line extrapolates (drift -10 ppm).
  EXPECT_NEAR(estimator.Offset(4.95 + 2), 0.25 - 1e-5 * 6.95, 1e-9);
}

TEST(NetworkOptionsTest, ParsesKeysAndRejectsBadOnes) {
  NetworkOptions options;
  EXPECT_EQ(ParseNetworkOptions("latency_ms=50, jitter_ms:20,loss=0.1", &options), "");
  EXPECT_TRUE(options.enabled);
  EXPECT_EQ(options.latency_ms, 50);
  EXPECT_EQ(options.jitter_ms, 20);
  EXPECT_EQ(options.loss, 0.1);
  EXPECT_NE(ParseNetworkOptions("latency=50", &options).find("unknown network option"),
            std::string::npos);
  EXPECT_NE(ParseNetworkOptions("loss=2", &options).find("loss must be in"), std::string::npos);
  EXPECT_NE(ParseNetworkOptions("loss=x", &options).find("bad number"), std::string::npos);
  EXPECT_EQ(ParseNetworkOptions("perfect", &options), "");
  EXPECT_FALSE(options.enabled);
}

TEST(NetworkFaultsTest, ParsedWithTheFaultGrammar) {
  const Fault net = ParseFault("net:2@5:2");
  EXPECT_EQ(net.kind, Fault::Kind::kNetOutage);
  EXPECT_EQ(net.robot, 2);
  EXPECT_EQ(net.time, 5);
  EXPECT_EQ(net.duration, 2);
  const Fault clock = ParseFault("clock:1@3:-200");
  EXPECT_EQ(clock.kind, Fault::Kind::kClockDrift);
  EXPECT_EQ(clock.ppm, -200);
  EXPECT_THROW(ParseFault("net:1@3"), Error);
  EXPECT_THROW(ParseFault("clock:1@3:fast"), Error);
}

NetworkOptions Impaired() {
  NetworkOptions options;
  options.enabled = true;
  options.latency_ms = 50;
  options.jitter_ms = 20;
  options.loss = 0.1;
  return options;
}

TEST(ClockNetworkTest, DanceClocksStayWithinFiveMsUnderImpairedLinks) {
  const ClockNetwork network(Impaired(), 8, 3, {}, 30);
  const ClockSkewStats stats = MeasureClockSkew(network, 30, 0.002);
  EXPECT_LE(stats.skew_ms_p99, 5.0);
  // The robots' clocks themselves are far apart (±500 ms): the sync does the work.
  double spread = 0;
  for (int r = 0; r < 8; ++r) spread = std::max(spread, std::abs(network.trace(r).offset));
  EXPECT_GT(spread, 0.1);
}

TEST(ClockNetworkTest, SlewLimitHoldsThroughAnOutageAndADriftingClock) {
  NetworkOptions options = Impaired();
  options.slew = 0.01;
  const std::vector<Fault> faults = {ParseFault("net:0@5:2"), ParseFault("clock:1@4:1000")};
  const ClockNetwork network(options, 2, 5, faults, 20);
  // Dance time minus conductor time changes per tick by at most the slew plus what the
  // fitted drift has not caught up with yet (the 1000 ppm jump, the oscillators' 50 ppm):
  // far below a degree of beat phase (1.4 ms at 120 bpm).
  const ClockSkewStats stats = MeasureClockSkew(network, 20, 0.002);
  EXPECT_LE(stats.step_ms_max, 0.002 * 1e3 * (0.01 + 1100e-6));
  // The 1000 ppm clock is pulled back: within 5 ms once the fit has caught up.
  double worst = 0;
  for (double t = 12; t <= 20; t += 0.01) worst = std::max(worst, std::abs(network.DanceTime(1, t) - t));
  EXPECT_LT(worst, 0.005);
  // No timing sample arrives during the outage, and the link says it is down.
  EXPECT_TRUE(network.LinkDown(0, 6));
  EXPECT_FALSE(network.LinkDown(0, 7.5));
  EXPECT_GE(network.Delivery(0, 5.5), 7.0);
}

TEST(ClockNetworkTest, SlewLimitHoldsWhenAnOutageLeavesABigError) {
  NetworkOptions options = Impaired();
  options.slew = 0.01;
  options.correct_s = 0.01;  // eager: without the limit it would close the error at once
  // r01's clock runs 2000 ppm fast from 5 s on while its link is down for 20 s.
  const std::vector<Fault> faults = {ParseFault("clock:1@5:2000"), ParseFault("net:1@5:20")};
  const ClockNetwork network(options, 2, 11, faults, 40);
  const ClockSkewStats stats = MeasureClockSkew(network, 40, 0.002);
  EXPECT_GT(stats.skew_ms_max, 20);  // the outage left tens of ms to make up
  EXPECT_LE(stats.step_ms_max, 0.002 * 1e3 * (0.01 + 2100e-6));
  double worst = 0;
  for (double t = 35; t <= 40; t += 0.01) worst = std::max(worst, std::abs(network.DanceTime(1, t) - t));
  EXPECT_LT(worst, 0.005);
}

TEST(ClockNetworkTest, DeterministicFromTheSeed) {
  const ClockNetwork a(Impaired(), 2, 9, {}, 5), b(Impaired(), 2, 9, {}, 5), c(Impaired(), 2, 10, {}, 5);
  EXPECT_EQ(a.DanceTime(1, 3.3), b.DanceTime(1, 3.3));
  EXPECT_NE(a.DanceTime(1, 3.3), c.DanceTime(1, 3.3));
  EXPECT_EQ(a.Delivery(0, 1.25), b.Delivery(0, 1.25));
}

}  // namespace
}  // namespace yangbot
