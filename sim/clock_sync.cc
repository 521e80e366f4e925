#include "sim/clock_sync.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>

#include "sim/split_mix.h"

namespace yangbot {

namespace {

// Uniform in (0, 1) from 64 random bits.
double Unit(uint64_t bits) { return (static_cast<double>(bits >> 11) + 0.5) * 0x1.0p-53; }

class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  double Uniform() { return Unit(SplitMix64(state_++)); }

 private:
  uint64_t state_;
};

struct OptionField {
  const char* key;
  double NetworkOptions::*field;
  double low, high;  // allowed range, inclusive
};

constexpr OptionField kFields[] = {
    {"latency_ms", &NetworkOptions::latency_ms, 0, 10000},
    {"jitter_ms", &NetworkOptions::jitter_ms, 0, 10000},
    {"loss", &NetworkOptions::loss, 0, 0.95},
    {"burst_every_s", &NetworkOptions::burst_every_s, 0, 1e6},
    {"burst_ms", &NetworkOptions::burst_ms, 0, 1e6},
    {"drift_ppm", &NetworkOptions::drift_ppm, 0, 1e4},
    {"offset_ms", &NetworkOptions::offset_ms, 0, 1e6},
    {"sync_hz", &NetworkOptions::sync_hz, 0.1, 1000},
    {"window_s", &NetworkOptions::window_s, 0.5, 600},
    {"keep", &NetworkOptions::keep, 0.01, 1},
    {"slew", &NetworkOptions::slew, 1e-6, 0.5},
    {"correct_s", &NetworkOptions::correct_s, 0.01, 600},
    {"warmup_s", &NetworkOptions::warmup_s, 0, 600},
};

}  // namespace

std::string SetNetworkOption(NetworkOptions* options, const std::string& key,
                             const std::string& value) {
  for (const OptionField& f : kFields) {
    if (key != f.key) continue;
    size_t used = 0;
    double v = 0;
    try {
      v = std::stod(value, &used);
    } catch (...) {
      used = 0;
    }
    if (value.empty() || used != value.size() || !std::isfinite(v)) {
      return "bad number '" + value + "' for " + key;
    }
    if (v < f.low || v > f.high) {
      std::ostringstream why;
      why << key << " must be in [" << f.low << ", " << f.high << "]";
      return why.str();
    }
    options->*f.field = v;
    options->enabled = true;
    return "";
  }
  std::string keys;
  for (const OptionField& f : kFields) keys += (keys.empty() ? "" : ", ") + std::string(f.key);
  return "unknown network option '" + key + "' (options: " + keys + ")";
}

std::string ParseNetworkOptions(const std::string& text, NetworkOptions* options) {
  if (text == "perfect") {
    *options = NetworkOptions{};
    return "";
  }
  std::stringstream stream(text);
  bool any = false;
  for (std::string item; std::getline(stream, item, ',');) {
    const size_t eq = item.find_first_of("=:");
    if (eq == std::string::npos) return "expected KEY=VALUE, not '" + item + "'";
    auto trim = [](std::string s) {
      const size_t b = s.find_first_not_of(' ');
      const size_t e = s.find_last_not_of(' ');
      return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    };
    const std::string why = SetNetworkOption(options, trim(item.substr(0, eq)), trim(item.substr(eq + 1)));
    if (!why.empty()) return why;
    any = true;
  }
  if (!any) return "expected 'perfect' or KEY=VALUE,... (e.g. latency_ms=20,jitter_ms=10,loss=0.05)";
  options->enabled = true;
  return "";
}

ClockEstimator::ClockEstimator(EstimatorOptions options) : options_(options) {}

