// End-to-end tests of `yangbot regress` (tools/cli/regress_command.cc): baselines, a planted
// regression, --update, JUnit structure, --list shards merged back, bad scenario files. Scenarios
// are tiny (1-2 robots, 1 s) so the whole file runs in seconds.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>
#include <string>

#include "sim/error.h"
#include "sim/xml.h"
#include "tests/test_paths.h"
#include "tests/tools/run_yangbot.h"

namespace {

namespace fs = std::filesystem;
using yangbot::TestDataDir;
using yangbot::YangbotBinary;
using yangbot::testing::CommandResult;
using yangbot::testing::RunYangbot;

// TestDataDir() is tests/testdata; this file's data sit next to it in tests/tools/.
const fs::path kData =
    fs::path(TestDataDir()).parent_path() / "tools" / "testdata" / "regress";

// A fresh copy of testdata/regress/SUITE in a folder of its own.
fs::path CopySuite(const std::string& suite, const std::string& test) {
  const fs::path dir = fs::path(::testing::TempDir()) / ("regress_" + test);
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::copy(kData / suite, dir / "suite", fs::copy_options::recursive);
  return dir;
}

std::string Read(const fs::path& path) { return yangbot::ReadFileOrThrow(path.string()); }

void Write(const fs::path& path, const std::string& text) { std::ofstream(path) << text; }

std::string Quote(const fs::path& path) { return "'" + path.string() + "'"; }

TEST(RegressTest, APlantedRegressionTurnsRedNamingTheMetricAndUpdateTurnsItGreen) {
  const fs::path dir = CopySuite("tiny", "planted");
  const std::string suite = Quote(dir / "suite");
  const std::string out = " --out " + Quote(dir / "out");

  // No baselines yet: red, and the message says how to store them.
  CommandResult r = RunYangbot("regress " + suite + out + " --shard stand");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("no baseline for 'stand'"), std::string::npos) << r.output;

  r = RunYangbot("regress " + suite + out + " -j 2 --update");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("updated 3 baselines"), std::string::npos) << r.output;
  ASSERT_TRUE(fs::exists(dir / "suite" / "baseline" / "stand.json"));
  r = RunYangbot("regress " + suite + out + " -j 2");
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("3 scenarios: 3 passed, 0 regressed, 0 errors"), std::string::npos)
      << r.output;

  // Plant the regression: robot 0 loses power at 0.2 s and falls.
  const fs::path stand = dir / "suite" / "stand.yaml";
  Write(stand, Read(stand) + "faults: [dropout:0@0.2]\n");
  r = RunYangbot("regress " + suite + out + " -j 2");
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("REGRESSION stand: falls: 0 -> 1 (REGRESSED"), std::string::npos)
      << r.output;
  // Its absolute threshold fails too, and the other scenarios are untouched.
  EXPECT_NE(r.output.find("REGRESSION stand: fail_on falls>0"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("3 scenarios: 2 passed, 1 regressed"), std::string::npos) << r.output;

  // A human accepts the fall as the new normal, but fail_on still holds:
  // --update stores the baseline and still exits 1; dropping the threshold
  // makes the suite green.
  r = RunYangbot("regress " + suite + out + " --scenario stand --update");
  EXPECT_EQ(r.status, 1) << r.output;
  Write(stand, std::regex_replace(Read(stand), std::regex("fail_on: \\[falls>0\\]\n"), ""));
  r = RunYangbot("regress " + suite + out + " -j 2");
  EXPECT_EQ(r.status, 0) << r.output;
}

