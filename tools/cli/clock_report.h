// Robots on their own clocks in `yangbot run` (sim/clock_sync.h,
// choreography/synced_reference.h): the network a run's options ask for, and the report's
// clock fields:
//   clock_skew_ms_p99   99th percentile over robots and physics steps of |dance time -
//                       conductor time|, ms (null on a perfect network)
//   clock_skew_ms_max   its largest value, ms
//   clock_step_deg_max  largest change of dance time minus conductor time over one
//                       physics step, in degrees of beat phase (360 = one beat)
//   per_robot[i]: clock_skew_ms_p99, clock_offset_ms and clock_drift_ppm (its clock at the
//                 start), sync_samples, sync_exchanges
//   clock_traces: {period_s, skew_ms: one list per robot, dance minus conductor time
//                 every period_s from 0}
#ifndef YANGBOT_TOOLS_CLI_CLOCK_REPORT_H_
#define YANGBOT_TOOLS_CLI_CLOCK_REPORT_H_

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "choreography/show.h"
#include "sim/clock_sync.h"
#include "sim/runner.h"

namespace yangbot {

/// The network of a run of `robots` robots until `end_time` (s): `spec` (--network:
/// "perfect" or KEY=VALUE,..., replacing `base`; "" = `base`), enabled as well by net and clock faults
/// among `faults`; nullptr when it is perfect. Throws Error on a bad spec.
std::shared_ptr<const ClockNetwork> MakeRunNetwork(const std::string& spec,
                                                   const NetworkOptions& base,
                                                   const std::vector<Fault>& faults, int robots,
                                                   uint64_t seed, double end_time);

/// Throws Error when `faults` hold a net or clock fault: `command` (e.g. "yangbot view")
/// runs on a perfect network, so they would do nothing there.
void RejectNetworkFaults(const std::vector<Fault>& faults, const std::string& command);

/// The options of `show`'s `network:` block (perfect without one).
NetworkOptions ShowNetworkOptions(const Show& show);

/// Adds the clock fields (top of this file) to `report` for a run from 0 to `end_time`
/// (s) with physics step `tick` (s) and beat `beat_s` (s); nulls when `network` is null.
void AddClockReport(const ClockNetwork* network, double end_time, double tick, double beat_s,
                    nlohmann::json* report);

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_CLI_CLOCK_REPORT_H_