void ClockEstimator::Add(const SyncSample& sample) {
  window_.push_back(sample);
  while (!window_.empty() && window_.front().local < sample.local - options_.window_s) {
    window_.pop_front();
  }
  // The shortest round trips: queueing delays only add, so these are the most symmetric.
  std::vector<double> rtts;
  rtts.reserve(window_.size());
  for (const SyncSample& s : window_) rtts.push_back(s.rtt);
  const size_t n = rtts.size();
  const size_t k = std::min(n - 1, static_cast<size_t>(std::max(
                                       0.0, std::ceil(options_.keep * static_cast<double>(n)) - 1)));
  std::nth_element(rtts.begin(), rtts.begin() + static_cast<long>(k), rtts.end());
  const double threshold = rtts[k];
  std::vector<const SyncSample*> kept;
  for (const SyncSample& s : window_) {
    if (s.rtt <= threshold) kept.push_back(&s);
  }
  if (static_cast<int>(kept.size()) < options_.min_samples) return;  // hold over

  const double ref = sample.local;
  const double max_drift = options_.max_ppm * 1e-6;
  double a = 0, b = 0;
  auto fit = [&](const std::vector<const SyncSample*>& used) {
    double mx = 0, my = 0;
    for (const SyncSample* s : used) {
      mx += s->local - ref;
      my += s->offset;
    }
    mx /= static_cast<double>(used.size());
    my /= static_cast<double>(used.size());
    double sxx = 0, sxy = 0;
    for (const SyncSample* s : used) {
      const double dx = s->local - ref - mx;
      sxx += dx * dx;
      sxy += dx * (s->offset - my);
    }
    b = sxx > 1e-6 ? std::clamp(sxy / sxx, -max_drift, max_drift) : b_;
    a = my - b * mx;
  };
  fit(kept);
  // Outliers: beyond 3 robust standard deviations (1.4826 * median |residual|), at least 0.1 ms.
  std::vector<double> residuals;
  for (const SyncSample* s : kept) residuals.push_back(std::abs(s->offset - a - b * (s->local - ref)));
  std::vector<double> sorted = residuals;
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<long>(sorted.size() / 2),
                   sorted.end());
  const double limit = std::max(3 * 1.4826 * sorted[sorted.size() / 2], 1e-4);
  std::vector<const SyncSample*> inliers;
  for (size_t i = 0; i < kept.size(); ++i) {
    if (residuals[i] <= limit) inliers.push_back(kept[i]);
  }
  rejected_ = static_cast<int>(kept.size() - inliers.size());
  if (rejected_ > 0 && static_cast<int>(inliers.size()) >= options_.min_samples) {
    fit(inliers);
  } else {
    inliers = kept;
    rejected_ = 0;
  }
  a_ = a;
  b_ = b;
  ref_ = ref;
  fitted_ = static_cast<int>(inliers.size());
  valid_ = true;
}

ClockNetwork::ClockNetwork(const NetworkOptions& options, int robots, uint64_t seed,
                           const std::vector<Fault>& faults, double end_time)
    : options_(options), end_time_(end_time), seed_(seed) {
  links_.resize(static_cast<size_t>(std::max(robots, 0)));
  traces_.resize(links_.size());
  for (int r = 0; r < robots; ++r) {
    Link& link = links_[r];
    Random random(SplitMix64(seed ^ SplitMix64(0x6e6574ULL + static_cast<uint64_t>(r))));
    link.offset = (2 * random.Uniform() - 1) * options_.offset_ms * 1e-3;
    const double drift = (2 * random.Uniform() - 1) * options_.drift_ppm * 1e-6;
    traces_[r].offset = link.offset;
    traces_[r].drift_ppm = drift * 1e6;
    link.rate.push_back({0.0, drift});
    std::vector<std::pair<double, double>> changes;
    for (const Fault& f : faults) {
      if (f.robot != r) continue;
      if (f.kind == Fault::Kind::kClockDrift) changes.push_back({f.time, f.ppm * 1e-6});
      if (f.kind == Fault::Kind::kNetOutage) link.down.push_back({f.time, f.time + f.duration});
    }
    std::sort(changes.begin(), changes.end());
    double rate = drift;
    for (const auto& [time, extra] : changes) {
      rate += extra;
      link.rate.push_back({time, rate});
    }
    if (options_.burst_every_s > 0 && options_.burst_ms > 0) {
      for (double t = -options_.warmup_s;;) {
        t += -std::log(random.Uniform()) * options_.burst_every_s;
        if (t > end_time_ + 10) break;
        link.down.push_back({t, t - std::log(random.Uniform()) * options_.burst_ms * 1e-3});
      }
    }
    std::sort(link.down.begin(), link.down.end());
    Simulate(r, SplitMix64(seed ^ SplitMix64(0x73796e63ULL + static_cast<uint64_t>(r))));
  }
}

