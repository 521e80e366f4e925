// Clocks and a network between a conductor and the robots, and how each robot estimates
// the conductor's time (issue 25).
//
// - The conductor's clock is the simulation's time. Each robot's local oscillator runs
//   at 1 + drift (uniform in ±drift_ppm, seeded) from an offset (uniform in ±offset_ms)
//   and, under a `clock:ROBOT@TIME:PPM` fault, PPM faster from TIME on.
// - Each robot has its own link to the conductor. A message is lost with probability
//   `loss`, always during a loss burst (bursts start as a Poisson process, every
//   burst_every_s on average, and last burst_ms on average, exponential) and during a
//   `net:ROBOT@TIME:DURATION` outage; otherwise it arrives after latency_ms +
//   jitter_ms * (E - 1), E ~ Exp(1) (mean latency_ms, standard deviation jitter_ms, a
//   queueing tail: a few arrive very late; never below 0).
// - Synchronisation is PTP-like: sync_hz times a second the conductor broadcasts a
//   timing message stamped T1 (its time); the robot stamps its arrival r2 on its own
//   clock and answers at once; the conductor stamps that answer's arrival T4 and sends
//   it back. When that reply arrives the robot has one sample: offset ((T1 - r2) +
//   (T4 - r2)) / 2 (conductor minus local, exact when both ways took as long) and round
//   trip T4 - T1. Any of the three messages lost: no sample.
// - ClockEstimator fits offset = a + b (local - now) over the samples of the last
//   window_s: only the samples whose round trip is among the shortest `keep` share
//   (queueing only delays, so short round trips are the symmetric ones), then samples
//   with residuals beyond 3 robust standard deviations are dropped and the line refitted.
//   Too few samples (an outage): the last fit holds over and extrapolates its drift.
// - The dance clock: what the robot samples its reference at. It runs on the local
//   oscillator at the estimated rate 1 + b, plus a correction toward the estimate
//   (error / correct_s) limited to ±slew (s/s), recomputed at every sample: so it never
//   steps, and after an outage it slews back at most `slew` seconds per second. Before the
//   show (t < 0: the troupe syncs for warmup_s before the music starts) it is set to the
//   estimate at every sample.
// Nothing here depends on physics, so ClockNetwork computes every robot's dance clock
// once, up front (pure, deterministic from the seed, options and faults), as a
// piecewise-linear function of conductor time: knots at every sample's arrival and clock
// fault. Link deliveries of other messages (re-plans) are a pure function too.
// Cost: a fit per sample (a few hundred samples: tens of µs), 20 per second per robot,
// done before the run; a DanceTime lookup is a binary search over the knots.
#ifndef YANGBOT_SIM_CLOCK_SYNC_H_
#define YANGBOT_SIM_CLOCK_SYNC_H_

#include <cstdint>
#include <deque>
#include <string>
#include <utility>
#include <vector>

#include "sim/runner.h"

namespace yangbot {

/// The clocks and links of a show. Default: perfect (no robot clocks at all).
struct NetworkOptions {
  bool enabled = false;       ///< robots keep their own clocks and sync over the links
  double latency_ms = 0;      ///< ms, mean one-way delay
  double jitter_ms = 0;       ///< ms, standard deviation of the one-way delay
  double loss = 0;            ///< probability a message is lost, [0, 1)
  double burst_every_s = 0;   ///< s, mean time between loss bursts; 0: none
  double burst_ms = 0;        ///< ms, mean length of a loss burst
  double drift_ppm = 50;      ///< ppm, robots' oscillators drift uniformly within ±this
  double offset_ms = 500;     ///< ms, robots' clocks start uniformly within ±this
  double sync_hz = 20;        ///< timing exchanges per second per robot
  double window_s = 20;       ///< s, samples the estimator fits
  double keep = 0.3;          ///< share of a window's samples (shortest round trips) fitted
  double slew = 0.02;         ///< s/s, largest correction rate of the dance clock
  double correct_s = 1;       ///< s, the dance clock closes its error over about this long
  double warmup_s = 22;       ///< s, syncing before the show starts (t < 0)
};

/// Sets one option, `key` as in NetworkOptions (latency_ms, jitter_ms, loss, ...), from
/// `value`; enables the network. Returns "" or why not (unknown key, bad or out-of-range
/// number).
std::string SetNetworkOption(NetworkOptions* options, const std::string& key,
                             const std::string& value);

/// Parses "perfect" or "KEY=VALUE,KEY=VALUE..." (e.g. "latency_ms=50,jitter_ms=20,
/// loss=0.1"; ':' works as '=' too) into `options`. Returns "" or why not.
std::string ParseNetworkOptions(const std::string& text, NetworkOptions* options);

/// One two-way timing exchange as the robot sees it.
struct SyncSample {
  double local = 0;   ///< s, robot clock when the conductor's message arrived (r2)
  double offset = 0;  ///< s, conductor minus robot clock measured by the exchange
  double rtt = 0;     ///< s, round trip (T4 - T1)
};

/// Settings of ClockEstimator.
struct EstimatorOptions {
  double window_s = 20;   ///< s of robot clock the fit looks back
  double keep = 0.3;      ///< share of the window's samples (shortest round trips) fitted
  double max_ppm = 2000;  ///< ppm, the fitted drift is clamped to ±this
  int min_samples = 4;    ///< fewer kept samples: the last fit holds over
};

/// Offset and drift of the conductor's clock against the robot's, from timing exchanges
/// (round-trip filter, line fit, outlier rejection; see the top of this file).
class ClockEstimator {
 public:
  /// An estimator with no samples yet.
  explicit ClockEstimator(EstimatorOptions options = {});
  /// Adds a sample (in order of robot clock) and refits.
  void Add(const SyncSample& sample);
  /// Whether a fit exists (enough samples once).
  bool valid() const { return valid_; }
  /// s, estimated conductor minus robot clock at robot clock `local`.
  double Offset(double local) const { return a_ + b_ * (local - ref_); }
  /// Estimated conductor time (s) at robot clock `local`.
  double ConductorTime(double local) const { return local + Offset(local); }
  /// Estimated drift of the offset (s per s of robot clock; +1e-6 = the robot's clock
  /// runs 1 ppm slow).
  double drift() const { return b_; }
  /// Samples used by the last fit (after outlier rejection).
  int fitted() const { return fitted_; }
  /// Samples rejected as outliers by the last fit.
  int rejected() const { return rejected_; }