TEST(RegressTest, ABaselineEditedToABetterValueIsARegressionOfThatMetric) {
  const fs::path dir = CopySuite("tiny", "edited");
  const std::string args =
      "regress " + Quote(dir / "suite") + " --scenario stand --out " + Quote(dir / "out");
  ASSERT_EQ(RunYangbot(args + " --update").status, 0);
  const fs::path baseline = dir / "suite" / "baseline" / "stand.json";
  nlohmann::json report = nlohmann::json::parse(Read(baseline));
  const double separation = report["min_separation_m"].get<double>();
  report["min_separation_m"] = separation + 0.2;  // the allowed drop is 0.05 m
  Write(baseline, report.dump(2));
  CommandResult r = RunYangbot(args);
  EXPECT_EQ(r.status, 1) << r.output;
  EXPECT_NE(r.output.find("REGRESSION stand: min_separation_m:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("lower is worse, allowed 0.05"), std::string::npos) << r.output;

  // Within the tolerance it passes; a better value passes and says so.
  report["min_separation_m"] = separation + 0.04;
  Write(baseline, report.dump(2));
  EXPECT_EQ(RunYangbot(args).status, 0);
  report["min_separation_m"] = separation - 0.2;
  Write(baseline, report.dump(2));
  r = RunYangbot(args);
  EXPECT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("better"), std::string::npos) << r.output;

  // Wall-clock metrics are never judged.
  report["min_separation_m"] = separation;
  report["realtime_factor"] = 1e9;
  report["wall_seconds"] = 1e-9;
  Write(baseline, report.dump(2));
  EXPECT_EQ(RunYangbot(args).status, 0);
}

// Attribute `name` of `e`, failing the test when it is absent.
std::string Attribute(const yangbot::XmlElement& e, const std::string& name) {
  const std::string* value = e.Find(name);
  EXPECT_NE(value, nullptr) << e.tag << " has no " << name;
  return value ? *value : "";
}

TEST(RegressTest, JUnitHasTheStandardStructureWithFailuresErrorsAndEscapedText) {
  const fs::path dir = CopySuite("tiny", "junit");
  // One passing, one regressed (a threshold with '<' and '&' in the text must be escaped), one that
  // cannot run (an unknown `yangbot run` flag), one with markup in its name.
  Write(dir / "suite" / "one.yaml", Read(dir / "suite" / "one.yaml") + "fail_on: [robots<2]\n");
  Write(dir / "suite" / "broken_run.yaml", "robots: 1\nseconds: 1\nargs: [--no-such-flag]\n");
  fs::copy_file(dir / "suite" / "stand.yaml", dir / "suite" / "a<&>b.yaml");
  const std::string args = "regress " + Quote(dir / "suite") + " --out " + Quote(dir / "out") +
                           " -j 2 --junit " + Quote(dir / "junit.xml");
  ASSERT_EQ(RunYangbot(args + " --update").status,
            1);  // broken_run has no report
  const CommandResult r = RunYangbot(args);
  EXPECT_EQ(r.status, 1) << r.output;

  const std::string xml = Read(dir / "junit.xml");
  EXPECT_EQ(xml.rfind("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", 0), 0u);
  const yangbot::XmlElement root = yangbot::ParseXml(xml, "junit.xml");
  ASSERT_EQ(root.tag, "testsuites");
  EXPECT_EQ(Attribute(root, "tests"), "5");
  EXPECT_EQ(Attribute(root, "failures"), "1");
  EXPECT_EQ(Attribute(root, "errors"), "1");
  ASSERT_EQ(root.children.size(), 1u);
  const yangbot::XmlElement& suite = root.children[0];
  ASSERT_EQ(suite.tag, "testsuite");
  EXPECT_EQ(Attribute(suite, "tests"), "5");
  EXPECT_EQ(Attribute(suite, "failures"), "1");
  EXPECT_EQ(Attribute(suite, "errors"), "1");
  EXPECT_FALSE(Attribute(suite, "name").empty());
  std::map<std::string, const yangbot::XmlElement*> cases;
  for (const auto& testcase : suite.children) {
    ASSERT_EQ(testcase.tag, "testcase");
    EXPECT_GE(std::stod(Attribute(testcase, "time")), 0.0);
    EXPECT_FALSE(Attribute(testcase, "classname").empty());
    cases[Attribute(testcase, "name")] = &testcase;
    // Child order of the schema: error/failure before system-out.
    bool seen_out = false;
    for (const auto& child : testcase.children) {
      if (child.tag == "system-out") seen_out = true;
      if (child.tag == "failure" || child.tag == "error") {
        EXPECT_FALSE(seen_out);
      }
    }
  }
  ASSERT_EQ(cases.size(), 5u);
  ASSERT_TRUE(cases.count("a<&>b"));  // the name survived escaping and parsing
  EXPECT_EQ(cases["stand"]->Child("failure"), nullptr);
  const yangbot::XmlElement* failure = cases["one"]->Child("failure");
  ASSERT_NE(failure, nullptr);
  EXPECT_EQ(Attribute(*failure, "type"), "regression");
  EXPECT_NE(Attribute(*failure, "message").find("fail_on robots<2"), std::string::npos);
  EXPECT_NE(failure->text.find("fail_on robots<2"), std::string::npos);
  const yangbot::XmlElement* error = cases["broken_run"]->Child("error");
  ASSERT_NE(error, nullptr);
  EXPECT_NE(error->text.find("no-such-flag"), std::string::npos) << error->text;

  // The published schema shape, when xmllint (Debian libxml2-utils) is installed.
  if (std::system("command -v xmllint > /dev/null 2>&1") != 0) {
    GTEST_SKIP() << "xmllint not installed (Debian package libxml2-utils): "
                    "schema check skipped";
  }
  const std::string command = "xmllint --noout --schema " + Quote(kData / "junit.xsd") + " " +
                              Quote(dir / "junit.xml") + " > /dev/null 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
}

// result.json without what depends on the clock: wall times and wall-clock metric values.
nlohmann::json WithoutWallClock(nlohmann::json result) {
  for (auto& s : result["scenarios"]) {
    s.erase("wall_seconds");
    for (auto& row : s["rows"]) {
      if (row["verdict"] == "info") row.erase("now");
    }
  }
  return result;
}

// JUnit text without what depends on the clock: time attributes, wall-clock table lines, and the
// table's column padding (the wall-clock values set the delta column's width).
std::string JUnitWithoutWallClock(const std::string& xml) {
  std::string out = std::regex_replace(xml, std::regex(" time=\"[0-9.]+\""), "");
  out = std::regex_replace(out, std::regex(" +"), " ");
  std::stringstream in(out);
  out.clear();
  for (std::string line; std::getline(in, line);) {
    if (line.find(" info") == std::string::npos) out += line + "\n";
  }
  return out;
}

TEST(RegressTest, ShardsFromListMergeIntoTheSingleRunsResult) {
  const fs::path dir = CopySuite("tiny", "shards");
  const std::string suite = Quote(dir / "suite");
  ASSERT_EQ(RunYangbot("regress " + suite + " --update --out " + Quote(dir / "base")).status, 0);
  // Make one scenario regress so the merge has a failure to carry over.
  const fs::path baseline = dir / "suite" / "baseline" / "pushed.json";
  nlohmann::json report = nlohmann::json::parse(Read(baseline));
  report["falls"] = -1;
  Write(baseline, report.dump(2));

  const CommandResult single =
      RunYangbot("regress " + suite + " -j 3 --out " + Quote(dir / "single") + " --junit " +
                 Quote(dir / "single.xml"));
  EXPECT_EQ(single.status, 1) << single.output;

  // --list: one command per scenario; run them one by one as a scheduler would.
  const CommandResult list =
      RunYangbot("regress " + suite + " --list --out " + Quote(dir / "shards"));
  ASSERT_EQ(list.status, 0) << list.output;
  std::stringstream lines(list.output);
  int shards = 0;
  const std::string binary = YangbotBinary() + " ";
  for (std::string line; std::getline(lines, line);) {
    ASSERT_EQ(line.rfind(binary + "regress ", 0), 0u) << line;
    const CommandResult shard = RunYangbot(line.substr(binary.size()));
    EXPECT_EQ(shard.status, line.find("pushed") != std::string::npos ? 1 : 0) << shard.output;
    ++shards;
  }
  EXPECT_EQ(shards, 3);
  EXPECT_TRUE(fs::exists(dir / "shards" / "stand" / "junit.xml"));

  const CommandResult merged =
      RunYangbot("regress --merge " + Quote(dir / "shards") + " --out " + Quote(dir / "merged") +
                 " --junit " + Quote(dir / "merged.xml"));
  EXPECT_EQ(merged.status, 1) << merged.output;
  EXPECT_NE(merged.output.find("REGRESSION pushed: falls: -1 -> 0 (REGRESSED"), std::string::npos)
      << merged.output;
  EXPECT_EQ(WithoutWallClock(nlohmann::json::parse(Read(dir / "merged" / "result.json"))),
            WithoutWallClock(nlohmann::json::parse(Read(dir / "single" / "result.json"))));
  EXPECT_EQ(JUnitWithoutWallClock(Read(dir / "merged.xml")),
            JUnitWithoutWallClock(Read(dir / "single.xml")));

  // A shard that never reported is an error of the merge, not a silent pass.
  fs::remove_all(dir / "shards" / "stand");
  const CommandResult partial = RunYangbot("regress --merge " + Quote(dir / "shards"));
  EXPECT_EQ(partial.status, 1);
  EXPECT_NE(partial.output.find("ERROR stand: no result for 'stand'"), std::string::npos)
      << partial.output;
}

TEST(RegressTest, BadScenarioFilesAreReportedWithLineAndColumn) {
  const fs::path dir = CopySuite("bad", "bad");
  const std::string file = (dir / "suite" / "broken.yaml").string();
  const CommandResult r = RunYangbot("regress " + Quote(dir / "suite"));
  EXPECT_EQ(r.status, 2) << r.output;
  EXPECT_NE(r.output.find(file + ":3:1: error: unknown key 'robts' (did you mean 'robots'?)"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find(file + ":4:10: error: '-1' is out of range"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find(file + ":5:10: error: bad --fault 'dropout:x@1': bad robot index"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find(file + ":6:11: error: bad fail_on 'falls>>0'"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find(file + ":8:26: error: worse is higher, lower, either or info"),
            std::string::npos)
      << r.output;

  Write(dir / "suite" / "broken.yaml", "robots: [1\nseconds: 2\n");
  const CommandResult syntax = RunYangbot("regress " + Quote(dir / "suite"));
  EXPECT_EQ(syntax.status, 2);
  EXPECT_NE(syntax.output.find(file + ":"), std::string::npos) << syntax.output;
  EXPECT_NE(syntax.output.find("error: YAML syntax"), std::string::npos) << syntax.output;

  EXPECT_EQ(RunYangbot("regress " + Quote(dir / "nowhere")).status, 2);
  EXPECT_EQ(RunYangbot("regress " + Quote(dir / "suite") + " --list").status, 2);
}

TEST(RegressTest, TagsSelectTheQuickSubset) {
  const fs::path dir = CopySuite("tiny", "tags");
  const CommandResult list =
      RunYangbot("regress " + Quote(dir / "suite") + " --tag quick --list --out shards");
  ASSERT_EQ(list.status, 0) << list.output;
  EXPECT_NE(list.output.find("--shard stand"), std::string::npos) << list.output;
  EXPECT_NE(list.output.find("--shard pushed"), std::string::npos) << list.output;
  EXPECT_EQ(list.output.find("--shard one "), std::string::npos) << list.output;
  EXPECT_NE(list.output.find("--tag quick"), std::string::npos) << list.output;

  // --scenario narrows the selection; each shard carries it, so a merge expects just those.
  const fs::path shards = dir / "shards";
  const CommandResult named = RunYangbot("regress " + Quote(dir / "suite") +
                                         " --scenario one --list --out " + Quote(shards));
  ASSERT_EQ(named.status, 0) << named.output;
  const std::string binary = YangbotBinary() + " ";
  ASSERT_EQ(named.output.rfind(binary, 0), 0u) << named.output;
  EXPECT_EQ(std::count(named.output.begin(), named.output.end(), '\n'), 1);
  RunYangbot(named.output.substr(binary.size(), named.output.size() - binary.size() - 1));
  const CommandResult merged = RunYangbot("regress --merge " + Quote(shards));
  EXPECT_NE(merged.output.find("1 scenarios: 0 passed, 1 regressed, 0 errors"), std::string::npos)
      << merged.output;  // no baseline, but no missing shards either
}

TEST(RegressTest, TheSlurmArrayScriptRunsEachShardAndTheMergeCollectsThem) {
  const fs::path dir = CopySuite("tiny", "slurm");
  ASSERT_EQ(RunYangbot("regress " + Quote(dir / "suite") + " --update --out " + Quote(dir / "base"))
                .status,
            0);
  const fs::path script = fs::path(TestDataDir()).parent_path().parent_path() / "tools" /
                          "slurm" / "regress.sbatch";
  for (int task = 0; task < 4; ++task) {
    // Run as Slurm would, from the submit directory, task by task (task 3 does not exist).
    const std::string command = "cd " + Quote(dir) +
                                " && SLURM_ARRAY_TASK_ID=" + std::to_string(task) +
                                " YANGBOT=" + YangbotBinary() + " YANGBOT_SUITE=suite bash " +
                                Quote(script) + " > task" + std::to_string(task) + ".log 2>&1";
    const int status = std::system(command.c_str());
    EXPECT_EQ(status == 0, task < 3) << Read(dir / ("task" + std::to_string(task) + ".log"));
  }
  const CommandResult merged = RunYangbot("regress --merge " + Quote(dir / "results" / "shards"));
  EXPECT_EQ(merged.status, 0) << merged.output;
  EXPECT_NE(merged.output.find("3 scenarios: 3 passed"), std::string::npos) << merged.output;
}

// The project's own quick suite (tests/regression, tag quick) against its committed
// baselines: this is the subset `tools/test` runs in CI.
TEST(RegressTest, TheProjectsQuickSuiteMatchesItsBaselines) {
  const fs::path root = fs::path(TestDataDir()).parent_path().parent_path();
  const fs::path out = fs::path(::testing::TempDir()) / "regress_project";
  const CommandResult r = RunYangbot("regress " + Quote(root / "tests" / "regression") +
                                     " --tag quick -j 2 --out " + Quote(out));
  EXPECT_EQ(r.status, 0) << r.output
                         << "\nIf the change in these numbers is intended, accept it with\n"
                            "  build/tools/yangbot regress tests/regression --tag quick --update\n"
                            "and commit tests/regression/baseline/ with the change.";
}

TEST(RegressTest, TheKubernetesJobHasOneCompletionPerScenarioOfTheProjectSuite) {
  const fs::path root = fs::path(TestDataDir()).parent_path().parent_path();
  const std::vector<YAML::Node> documents =
      YAML::LoadAll(Read(root / "tools" / "k8s" / "regress-job.yaml"));
  ASSERT_EQ(documents.size(), 2u);
  const YAML::Node spec = documents[0]["spec"];
  EXPECT_EQ(spec["completionMode"].as<std::string>(), "Indexed");
  const std::string script = spec["template"]["spec"]["containers"][0]["args"][0].as<std::string>();
  EXPECT_NE(script.find("JOB_COMPLETION_INDEX"), std::string::npos);
  const CommandResult list =
      RunYangbot("regress " + Quote(root / "tests" / "regression") + " --list --out shards");
  ASSERT_EQ(list.status, 0) << list.output;
  const int shards = static_cast<int>(std::count(list.output.begin(), list.output.end(), '\n'));
  EXPECT_EQ(spec["completions"].as<int>(), shards);
  EXPECT_EQ(spec["parallelism"].as<int>(), shards);
}

}  // namespace