double ClockNetwork::LocalTime(int robot, double t) const {
  const Link& link = links_[robot];
  // rate[0] holds from -inf; later entries from their time on (all >= 0).
  double local = link.offset + t + link.rate[0].second * t;
  for (size_t k = 1; k < link.rate.size() && link.rate[k].first < t; ++k) {
    local += (link.rate[k].second - link.rate[k - 1].second) * (t - link.rate[k].first);
  }
  return local;
}

bool ClockNetwork::LinkDown(int robot, double t) const {
  for (const auto& [start, end] : links_[robot].down) {
    if (start > t) break;
    if (t < end) return true;
  }
  return false;
}

double ClockNetwork::Delay(const Link& link, double t, double u1, double u2) const {
  for (const auto& [start, end] : link.down) {
    if (start > t) break;
    if (t < end) return -1;
  }
  if (u1 < options_.loss) return -1;
  const double ms = options_.latency_ms + options_.jitter_ms * (-std::log(u2) - 1);
  return std::max(0.0, ms) * 1e-3;
}

double ClockNetwork::resend_s() const {
  return std::max(0.02, 2e-3 * (options_.latency_ms + 3 * options_.jitter_ms));
}

double ClockNetwork::Delivery(int robot, double sent) const {
  uint64_t bits = 0;
  std::memcpy(&bits, &sent, sizeof(bits));
  const uint64_t key = SplitMix64(SplitMix64(seed_ ^ 0x7265706cULL) ^ SplitMix64(static_cast<uint64_t>(robot)) ^ bits);
  constexpr int kMostTries = 100000;
  double t = sent;
  for (int i = 0; i < kMostTries; ++i, t += resend_s()) {
    const double d = Delay(links_[robot], t, Unit(SplitMix64(key + 2 * static_cast<uint64_t>(i))),
                           Unit(SplitMix64(key + 2 * static_cast<uint64_t>(i) + 1)));
    if (d >= 0) return t + d;
  }
  return t;
}

