// Results of a regression suite: each scenario's metrics compared with its baseline, the table
// people read, result.json (what shards write and `--merge` combines) and JUnit XML.
#ifndef YANGBOT_TOOLS_CLI_REGRESS_RESULT_H_
#define YANGBOT_TOOLS_CLI_REGRESS_RESULT_H_

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tools/cli/regress_scenario.h"

namespace yangbot {

/// One line of the table: a metric (or a fail_on check) of one scenario.
struct MetricRow {
  std::string metric;       ///< report key (nested: "a.b"); "fail_on X" for checks
  nlohmann::json baseline;  ///< number, string (hashes) or null (absent)
  nlohmann::json now;       ///< number, string (hashes) or null (absent)
  std::string verdict;      ///< ok better info new same changed / REGRESSED CHANGED MISSING FAILED
  std::string note;         ///< the rule applied, e.g. "higher is worse, allowed 0"
  bool failed = false;      ///< counts as a regression
};

/// What became of one scenario.
struct ScenarioResult {
  std::string name;             ///< scenario name
  std::string status;           ///< "passed", "failed" (regression) or "error" (did not run)
  std::string error;            ///< why it errored (run failed, no report, ...)
  std::vector<MetricRow> rows;  ///< in report key order, then fail_on checks
  double wall_seconds = 0;      ///< how long the run took (s), for the JUnit time attribute
  /// One line per failed check, e.g. "falls: 0 -> 1 (higher is worse, allowed 0)".
  std::vector<std::string> Failures() const;
};

/// A suite run (or the merge of shard runs).
struct SuiteResult {
  std::string suite;                      ///< the suite folder as given
  std::vector<std::string> expected;      ///< the selection (a shard: all of it, not just its own)
  std::vector<ScenarioResult> scenarios;  ///< sorted by name
  /// True when every expected scenario passed.
  bool passed() const;
};

/// Compares a run report with the baseline report (null: none stored) under the scenario's
/// tolerances and fail_on checks. Numbers are compared; *_sha256 strings are shown (same/changed)
/// but not judged; arrays (per-robot details) are skipped.
ScenarioResult CompareReports(const Scenario& scenario, const nlohmann::json& report,
                              const nlohmann::json& baseline);

/// The report's comparable values: numbers, nulls and *_sha256 strings by flattened key.
std::vector<std::pair<std::string, nlohmann::json>> ReportMetrics(const nlohmann::json& report);

/// result.json of a run: SuiteResult as JSON, and back (throws Error naming `source`).
nlohmann::json ToJson(const SuiteResult& result);
/// Reads result.json contents; `source` names the file in error messages.
SuiteResult SuiteResultFromJson(const nlohmann::json& json, const std::string& source);

/// Combines shard results: scenarios sorted by name; an expected scenario without a result, or one
/// with two, becomes an error entry. Throws Error when the shards are from different suites.
SuiteResult MergeResults(const std::vector<SuiteResult>& shards);

/// The table: scenario, metric, baseline, now, delta, verdict (+ a summary line).
std::string FormatTable(const SuiteResult& result);

/// JUnit XML (the Ant/Jenkins junit-10 shape): testsuites > testsuite > testcase, a <failure> per
/// regressed scenario and an <error> per scenario that did not run.
std::string FormatJUnit(const SuiteResult& result);

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_CLI_REGRESS_RESULT_H_