 private:
  EstimatorOptions options_;
  std::deque<SyncSample> window_;
  bool valid_ = false;
  double a_ = 0, b_ = 0, ref_ = 0;  // fit: offset = a + b (local - ref)
  int fitted_ = 0, rejected_ = 0;
};

/// One knot of a dance clock: at conductor time `time` (s) the robot dances at `dance` (s).
struct ClockKnot {
  double time = 0;
  double dance = 0;
};

/// Per robot: its clock, its link's statistics and its dance clock.
struct RobotClockTrace {
  double offset = 0;             ///< s, its clock minus the conductor's at t = 0 (before faults)
  double drift_ppm = 0;          ///< ppm, its oscillator's drift (before faults)
  int exchanges = 0;             ///< timing exchanges started
  int samples = 0;               ///< exchanges completed (all three messages arrived)
  int rejected = 0;              ///< samples dropped as outliers (summed over fits)
  std::vector<ClockKnot> knots;  ///< dance clock, by time, from -warmup_s on
};

/// Every robot's clock and link over a show (see the top of this file). Immutable.
class ClockNetwork {
 public:
  /// Simulates `robots` robots' clocks and syncing from -warmup_s to `end_time` (s, later
  /// times extrapolate) under `options`, `seed`, and the faults of kind kNetOutage and
  /// kClockDrift among `faults` (others are ignored).
  ClockNetwork(const NetworkOptions& options, int robots, uint64_t seed,
               const std::vector<Fault>& faults, double end_time);
  /// Conductor time (s) robot `robot` dances at when the conductor's time is t (s).
  double DanceTime(int robot, double t) const;
  /// Robot `robot`'s own clock (s) at conductor time t (s).
  double LocalTime(int robot, double t) const;
  /// When a message the conductor sends robot `robot` at time `sent` (s) arrives (s):
  /// resent every resend_s until one gets through (lost ones: loss, bursts, outages).
  double Delivery(int robot, double sent) const;
  /// Whether robot `robot`'s link is down (burst or outage) at time t (s).
  bool LinkDown(int robot, double t) const;
  /// Robots.
  int robots() const { return static_cast<int>(traces_.size()); }
  /// Robot `robot`'s clock and dance clock.
  const RobotClockTrace& trace(int robot) const { return traces_[robot]; }
  /// The options simulated.
  const NetworkOptions& options() const { return options_; }
  /// s between resends of a message no answer came back for.
  double resend_s() const;

 private:
  struct Link {
    std::vector<std::pair<double, double>> down;  // [start, end) s: bursts and outages, by start
    std::vector<std::pair<double, double>> rate;  // (from s, oscillator rate - 1), by time
    double offset = 0;                            // s, local minus conductor at t = 0
  };
  // One-way delay (s) of a message sent at t, or < 0 when it is lost; u1, u2 uniform in (0, 1).
  double Delay(const Link& link, double t, double u1, double u2) const;
  void Simulate(int robot, uint64_t seed);

  NetworkOptions options_;
  double end_time_ = 0;
  uint64_t seed_ = 0;
  std::vector<Link> links_;
  std::vector<RobotClockTrace> traces_;
};

/// Clock statistics of a run from 0 to `end_time` (s), sampled every `period` s.
struct ClockSkewStats {
  double skew_ms_p99 = 0;  ///< ms, 99th percentile of |dance time - conductor time| (all robots)
  double skew_ms_max = 0;  ///< ms, largest |dance time - conductor time|
  /// Largest change of dance time minus conductor time over one `tick` (s), ms.
  double step_ms_max = 0;
  std::vector<double> robot_skew_ms_p99;  ///< ms, per robot
};

/// Measures `network`'s dance clocks against the conductor's over [0, end_time].
ClockSkewStats MeasureClockSkew(const ClockNetwork& network, double end_time, double tick);

}  // namespace yangbot

#endif  // YANGBOT_SIM_CLOCK_SYNC_H_