void ClockNetwork::Simulate(int robot, uint64_t seed) {
  const Link& link = links_[robot];
  RobotClockTrace& trace = traces_[robot];
  Random random(seed);
  // Every exchange, by the arrival of its reply: (arrival s, sample).
  std::vector<std::pair<double, SyncSample>> arrivals;
  const double period = 1 / options_.sync_hz;
  for (int64_t k = 0;; ++k) {
    const double t1 = -options_.warmup_s + static_cast<double>(k) * period;
    if (t1 > end_time_ + 1) break;
    ++trace.exchanges;
    double u[6];
    for (double& x : u) x = random.Uniform();
    const double d1 = Delay(link, t1, u[0], u[1]);
    if (d1 < 0) continue;
    const double r2 = LocalTime(robot, t1 + d1);
    const double d2 = Delay(link, t1 + d1, u[2], u[3]);
    if (d2 < 0) continue;
    const double t4 = t1 + d1 + d2;
    const double d3 = Delay(link, t4, u[4], u[5]);
    if (d3 < 0) continue;
    ++trace.samples;
    arrivals.push_back({t4 + d3, {r2, ((t1 - r2) + (t4 - r2)) / 2, t4 - t1}});
  }
  std::stable_sort(arrivals.begin(), arrivals.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });

  // Events: sample arrivals (index >= 0) and changes of oscillator rate (-1), by time.
  std::vector<std::pair<double, int>> events;
  for (size_t i = 0; i < arrivals.size(); ++i) events.push_back({arrivals[i].first, static_cast<int>(i)});
  for (size_t k = 1; k < link.rate.size(); ++k) events.push_back({link.rate[k].first, -1});
  events.push_back({end_time_ + 1, -1});
  std::stable_sort(events.begin(), events.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });

  EstimatorOptions estimator_options;
  estimator_options.window_s = options_.window_s;
  estimator_options.keep = options_.keep;
  ClockEstimator estimator(estimator_options);
  // The dance clock runs at `speed` s per s of the robot's clock between knots.
  double t_prev = -options_.warmup_s;
  double local_prev = LocalTime(robot, t_prev);
  double dance = local_prev;
  double speed = 1;
  trace.knots.push_back({t_prev, dance});
  // A correction lasts until it has closed the error it was computed for (then the dance
  // clock runs at the estimated rate alone), so a correction under way when the link goes
  // down does not run on through the outage.
  double correct_until = std::numeric_limits<double>::infinity();  // s, conductor time
  auto advance = [&](double time) {
    const double local = LocalTime(robot, time);
    dance += speed * (local - local_prev);
    t_prev = time;
    local_prev = local;
    if (!trace.knots.empty() && trace.knots.back().time == time) {
      trace.knots.back().dance = dance;
    } else {
      trace.knots.push_back({time, dance});
    }
  };
  for (const auto& [time, index] : events) {
    if (time < t_prev) continue;
    if (correct_until <= time) {
      advance(correct_until);
      speed = 1 + estimator.drift();
      correct_until = std::numeric_limits<double>::infinity();
    }
    advance(time);
    if (index < 0) continue;
    estimator.Add(arrivals[index].second);
    trace.rejected += estimator.rejected();
    if (!estimator.valid()) continue;
    const double target = estimator.ConductorTime(local_prev);
    if (time < 0) {
      dance = target;  // before the show: set
      trace.knots.back().dance = dance;
      speed = 1 + estimator.drift();
      continue;
    }
    const double error = target - dance;
    const double correction = std::clamp(error / options_.correct_s, -options_.slew, options_.slew);
    speed = 1 + estimator.drift() + correction;
    correct_until = correction != 0 ? time + error / correction
                                    : std::numeric_limits<double>::infinity();
  }
}

double ClockNetwork::DanceTime(int robot, double t) const {
  const std::vector<ClockKnot>& knots = traces_[robot].knots;
  if (knots.size() < 2) return t;
  auto after = std::upper_bound(knots.begin(), knots.end(), t,
                                [](double time, const ClockKnot& k) { return time < k.time; });
  if (after == knots.begin()) ++after;
  if (after == knots.end()) --after;
  const ClockKnot& a = *(after - 1);
  const ClockKnot& b = *after;
  const double span = b.time - a.time;
  if (span <= 0) return b.dance + (t - b.time);
  return a.dance + (b.dance - a.dance) * (t - a.time) / span;
}

ClockSkewStats MeasureClockSkew(const ClockNetwork& network, double end_time, double tick) {
  ClockSkewStats stats;
  std::vector<double> all;
  const int64_t n = static_cast<int64_t>(std::floor(end_time / tick + 1e-9)) + 1;
  auto p99 = [](std::vector<double> values) {
    if (values.empty()) return 0.0;
    const size_t k = static_cast<size_t>(std::ceil(0.99 * static_cast<double>(values.size()))) - 1;
    std::nth_element(values.begin(), values.begin() + static_cast<long>(k), values.end());
    return values[k];
  };
  for (int r = 0; r < network.robots(); ++r) {
    std::vector<double> skews;
    skews.reserve(static_cast<size_t>(n));
    double previous = 0;
    for (int64_t i = 0; i < n; ++i) {
      const double t = static_cast<double>(i) * tick;
      const double error = network.DanceTime(r, t) - t;
      skews.push_back(std::abs(error) * 1e3);
      if (i > 0) stats.step_ms_max = std::max(stats.step_ms_max, std::abs(error - previous) * 1e3);
      previous = error;
    }
    stats.skew_ms_max = std::max(stats.skew_ms_max, *std::max_element(skews.begin(), skews.end()));
    stats.robot_skew_ms_p99.push_back(p99(skews));
    all.insert(all.end(), skews.begin(), skews.end());
  }
  stats.skew_ms_p99 = p99(std::move(all));
  return stats;
}

}  // namespace yangbot
