#include "tools/cli/regress_scenario.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include "choreography/show_parser.h"
#include "choreography/thresholds.h"
#include "sim/error.h"
#include "sim/runner.h"

namespace yangbot {

// ---- Tolerances -------------------------------------------------------------------------

double Tolerance::Allowed(double baseline) const {
  return std::max(abs, rel * std::fabs(baseline));
}

const char* WorseName(Tolerance::Worse worse) {
  switch (worse) {
    case Tolerance::Worse::kHigher:
      return "higher";
    case Tolerance::Worse::kLower:
      return "lower";
    case Tolerance::Worse::kEither:
      return "either";
    case Tolerance::Worse::kInfo:
      return "info";
  }
  return "?";
}

namespace {

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
bool Contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

// The rules go from specific names to name patterns, so metrics that `yangbot run` adds later get a
// sensible rule without a code change here (documented in tests/regression/README.md).
Tolerance DefaultTolerance(const std::string& metric) {
  using W = Tolerance::Worse;
  const std::string leaf = metric.substr(metric.rfind('.') + 1);
  // Wall-clock numbers depend on the machine and its load: shown, never judged.
  if (Contains(leaf, "wall") || Contains(leaf, "realtime") || Contains(leaf, "real_time") ||
      Contains(leaf, "cpu") || Contains(leaf, "eta")) {
    return {W::kInfo};
  }
  // Echoes of the configuration: a change means the scenario ran differently.
  if (leaf == "robots" || leaf == "sim_seconds" || leaf == "timestep" || leaf == "seed" ||
      leaf == "steps") {
    return {W::kEither};
  }
  // Events that must not become more frequent at all.
  if (leaf == "falls" || EndsWith(leaf, "warnings") || EndsWith(leaf, "failures") ||
      EndsWith(leaf, "errors") || EndsWith(leaf, "collisions")) {
    return {W::kHigher};
  }
  // Handkerchief throws (sim/throw_metrics.h): all of them thrown, none more dropped.
  if (leaf == "throws") return {W::kEither};
  if (leaf == "catches" || leaf == "catch_rate") return {W::kLower};
  if (leaf == "catch_timing_ms_rms") return {W::kHigher, 5, 0.10};
  if (leaf == "min_separation_m") return {W::kLower, 0.05, 0};
  if (leaf.starts_with("min_")) return {W::kLower, 0, 0.05};
  // Tick counts (saturation, fallbacks) jitter with any controller change.
  if (EndsWith(leaf, "_ticks") || EndsWith(leaf, "_count")) return {W::kHigher, 10, 0.25};
  // Everything else is an error-like quantity (max_*, *_rms, *_error): 10% or a unit floor.
  double floor = 0;
  if (EndsWith(leaf, "_deg") || Contains(leaf, "_deg_")) floor = 0.5;
  if (EndsWith(leaf, "_m") || Contains(leaf, "_m_")) floor = 0.01;
  if (EndsWith(leaf, "_rad") || Contains(leaf, "_rad_")) floor = 0.01;
  if (EndsWith(leaf, "_s") || Contains(leaf, "_s_")) floor = 0.01;
  return {W::kHigher, floor, 0.10};
}

// ---- Scenarios --------------------------------------------------------------------------

Tolerance Scenario::ToleranceFor(const std::string& metric) const {
  const auto it = tolerances.find(metric);
  return it != tolerances.end() ? it->second : DefaultTolerance(metric);
}

bool Scenario::HasTag(const std::string& tag) const {
  return std::find(tags.begin(), tags.end(), tag) != tags.end();
}

std::vector<std::string> Scenario::RunArguments(const std::string& report) const {
  std::vector<std::string> out = {"run"};
  if (!choreography.empty()) out.push_back(choreography);
  if (robots) out.insert(out.end(), {"--robots", std::to_string(*robots)});
  if (seconds) {
    char text[64];
    std::snprintf(text, sizeof(text), "%.17g", *seconds);
    out.insert(out.end(), {"--seconds", text});
  }
  out.insert(out.end(), {"--seed", std::to_string(seed)});
  if (!controller.empty()) out.insert(out.end(), {"--controller", controller});
  for (const auto& fault : faults) out.insert(out.end(), {"--fault", fault});
  for (const auto& t : fail_on) out.insert(out.end(), {"--fail-on", t});
  out.insert(out.end(), args.begin(), args.end());
  out.insert(out.end(), {"--report", report, "--quiet"});
  return out;
}

namespace {

SourcePos PosOf(const YAML::Node& node) {
  const YAML::Mark mark = node.Mark();
  if (mark.line < 0 || mark.column < 0) return {};
  return {mark.line + 1, mark.column + 1};
}

bool IsWord(const std::string& s) {
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

const std::vector<std::string> kKeys = {"description", "tags",       "choreography", "robots",
                                        "seconds",     "controller", "seed",         "faults",
                                        "args",        "fail_on",    "tolerances"};

// Reads the fields of one scenario mapping, reporting every problem it finds.
class ScenarioReader {
 public:
  ScenarioReader(const std::string& path, Diagnostics* diagnostics)
      : path_(path), d_(diagnostics) {}

  void Read(const YAML::Node& root, Scenario* s) {
    if (!root.IsMap()) {
      d_->Error(PosOf(root), "a scenario is a mapping of keys (" + KeyList() + ")");
      return;
    }
    std::set<std::string> seen;
    for (const auto& entry : root) {
      const YAML::Node& key = entry.first;
      const YAML::Node& value = entry.second;
      const std::string name = key.Scalar();
      if (!seen.insert(name).second) {
        d_->Error(PosOf(key), "'" + name + "' given twice");
        continue;
      }
      if (name == "description") {
        String(value, &s->description);
      } else if (name == "tags") {
        for (const auto& item : Sequence(value)) {
          std::string tag;
          if (!String(item, &tag)) continue;
          if (!IsWord(tag)) d_->Error(PosOf(item), "a tag is a word of letters, digits, _ or -");
          s->tags.push_back(tag);
        }
      } else if (name == "choreography") {
        std::string file;
        if (!String(value, &file)) continue;
        const std::filesystem::path resolved =
            std::filesystem::path(path_).parent_path() / std::filesystem::path(file);
        std::error_code ec;
        if (!std::filesystem::is_regular_file(resolved, ec)) {
          d_->Error(PosOf(value), "no choreography file '" + resolved.string() +
                                      "' (paths are relative to the scenario file)");
        }
        s->choreography = resolved.lexically_normal().string();
      } else if (name == "robots") {
        double robots = 0;
        if (Number(value, &robots, 1, 32, "1..32")) {
          if (robots != std::floor(robots)) d_->Error(PosOf(value), "robots is a whole number");
          s->robots = static_cast<int>(robots);
        }
      } else if (name == "seconds") {
        double seconds = 0;
        if (Number(value, &seconds, 1e-3, 36000, "0.001..36000 s")) s->seconds = seconds;
      } else if (name == "controller") {
        if (String(value, &s->controller) && !IsWord(s->controller)) {
          d_->Error(PosOf(value), "bad controller name '" + s->controller + "'");
        }
      } else if (name == "seed") {
        double seed = 0;
        if (Number(value, &seed, 0, 9007199254740992.0, "0..2^53")) {
          if (seed != std::floor(seed)) d_->Error(PosOf(value), "seed is a whole number");
          s->seed = static_cast<uint64_t>(seed);
        }
      } else if (name == "faults") {
        for (const auto& item : Sequence(value)) {
          std::string fault;
          if (!String(item, &fault)) continue;
          try {
            ParseFault(fault);
          } catch (const Error& e) {
            std::string why = e.what();
            if (why.starts_with("error: ")) why = why.substr(7);
            d_->Error(PosOf(item), why);
          }
          s->faults.push_back(fault);
        }
      } else if (name == "args") {
        for (const auto& item : Sequence(value)) {
          std::string arg;
          if (String(item, &arg)) s->args.push_back(arg);
        }
      } else if (name == "fail_on") {
        for (const auto& item : Sequence(value)) {
          std::string text;
          if (String(item, &text)) FailOn(item, text, s);
        }
      } else if (name == "tolerances") {
        ReadTolerances(value, s);
      } else {
        d_->Error(PosOf(key), "unknown key '" + name + "'" + DidYouMean(name, kKeys) +
                                  "; a scenario has " + KeyList());
      }
    }
  }

 private:
  static std::string KeyList() {
    std::string out;
    for (const auto& k : kKeys) out += (out.empty() ? "" : ", ") + k;
    return out;
  }

  bool String(const YAML::Node& node, std::string* out) {
    if (!node.IsScalar()) {
      d_->Error(PosOf(node), "expected a text value");
      return false;
    }
    *out = node.Scalar();
    return true;
  }

  bool Number(const YAML::Node& node, double* out, double lo, double hi, const char* range) {
    if (!node.IsScalar()) {
      d_->Error(PosOf(node), "expected a number");
      return false;
    }
    const std::string text = node.Scalar();
    size_t used = 0;
    double v = 0;
    try {
      v = std::stod(text, &used);
    } catch (...) {
      used = 0;
    }
    if (text.empty() || used != text.size() || !std::isfinite(v)) {
      d_->Error(PosOf(node), "expected a number, got '" + text + "'");
      return false;
    }
    if (v < lo || v > hi) {
      d_->Error(PosOf(node), "'" + text + "' is out of range (" + range + ")");
      return false;
    }
    *out = v;
    return true;
  }

  // A list, or a single scalar taken as a list of one.
  std::vector<YAML::Node> Sequence(const YAML::Node& node) {
    std::vector<YAML::Node> out;
    if (node.IsSequence()) {
      for (const auto& item : node) out.push_back(item);
    } else if (node.IsScalar()) {
      out.push_back(node);
    } else if (!node.IsNull()) {
      d_->Error(PosOf(node), "expected a list");
    }
    return out;
  }

  // The syntax is checked here, with the shared parser; whether the metric exists is for `yangbot
  // run --fail-on` to say, as only it knows the names its report will have.
  void FailOn(const YAML::Node& node, const std::string& text, Scenario* s) {
    const size_t start = text.find_first_not_of(" \t");
    const size_t end = start == std::string::npos ? start : text.find_first_of("<>=! \t", start);
    const std::string metric =
        start == std::string::npos
            ? ""
            : text.substr(start, end == std::string::npos ? end : end - start);
    std::string why;
    const auto threshold = ParseThreshold(text, {metric}, &why);
    if (!threshold) {
      d_->Error(PosOf(node), "bad fail_on '" + text + "': " + why);
      return;
    }
    s->fail_on.push_back(threshold->ToString());
  }

  void ReadTolerances(const YAML::Node& node, Scenario* s) {
    if (!node.IsMap()) {
      d_->Error(PosOf(node),
                "tolerances: expected METRIC: {abs: X, rel: Y, "
                "worse: higher|lower|either|info}");
      return;
    }
    for (const auto& entry : node) {
      const std::string metric = entry.first.Scalar();
      const YAML::Node& spec = entry.second;
      if (s->tolerances.count(metric)) {
        d_->Error(PosOf(entry.first), "tolerance for '" + metric + "' given twice");
        continue;
      }
      // Fields given replace the default rule's; the others keep it.
      Tolerance t = DefaultTolerance(metric);
      if (!spec.IsMap()) {
        d_->Error(PosOf(spec), "expected {abs: X, rel: Y, worse: higher|lower|either|info}");
        continue;
      }
      for (const auto& field : spec) {
        const std::string key = field.first.Scalar();
        if (key == "abs" || key == "rel") {
          double v = 0;
          if (Number(field.second, &v, 0, 1e300, ">= 0")) (key == "abs" ? t.abs : t.rel) = v;
        } else if (key == "worse") {
          std::string w;
          if (!String(field.second, &w)) continue;
          if (w == "higher")
            t.worse = Tolerance::Worse::kHigher;
          else if (w == "lower")
            t.worse = Tolerance::Worse::kLower;
          else if (w == "either")
            t.worse = Tolerance::Worse::kEither;
          else if (w == "info")
            t.worse = Tolerance::Worse::kInfo;
          else
            d_->Error(PosOf(field.second),
                      "worse is higher, lower, either or info, not '" + w + "'");
        } else {
          d_->Error(PosOf(field.first), "unknown tolerance field '" + key + "' (abs, rel, worse)");
        }
      }
      s->tolerances[metric] = t;
    }
  }

  std::string path_;
  Diagnostics* d_;
};

}  // namespace

Scenario LoadScenario(const std::string& path, Diagnostics* diagnostics) {
  Scenario s;
  s.file = path;
  s.name = std::filesystem::path(path).stem().string();
  std::string text;
  try {
    text = ReadFileOrThrow(path);
  } catch (const Error& e) {
    diagnostics->Error({1, 1}, std::string("cannot read the scenario: ") + e.what());
    return s;
  }
  YAML::Node root;
  try {
    const std::vector<YAML::Node> documents = LoadYamlDocuments(text);
    if (documents.size() > 1) {
      diagnostics->Error(PosOf(documents[1]), "more than one YAML document; a scenario is one");
    }
    if (!documents.empty()) root = documents[0];
  } catch (const YAML::Exception& e) {
    diagnostics->Error({std::max(e.mark.line + 1, 1), std::max(e.mark.column + 1, 1)},
                       "YAML syntax: " + e.msg);
    return s;
  }
  if (!root || root.IsNull()) {
    diagnostics->Error({1, 1},
                       "empty scenario: give at least robots and seconds, or a choreography");
    return s;
  }
  ScenarioReader(path, diagnostics).Read(root, &s);
  return s;
}

std::vector<std::string> SuiteScenarioFiles(const std::string& folder) {
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec)) {
    throw Error(folder + ": error: not a suite folder (a folder of scenario *.yaml files)");
  }
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".yaml") {
      files.push_back(entry.path().string());
    }
  }
  if (ec) throw Error(folder + ": error: cannot list the folder: " + ec.message());
  if (files.empty()) throw Error(folder + ": error: no scenario files (*.yaml) in the suite");
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace yangbot
