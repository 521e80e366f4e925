#include "tools/cli/regress_result.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <set>

#include "sim/error.h"
#include "sim/xml.h"

namespace yangbot {
namespace {

// Paths in the report (show_file) are not metrics, even when null.
bool IsPathKey(const std::string& key) { return key.ends_with("_file") || key.ends_with("_path"); }

bool IsHashKey(const std::string& key) {
  return key.size() >= 7 && key.compare(key.size() - 7, 7, "_sha256") == 0;
}

void Flatten(const nlohmann::json& value, const std::string& prefix,
             std::vector<std::pair<std::string, nlohmann::json>>* out) {
  for (auto it = value.begin(); it != value.end(); ++it) {
    const std::string key = prefix.empty() ? it.key() : prefix + "." + it.key();
    const nlohmann::json& v = it.value();
    if (IsPathKey(key)) continue;
    if (v.is_object()) {
      Flatten(v, key, out);
    } else if (v.is_number() || v.is_null() || (v.is_string() && IsHashKey(key))) {
      out->emplace_back(key, v);
    }
    // Booleans, arrays (per-robot details, fallen_robots) and other text are not metrics.
  }
}

std::string FormatValue(const nlohmann::json& v) {
  if (v.is_null()) return "-";
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    return s.size() > 12 ? s.substr(0, 12) : s;
  }
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  char text[64];
  std::snprintf(text, sizeof(text), "%.6g", v.get<double>());
  return text;
}

std::string FormatNumber(double x, const char* format = "%.6g") {
  char text[64];
  std::snprintf(text, sizeof(text), format, x);
  return text;
}

MetricRow Judge(const std::string& metric, const Tolerance& t, const nlohmann::json* base,
                const nlohmann::json* now) {
  MetricRow row;
  row.metric = metric;
  row.baseline = base ? *base : nlohmann::json();
  row.now = now ? *now : nlohmann::json();
  const bool info = t.worse == Tolerance::Worse::kInfo;
  if (row.baseline.is_string() || row.now.is_string()) {
    row.verdict = row.baseline == row.now ? "same" : "changed";
    row.note = "fingerprint, not judged";
    return row;
  }
  if (info) {
    row.verdict = "info";
    row.note = "wall-clock, not judged";
    return row;
  }
  if (!base) {
    row.verdict = "new";
    row.note = "not in the baseline";
    return row;
  }
  if (!now) {
    row.verdict = "MISSING";
    row.note = "in the baseline, not in the report";
    row.failed = true;
    return row;
  }
  if (row.baseline.is_null() || row.now.is_null()) {
    const bool same = row.baseline.is_null() && row.now.is_null();
    row.verdict = same ? "ok" : "CHANGED";
    row.note = same ? "no value in either" : "a value appeared or vanished";
    row.failed = !same;
    return row;
  }
  const double b = row.baseline.get<double>();
  const double n = row.now.get<double>();
  const double allowed = t.Allowed(b);
  row.note = std::string(t.worse == Tolerance::Worse::kEither
                             ? "any change counts"
                             : WorseName(t.worse) + std::string(" is worse")) +
             ", allowed " + FormatNumber(allowed);
  double worsening = 0;
  switch (t.worse) {
    case Tolerance::Worse::kHigher:
      worsening = n - b;
      break;
    case Tolerance::Worse::kLower:
      worsening = b - n;
      break;
    default:
      worsening = std::fabs(n - b);
      break;
  }
  if (worsening > allowed) {
    row.verdict = t.worse == Tolerance::Worse::kEither ? "CHANGED" : "REGRESSED";
    row.failed = true;
  } else if (t.worse != Tolerance::Worse::kEither && -worsening > allowed) {
    row.verdict = "better";  // passes; --update would make it the new bar
  } else {
    row.verdict = "ok";
  }
  return row;
}

// XML 1.0 allows tab, newline, carriage return and valid UTF-8 above 0x1f: anything else (terminal
// escapes, truncated multibyte sequences in a log tail) becomes '?'.
std::string XmlSafe(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = s[i];
    if (c < 0x80) {
      out += (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') && c != 0x7f ? char(c) : '?';
      ++i;
      continue;
    }
    const int length = (c & 0xe0) == 0xc0 ? 2 : (c & 0xf0) == 0xe0 ? 3 : (c & 0xf8) == 0xf0 ? 4 : 0;
    bool valid = length > 0 && i + length <= s.size();
    for (int k = 1; valid && k < length; ++k) valid = (s[i + k] & 0xc0) == 0x80;
    if (valid) {
      out.append(s, i, length);
      i += length;
    } else {
      out += '?';
      ++i;
    }
  }
  return out;
}

XmlElement Element(const std::string& tag) {
  XmlElement e;
  e.tag = tag;
  return e;
}

std::string OneLine(std::string s) {
  std::replace(s.begin(), s.end(), '\n', ' ');
  return XmlSafe(s);
}

}  // namespace

