// Regression suites (yangbot regress): a suite is a folder of scenario files, each naming one
// headless `yangbot run` (a choreography or a plain stage, options, faults, seed) and how its
// report's metrics are judged: absolute `fail_on` thresholds (checked by `yangbot run --fail-on`,
// choreography/thresholds.h) and per-metric tolerances against a stored baseline report. Format:
// tests/regression/README.md.
#ifndef YANGBOT_TOOLS_CLI_REGRESS_SCENARIO_H_
#define YANGBOT_TOOLS_CLI_REGRESS_SCENARIO_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "choreography/diagnostics.h"

namespace yangbot {

/// How a metric's change against the baseline is judged.
struct Tolerance {
  /// Which direction is a regression.
  enum class Worse {
    kHigher,  ///< an increase is a regression (falls, warnings, errors)
    kLower,   ///< a decrease is a regression (min_separation_m)
    kEither,  ///< any change is (configuration echoes: robots, steps, sim_seconds)
    kInfo,    ///< reported, never judged (wall-clock: wall_seconds, realtime_factor)
  };
  Worse worse = Worse::kHigher;  ///< regression direction
  double abs = 0;                ///< allowed change, in the metric's unit
  double rel = 0;                ///< allowed change as a fraction of |baseline|
  /// The allowed change for this baseline value: max(abs, rel·|baseline|).
  double Allowed(double baseline) const;
};

/// The built-in rule for a metric name (overridden per scenario by `tolerances:`).
Tolerance DefaultTolerance(const std::string& metric);

/// Name of a Worse value as written in scenario files: higher, lower, either, info.
const char* WorseName(Tolerance::Worse worse);

/// One scenario of a suite.
struct Scenario {
  std::string name;                  ///< file stem (unique in the suite)
  std::string file;                  ///< the scenario file as found
  std::string description;           ///< one line, for people
  std::vector<std::string> tags;     ///< e.g. "quick" (fits in CI)
  std::string choreography;          ///< path of the show file ("" = plain stage)
  std::optional<int> robots;         ///< --robots (unset: run's default or the show's)
  std::optional<double> seconds;     ///< --seconds, s (unset: run's default or the show's)
  std::string controller;            ///< --controller ("" = run's default)
  uint64_t seed = 1;                 ///< --seed
  std::vector<std::string> faults;   ///< --fault, each checked like `yangbot run` does
  std::vector<std::string> args;     ///< further `yangbot run` arguments, verbatim
  std::vector<std::string> fail_on;  ///< `yangbot run --fail-on` thresholds, canonical text
  std::map<std::string, Tolerance> tolerances;  ///< per-metric overrides

  /// The tolerance for `metric`: the scenario's override or the default.
  Tolerance ToleranceFor(const std::string& metric) const;
  /// True when the scenario has the tag.
  bool HasTag(const std::string& tag) const;
  /// The `yangbot run` arguments (without the binary) writing the report to `report`.
  std::vector<std::string> RunArguments(const std::string& report) const;
};

/// Reads one scenario file; problems go to `diagnostics` (FILE:LINE:COL positions).
Scenario LoadScenario(const std::string& path, Diagnostics* diagnostics);

/// The scenario files of a suite folder: every *.yaml directly inside it, sorted by name. Throws
/// Error when `folder` is not a readable folder or holds no scenario.
std::vector<std::string> SuiteScenarioFiles(const std::string& folder);

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_CLI_REGRESS_SCENARIO_H_
