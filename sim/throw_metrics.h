// How the thrown handkerchiefs fared, from the simulated state (throw-mode stages,
// sim/handkerchief_throw.h): a throw counts once its release time has passed; it is caught
// when its handkerchief is seated on the pin again (MeasureHanky) between its launch and
// kHankyCatchWindow after its catch beat, and its catch timing is the first seated time
// minus the catch beat. A run that ends before a throw's window closes counts it as thrown,
// and caught only if it is already seated.
#ifndef YANGBOT_SIM_THROW_METRICS_H_
#define YANGBOT_SIM_THROW_METRICS_H_

#include <mujoco/mujoco.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "sim/handkerchief_throw.h"
#include "sim/scene.h"

namespace yangbot {

/// Throws, catches and catch timings of one robot (or of all).
struct HankyThrowTally {
  int throws = 0;                  ///< released
  int catches = 0;                 ///< seated again within the catch window
  double timing_sum_squares = 0;   ///< ms², (seated - catch beat)² over the catches

  /// catches / throws; -1 when nothing was thrown.
  double CatchRate() const { return throws > 0 ? static_cast<double>(catches) / throws : -1; }
  /// ms, RMS of the catch timings; -1 without a catch.
  double TimingRms() const;
};

/// Per-throw record the runner keeps (RunState::throw_log), parallel to RunState::throws.
struct HankyThrowLog {
  std::vector<double> seated;  ///< s, first seated time after launch; -1 not (yet)
};

/// Records, after a step, which throws of `throws` are seated again (cheap: only throws
/// between their launch and the end of their catch window are measured).
void UpdateHankyThrowLog(const Scene& scene, const std::vector<HankyThrow>& throws,
                         const mjData& d, HankyThrowLog* log);

/// Tallies at time `now` (s): index 0..robots-1 per robot, index `robots` over all.
std::vector<HankyThrowTally> TallyHankyThrows(int robots, const std::vector<HankyThrow>& throws,
                                              const HankyThrowLog& log, double now);

/// Adds `throws`, `catches`, `catch_rate` and `catch_timing_ms_rms` to `report` (overall)
/// and to each of report["per_robot"] (when present); null where nothing was thrown or
/// caught.
void AddHankyThrowReport(int robots, const std::vector<HankyThrow>& throws,
                         const HankyThrowLog& log, double now, nlohmann::json* report);

}  // namespace yangbot

#endif  // YANGBOT_SIM_THROW_METRICS_H_