std::vector<std::pair<std::string, nlohmann::json>> ReportMetrics(const nlohmann::json& report) {
  std::vector<std::pair<std::string, nlohmann::json>> out;
  if (report.is_object()) Flatten(report, "", &out);
  return out;
}

std::vector<std::string> ScenarioResult::Failures() const {
  std::vector<std::string> out;
  if (!error.empty()) out.push_back(error);
  for (const auto& row : rows) {
    if (!row.failed) continue;
    out.push_back(row.metric + ": " + FormatValue(row.baseline) + " -> " + FormatValue(row.now) +
                  " (" + row.verdict + ", " + row.note + ")");
  }
  return out;
}

bool SuiteResult::passed() const {
  return std::all_of(scenarios.begin(), scenarios.end(),
                     [](const ScenarioResult& s) { return s.status == "passed"; });
}

ScenarioResult CompareReports(const Scenario& scenario, const nlohmann::json& report,
                              const nlohmann::json& baseline) {
  ScenarioResult result;
  result.name = scenario.name;
  const auto now = ReportMetrics(report);
  const auto base = ReportMetrics(baseline);
  std::map<std::string, const nlohmann::json*> base_by_key;
  for (const auto& [key, value] : base) base_by_key[key] = &value;
  std::set<std::string> seen;
  for (const auto& [key, value] : now) {
    seen.insert(key);
    const auto it = base_by_key.find(key);
    result.rows.push_back(Judge(key, scenario.ToleranceFor(key),
                                it == base_by_key.end() ? nullptr : it->second, &value));
  }
  for (const auto& [key, value] : base) {
    if (!seen.count(key))
      result.rows.push_back(Judge(key, scenario.ToleranceFor(key), &value, nullptr));
  }
  if (baseline.is_null()) {
    result.error = "no baseline for '" + scenario.name + "' (run with --update to store one)";
  }
  // Thresholds are checked by `yangbot run --fail-on` (the scenario's, and any the show file
  // carries); its verdicts are in the report.
  std::set<std::string> checked;
  const nlohmann::json no_verdicts = nlohmann::json::array();
  const nlohmann::json& verdicts = report.contains("thresholds") && report["thresholds"].is_array()
                                       ? report["thresholds"]
                                       : no_verdicts;
  for (const auto& v : verdicts) {
    MetricRow row;
    const std::string text = v.value("threshold", std::string("?"));
    checked.insert(text);
    row.metric = "fail_on " + text;
    row.now = v.value("value", nlohmann::json());
    const std::string verdict = v.value("verdict", std::string("?"));
    row.failed = verdict == "failed";
    row.verdict = row.failed ? "FAILED" : verdict == "passed" ? "ok" : verdict;
    row.note = verdict == "skipped" ? "not measured in this run" : "fails when " + text;
    result.rows.push_back(row);
  }
  for (const std::string& text : scenario.fail_on) {
    if (checked.count(text)) continue;
    MetricRow row;
    row.metric = "fail_on " + text;
    row.verdict = "FAILED";
    row.note = "no verdict in the report (does this yangbot run support --fail-on?)";
    row.failed = true;
    result.rows.push_back(row);
  }
  const bool any_failed = std::any_of(result.rows.begin(), result.rows.end(),
                                      [](const MetricRow& r) { return r.failed; });
  result.status = any_failed || !result.error.empty() ? "failed" : "passed";
  return result;
}

