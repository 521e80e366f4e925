// libFuzzer target: the command line's string parsers. The first byte picks the parser
// (byte % 8; the seeds start with the digits '0'..'7', which map to 0..7), the rest is
// the text:
//   0 --fault (ParseFault, then CheckFault against a 2-robot stage built once)
//   1 --fail-on and show-file thresholds (ParseThreshold; canonical text reads back)
//   2 quantities with units, every dimension (ParseQuantity)
//   3 plain numbers (ParseNumber, ParseInteger; FormatNumber reads back exactly)
//   4 beat counts (Beats::Parse; ToString reads back)
//   5 the stage flags --robots/--robot/--spacing (CLI11 + AddStageFlags), one per line
//   6 robot MJCF (ParseXml, as `--robot FILE` reads it; WriteXml reads back)
//   7 regression scenario files (LoadScenario, then RunArguments)
// Bad text must end as the parser's documented error (nullopt, yangbot::Error,
// CLI::ParseError or diagnostics), never as a crash or a sanitizer report.
#include <unistd.h>

#include <yaml-cpp/exceptions.h>

#include <CLI/CLI.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "choreography/beats.h"
#include "choreography/diagnostics.h"
#include "choreography/show_parser.h"
#include "choreography/thresholds.h"
#include "choreography/units.h"
#include "sim/error.h"
#include "sim/runner.h"
#include "sim/scene.h"
#include "sim/xml.h"
#include "tools/cli/command.h"
#include "tools/cli/regress_scenario.h"

namespace yangbot {
namespace {

// A property the fuzzer checks beyond "no crash"; abort() makes libFuzzer save the input.
void Require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz property violated: %s\n", what);
    std::abort();
  }
}

const Scene& Stage() {
  static const std::unique_ptr<Scene> scene = [] {
    SceneOptions options;
    options.robots = 2;
    return Scene::Build(options);
  }();
  return *scene;
}

// A file the scenario parser reads (it takes a path); one per fuzzing process.
const std::string& ScenarioPath() {
  static const std::string path = [] {
    char dir[] = "/tmp/yangbot-fuzz-XXXXXX";
    Require(mkdtemp(dir) != nullptr, "mkdtemp");
    return std::string(dir) + "/scenario.yaml";
  }();
  return path;
}

void FuzzFault(const std::string& text) {
  try {
    const Fault fault = ParseFault(text);
    CheckFault(Stage(), fault);
  } catch (const Error&) {
  }
}

void FuzzThreshold(const std::string& text) {
  static const std::vector<std::string> kMetrics = {"falls", "min_separation_m", "warnings",
                                                    "max_tracking_error_deg", "steps"};
  static const std::vector<std::string> kSyntaxOnly;  // a show file's thresholds
  for (const std::vector<std::string>* metrics : {&kMetrics, &kSyntaxOnly}) {
    std::string error;
    const auto threshold = ParseThreshold(text, *metrics, &error);
    if (!threshold) {
      Require(!error.empty(), "threshold rejected without a message");
      continue;
    }
    std::string again_error;
    const auto again = ParseThreshold(threshold->ToString(), *metrics, &again_error);
    Require(again.has_value(), "threshold's canonical text does not parse");
    Require(again->metric == threshold->metric && again->op == threshold->op &&
                again->limit == threshold->limit,
            "threshold's canonical text reads back different");
    (void)threshold->FailsFor(0.0);
  }
}

void FuzzQuantity(const std::string& text) {
  for (Dimension d : {Dimension::kNone, Dimension::kLength, Dimension::kAngle, Dimension::kBeats,
                      Dimension::kTime, Dimension::kSpinRate}) {
    std::string error;
    const auto quantity = ParseQuantity(text, d, &error);
    if (!quantity) {
      Require(!error.empty(), "quantity rejected without a message");
      continue;
    }
    (void)ToDefaultUnit(*quantity, d, 120);
    const auto again = ParseQuantity(FormatQuantity(*quantity), d, &error);
    Require(again.has_value(), "quantity's canonical text does not parse");
  }
}

void FuzzNumber(const std::string& text) {
  if (const auto number = ParseNumber(text)) {
    const auto again = ParseNumber(FormatNumber(*number));
    Require(again.has_value() && *again == *number, "FormatNumber does not read back exactly");
  }
  (void)ParseInteger(text);
}

void FuzzBeats(const std::string& text) {
  if (const auto beats = Beats::Parse(text)) {
    const auto again = Beats::Parse(beats->ToString());
    Require(again.has_value() && *again == *beats, "beats' canonical text reads back different");
  }
}

void FuzzStageFlags(const std::string& text) {
  std::vector<std::string> args;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line) && args.size() < 16;) args.push_back(line);
  CLI::App app("fuzz");
  StageFlags flags;
  AddStageFlags(&app, &flags);
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 pops from the back
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError&) {
    return;
  }
  const SceneOptions options = ToSceneOptions(flags);
  Require(options.robots >= 1 && options.robots <= 32, "--robots outside 1..32 accepted");
  Require(options.spacing >= 0.5 && options.spacing <= 10, "--spacing outside 0.5..10 accepted");
}

void FuzzXml(const std::string& text) {
  try {
    const XmlElement root = ParseXml(text, "robot.xml");
    (void)ParseXml(WriteXml(root), "written.xml");
  } catch (const Error&) {
  }
}

void FuzzScenario(const std::string& text) {
  const std::string& path = ScenarioPath();
  FILE* file = std::fopen(path.c_str(), "wb");
  Require(file != nullptr, "cannot write the scenario file");
  std::fwrite(text.data(), 1, text.size(), file);
  std::fclose(file);
  Diagnostics diagnostics;
  const Scenario scenario = LoadScenario(path, &diagnostics);
  (void)diagnostics.Format("scenario.yaml");
  if (!diagnostics.has_errors()) (void)scenario.RunArguments("report.json");
}

}  // namespace
}  // namespace yangbot

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 8) {
    case 0: yangbot::FuzzFault(text); break;
    case 1: yangbot::FuzzThreshold(text); break;
    case 2: yangbot::FuzzQuantity(text); break;
    case 3: yangbot::FuzzNumber(text); break;
    case 4: yangbot::FuzzBeats(text); break;
    case 5: yangbot::FuzzStageFlags(text); break;
    case 6: yangbot::FuzzXml(text); break;
    case 7: yangbot::FuzzScenario(text); break;
  }
  return 0;
}
