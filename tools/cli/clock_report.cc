#include "tools/cli/clock_report.h"

#include <cmath>

#include "sim/error.h"

namespace yangbot {

std::shared_ptr<const ClockNetwork> MakeRunNetwork(const std::string& spec,
                                                   const NetworkOptions& base,
                                                   const std::vector<Fault>& faults, int robots,
                                                   uint64_t seed, double end_time) {
  NetworkOptions options = base;
  if (!spec.empty()) {
    options = NetworkOptions{};
    const std::string why = ParseNetworkOptions(spec, &options);
    if (!why.empty()) throw Error("error: bad --network '" + spec + "': " + why);
  }
  for (const Fault& f : faults) {
    if (f.kind == Fault::Kind::kNetOutage || f.kind == Fault::Kind::kClockDrift) {
      options.enabled = true;
    }
  }
  if (!options.enabled) return nullptr;
  return std::make_shared<ClockNetwork>(options, robots, seed, faults, end_time);
}

void RejectNetworkFaults(const std::vector<Fault>& faults, const std::string& command) {
  for (const Fault& f : faults) {
    if (f.kind == Fault::Kind::kNetOutage || f.kind == Fault::Kind::kClockDrift) {
      throw Error("error: " + command +
                  " runs on a perfect network: net and clock faults need `yangbot run`");
    }
  }
}

NetworkOptions ShowNetworkOptions(const Show& show) {
  NetworkOptions options;
  if (!show.network) return options;
  options.enabled = true;
  for (const auto& [key, value] : show.network->settings) SetNetworkOption(&options, key, value);
  return options;
}

void AddClockReport(const ClockNetwork* network, double end_time, double tick, double beat_s,
                    nlohmann::json* report) {
  nlohmann::json& r = *report;
  if (network == nullptr) {
    r["clock_skew_ms_p99"] = nullptr;
    r["clock_skew_ms_max"] = nullptr;
    r["clock_step_deg_max"] = nullptr;
    return;
  }
  const ClockSkewStats stats = MeasureClockSkew(*network, end_time, tick);
  r["clock_skew_ms_p99"] = stats.skew_ms_p99;
  r["clock_skew_ms_max"] = stats.skew_ms_max;
  r["clock_step_deg_max"] = stats.step_ms_max * 1e-3 / beat_s * 360;
  constexpr double kTracePeriod = 0.1;  // s
  nlohmann::json traces = nlohmann::json::array();
  for (int i = 0; i < network->robots(); ++i) {
    const RobotClockTrace& trace = network->trace(i);
    if (r.contains("per_robot") && static_cast<size_t>(i) < r["per_robot"].size()) {
      nlohmann::json& robot = r["per_robot"][static_cast<size_t>(i)];
      robot["clock_skew_ms_p99"] = stats.robot_skew_ms_p99[static_cast<size_t>(i)];
      robot["clock_offset_ms"] = trace.offset * 1e3;
      robot["clock_drift_ppm"] = trace.drift_ppm;
      robot["sync_exchanges"] = trace.exchanges;
      robot["sync_samples"] = trace.samples;
    }
    nlohmann::json skew = nlohmann::json::array();
    for (int k = 0; k * kTracePeriod <= end_time + 1e-9; ++k) {
      const double t = k * kTracePeriod;
      skew.push_back(std::round((network->DanceTime(i, t) - t) * 1e6) * 1e-3);  // ms, to 1 µs
    }
    traces.push_back(std::move(skew));
  }
  r["clock_traces"] = {{"period_s", kTracePeriod}, {"skew_ms", std::move(traces)}};
}

}  // namespace yangbot