// ---- result.json ------------------------------------------------------------------------

nlohmann::json ToJson(const SuiteResult& result) {
  nlohmann::json scenarios = nlohmann::json::array();
  for (const auto& s : result.scenarios) {
    nlohmann::json rows = nlohmann::json::array();
    for (const auto& r : s.rows) {
      rows.push_back({{"metric", r.metric},
                      {"baseline", r.baseline},
                      {"now", r.now},
                      {"verdict", r.verdict},
                      {"note", r.note},
                      {"failed", r.failed}});
    }
    scenarios.push_back({{"name", s.name},
                         {"status", s.status},
                         {"error", s.error},
                         {"wall_seconds", s.wall_seconds},
                         {"rows", rows}});
  }
  return {{"format", "yangbot-regress-result-1"},
          {"suite", result.suite},
          {"expected", result.expected},
          {"scenarios", scenarios}};
}

SuiteResult SuiteResultFromJson(const nlohmann::json& json, const std::string& source) {
  SuiteResult result;
  try {
    if (json.at("format") != "yangbot-regress-result-1") {
      throw Error(source + ": error: not a yangbot regress result (format " +
                  json.at("format").dump() + ")");
    }
    result.suite = json.at("suite").get<std::string>();
    result.expected = json.at("expected").get<std::vector<std::string>>();
    for (const auto& s : json.at("scenarios")) {
      ScenarioResult r;
      r.name = s.at("name").get<std::string>();
      r.status = s.at("status").get<std::string>();
      r.error = s.at("error").get<std::string>();
      r.wall_seconds = s.at("wall_seconds").get<double>();
      for (const auto& row : s.at("rows")) {
        r.rows.push_back({row.at("metric").get<std::string>(), row.at("baseline"), row.at("now"),
                          row.at("verdict").get<std::string>(), row.at("note").get<std::string>(),
                          row.at("failed").get<bool>()});
      }
      result.scenarios.push_back(std::move(r));
    }
  } catch (const nlohmann::json::exception& e) {
    throw Error(source + ": error: malformed regress result: " + e.what());
  }
  return result;
}

SuiteResult MergeResults(const std::vector<SuiteResult>& shards) {
  SuiteResult merged;
  std::map<std::string, ScenarioResult> by_name;
  std::set<std::string> expected, duplicated;
  for (const auto& shard : shards) {
    if (merged.suite.empty()) merged.suite = shard.suite;
    if (shard.suite != merged.suite) {
      throw Error("error: shards of different suites: '" + merged.suite + "' and '" + shard.suite +
                  "'");
    }
    expected.insert(shard.expected.begin(), shard.expected.end());
    for (const auto& s : shard.scenarios) {
      if (!by_name.emplace(s.name, s).second) duplicated.insert(s.name);
    }
  }
  for (const auto& name : expected) {
    if (!by_name.count(name)) {
      ScenarioResult missing;
      missing.name = name;
      missing.status = "error";
      missing.error = "no result for '" + name + "': its shard did not finish or was not merged";
      by_name[name] = missing;
    }
  }
  for (const auto& name : duplicated) {
    by_name[name].status = "error";
    by_name[name].error = "two shards report '" + name + "'";
  }
  merged.expected.assign(expected.begin(), expected.end());
  for (auto& [name, s] : by_name) merged.scenarios.push_back(std::move(s));
  return merged;
}

// ---- The table --------------------------------------------------------------------------

std::string FormatTable(const SuiteResult& result) {
  std::vector<std::array<std::string, 6>> lines = {
      {"scenario", "metric", "baseline", "now", "delta", "verdict"}};
  for (const auto& s : result.scenarios) {
    if (s.status == "error") {
      lines.push_back({s.name, "-", "-", "-", "-", "ERROR: " + s.error});
      continue;
    }
    if (!s.error.empty()) lines.push_back({s.name, "-", "-", "-", "-", "FAILED: " + s.error});
    for (const auto& r : s.rows) {
      // Metrics this kind of run does not measure (show metrics without a show): no line.
      if (r.baseline.is_null() && r.now.is_null() && !r.failed) continue;
      std::string delta = "-";
      if (r.baseline.is_number() && r.now.is_number()) {
        delta = FormatNumber(r.now.get<double>() - r.baseline.get<double>(), "%+.3g");
      }
      std::string verdict = r.verdict;
      if (r.failed || r.verdict == "better") verdict += " (" + r.note + ")";
      lines.push_back(
          {s.name, r.metric, FormatValue(r.baseline), FormatValue(r.now), delta, verdict});
    }
  }
  std::array<size_t, 6> width{};
  for (const auto& line : lines) {
    for (size_t c = 0; c < 5; ++c) width[c] = std::max(width[c], line[c].size());
  }
  std::string out;
  for (const auto& line : lines) {
    for (size_t c = 0; c < 6; ++c) {
      const bool right = c >= 2 && c <= 4;  // numbers
      std::string cell = line[c];
      if (c < 5) {
        const std::string pad(width[c] - cell.size(), ' ');
        cell = right ? pad + cell : cell + pad;
        cell += "  ";
      }
      out += cell;
    }
    out += "\n";
  }
  int passed = 0, failed = 0, errors = 0;
  for (const auto& s : result.scenarios) {
    (s.status == "passed" ? passed : s.status == "failed" ? failed : errors)++;
  }
  out += "\n" + std::to_string(result.scenarios.size()) + " scenarios: " + std::to_string(passed) +
         " passed, " + std::to_string(failed) + " regressed, " + std::to_string(errors) +
         " errors\n";
  for (const auto& s : result.scenarios) {
    for (const auto& f : s.Failures()) {
      out += (s.status == "error" ? "ERROR " : "REGRESSION ") + s.name + ": " + f + "\n";
    }
  }
  return out;
}

// ---- JUnit ------------------------------------------------------------------------------

std::string FormatJUnit(const SuiteResult& result) {
  int failures = 0, errors = 0;
  double total_seconds = 0;
  XmlElement suite = Element("testsuite");
  const std::string classname =
      "regress." + std::filesystem::path(result.suite).lexically_normal().filename().string();
  for (const auto& s : result.scenarios) {
    total_seconds += s.wall_seconds;
    XmlElement testcase = Element("testcase");
    testcase.attributes = {{"name", XmlSafe(s.name)},
                           {"classname", XmlSafe(classname)},
                           {"time", FormatNumber(s.wall_seconds, "%.3f")}};
    const std::vector<std::string> lines = s.Failures();
    if (s.status != "passed") {
      (s.status == "error" ? errors : failures)++;
      XmlElement problem = Element(s.status == "error" ? "error" : "failure");
      std::string body;
      for (const auto& line : lines) body += line + "\n";
      problem.attributes = {{"message", OneLine(lines.empty() ? s.status : lines.front())},
                            {"type", s.status == "error" ? "error" : "regression"}};
      problem.text = XmlSafe(body);
      testcase.children.push_back(problem);
    }
    if (!s.rows.empty()) {
      SuiteResult one;
      one.suite = result.suite;
      one.scenarios = {s};
      XmlElement out = Element("system-out");
      out.text = XmlSafe(FormatTable(one));
      testcase.children.push_back(out);
    }
    suite.children.push_back(testcase);
  }
  const std::string tests = std::to_string(result.scenarios.size());
  const std::string time = FormatNumber(total_seconds, "%.3f");
  suite.attributes = {
      {"name", XmlSafe(result.suite)},    {"tests", tests}, {"failures", std::to_string(failures)},
      {"errors", std::to_string(errors)}, {"skipped", "0"}, {"time", time}};
  XmlElement root = Element("testsuites");
  root.attributes = {{"name", "yangbot regress"},
                     {"tests", tests},
                     {"failures", std::to_string(failures)},
                     {"errors", std::to_string(errors)},
                     {"time", time}};
  root.children.push_back(suite);
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" + WriteXml(root);
}

}  // namespace yangbot
