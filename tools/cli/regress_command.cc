// yangbot regress SUITE: runs every scenario of a suite folder as its own `yangbot run` process (-j
// at a time), compares each report with the stored baseline, prints the table, writes result.json
// (+ JUnit XML) and exits 1 on any regression. --update stores the new reports as baselines; --list
// prints one shell command per scenario (a shard) for an external scheduler; --merge combines the
// shards' result.json files. Exit status: 0 all passed, 1 a regression or a scenario that did not
// run, 2 bad input.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "sim/error.h"
#include "tools/cli/command.h"
#include "tools/cli/regress_result.h"
#include "tools/cli/regress_scenario.h"

extern char** environ;

namespace yangbot {
namespace {

namespace fs = std::filesystem;

struct RegressFlags {
  std::string suite;
  std::string baseline;  // "" = SUITE/baseline
  std::string out;       // "" = a fresh temporary folder
  std::string junit;
  std::vector<std::string> tags;
  std::vector<std::string> scenarios;
  std::vector<std::string> merge;
  std::string shard;  // run only this scenario of the selection (what --list prints)
  int jobs = 1;
  bool update = false;
  bool list = false;
};

constexpr int kBadInput = 2;

std::string SelfPath() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (ec) throw Error("error: cannot find the yangbot binary (/proc/self/exe): " + ec.message());
  return self.string();
}

// Quotes a word for a POSIX shell when it needs it.
std::string ShellQuote(const std::string& word) {
  const bool plain = !word.empty() && word.find_first_not_of(
                                          "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                          "0123456789_-./=:,@+%") == std::string::npos;
  if (plain) return word;
  std::string out = "'";
  for (const char c : word) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string LastLines(const std::string& text, int count) {
  size_t pos = text.size();
  if (pos > 0 && text[pos - 1] == '\n') --pos;
  for (int i = 0; i < count && pos != std::string::npos && pos > 0; ++i)
    pos = text.rfind('\n', pos - 1);
  return pos == std::string::npos || pos == 0 ? text : text.substr(pos + 1);
}

std::string ReadOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// ---- Running the scenarios --------------------------------------------------------------

// One scenario's subprocess: `yangbot run ... --report OUT/NAME.report.json`, its stdout and stderr
// in OUT/NAME.log.
struct Job {
  const Scenario* scenario = nullptr;
  std::string report;
  std::string log;
  std::chrono::steady_clock::time_point start;
};

pid_t Spawn(const std::string& binary, const Job& job, std::string* why) {
  std::vector<std::string> args = job.scenario->RunArguments(job.report);
  args.insert(args.begin(), binary);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, job.log.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    *why = std::string("cannot start ") + binary + ": " + std::strerror(rc);
    return -1;
  }
  return pid;
}

// Turns a finished run into its result: the comparison when a report was written.
ScenarioResult Finish(const Job& job, int exit_status, const std::string& baseline_dir,
                      nlohmann::json* report) {
  const Scenario& s = *job.scenario;
  ScenarioResult result;
  result.name = s.name;
  const std::string log = ReadOrEmpty(job.log);
  try {
    *report = nlohmann::json::parse(ReadFileOrThrow(job.report));
  } catch (const std::exception&) {
    result.status = "error";
    result.error = "yangbot run " +
                   (exit_status >= 0 ? "exited with status " + std::to_string(exit_status)
                                     : std::string("was killed")) +
                   " without a report (log " + job.log + "):\n" + LastLines(log, 15);
    *report = nullptr;
    return result;
  }
  nlohmann::json baseline;
  const std::string baseline_file = (fs::path(baseline_dir) / (s.name + ".json")).string();
  std::error_code ec;
  if (fs::exists(baseline_file, ec)) {
    try {
      baseline = nlohmann::json::parse(ReadFileOrThrow(baseline_file));
    } catch (const std::exception& e) {
      result.status = "error";
      result.error = baseline_file + ": error: unreadable baseline: " + e.what();
      return result;
    }
  }
  result = CompareReports(s, *report, baseline);
  const bool threshold_failed =
      std::any_of(result.rows.begin(), result.rows.end(),
                  [](const MetricRow& r) { return r.failed && r.metric.starts_with("fail_on "); });
  if (exit_status != 0 && !threshold_failed) {
    // A report and a failing status that no threshold explains.
    MetricRow row;
    row.metric = "run_exit_status";
    row.now = exit_status;
    row.verdict = "FAILED";
    row.note = "yangbot run exited non-zero; see " + job.log;
    row.failed = true;
    result.rows.push_back(row);
    result.status = "failed";
  }
  return result;
}

std::vector<std::pair<ScenarioResult, nlohmann::json>> RunAll(
    const std::vector<const Scenario*>& selected, const RegressFlags& flags,
    const std::string& baseline_dir, const std::string& out_dir) {
  const std::string binary = SelfPath();
  std::vector<std::pair<ScenarioResult, nlohmann::json>> results(selected.size());
  std::vector<Job> jobs(selected.size());
  std::map<pid_t, size_t> running;
  size_t next = 0, done = 0;
  auto report_progress = [&](size_t i) {
    const ScenarioResult& r = results[i].first;
    std::fprintf(stderr, "[%zu/%zu] %s: %s (%.1f s)\n", ++done, selected.size(), r.name.c_str(),
                 r.status == "passed"   ? "passed"
                 : r.status == "failed" ? "REGRESSED"
                                        : "ERROR",
                 r.wall_seconds);
  };
  while (next < selected.size() || !running.empty()) {
    while (next < selected.size() && static_cast<int>(running.size()) < flags.jobs) {
      const size_t i = next++;
      Job& job = jobs[i];
      job.scenario = selected[i];
      job.report = (fs::path(out_dir) / (job.scenario->name + ".report.json")).string();
      job.log = (fs::path(out_dir) / (job.scenario->name + ".log")).string();
      std::error_code ec;
      fs::remove(job.report,
                 ec);  // never compare a stale report from an earlier run
      job.start = std::chrono::steady_clock::now();
      std::string why;
      const pid_t pid = Spawn(binary, job, &why);
      if (pid < 0) {
        results[i].first.name = job.scenario->name;
        results[i].first.status = "error";
        results[i].first.error = why;
        report_progress(i);
        continue;
      }
      running[pid] = i;
    }
    if (running.empty()) continue;
    int status = 0;
    const pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      throw Error(std::string("error: waiting for the scenario runs: ") + std::strerror(errno));
    }
    const auto it = running.find(pid);
    if (it == running.end()) continue;
    const size_t i = it->second;
    running.erase(it);
    const int exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    results[i].first = Finish(jobs[i], exit_status, baseline_dir, &results[i].second);
    results[i].first.wall_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - jobs[i].start).count();
    report_progress(i);
  }
  return results;
}

// Writes result.json and the JUnit file, prints the table; the exit status.
int Publish(const SuiteResult& result, const std::string& out_dir, const std::string& junit) {
  if (!out_dir.empty()) {
    WriteFileAtomic((fs::path(out_dir) / "result.json").string(), ToJson(result).dump(2) + "\n");
  }
  if (!junit.empty()) {
    const fs::path parent = fs::path(junit).parent_path();
    std::error_code ec;
    if (!parent.empty()) fs::create_directories(parent, ec);
    WriteFileAtomic(junit, FormatJUnit(result));
  }
  std::fputs(FormatTable(result).c_str(), stdout);
  return result.passed() ? 0 : 1;
}

// ---- Modes ------------------------------------------------------------------------------

int Merge(const RegressFlags& flags) {
  std::vector<SuiteResult> shards;
  for (const std::string& dir : flags.merge) {
    std::vector<std::string> files;
    std::error_code ec;
    if (fs::is_regular_file(fs::path(dir) / "result.json", ec)) {
      files.push_back((fs::path(dir) / "result.json").string());
    } else if (fs::is_directory(dir, ec)) {
      for (const auto& entry : fs::directory_iterator(dir, ec)) {
        if (fs::is_regular_file(entry.path() / "result.json")) {
          files.push_back((entry.path() / "result.json").string());
        }
      }
      std::sort(files.begin(), files.end());
    }
    if (files.empty()) {
      std::fprintf(stderr, "%s: error: no result.json in the folder or its subfolders\n",
                   dir.c_str());
      return kBadInput;
    }
    for (const auto& file : files) {
      nlohmann::json json;
      try {
        json = nlohmann::json::parse(ReadFileOrThrow(file));
      } catch (const nlohmann::json::exception& e) {
        throw Error(file + ": error: not JSON: " + e.what());
      }
      shards.push_back(SuiteResultFromJson(json, file));
    }
  }
  const SuiteResult merged = MergeResults(shards);
  if (!flags.out.empty()) fs::create_directories(flags.out);
  std::fprintf(stderr, "merged %zu shard results of %s\n", shards.size(), merged.suite.c_str());
  return Publish(merged, flags.out, flags.junit);
}

int List(const RegressFlags& flags, const std::vector<const Scenario*>& selected) {
  if (flags.out.empty()) {
    std::fprintf(stderr, "error: --list needs --out DIR: each shard writes DIR/SCENARIO/\n");
    return kBadInput;
  }
  const std::string binary = SelfPath();
  for (const Scenario* s : selected) {
    const fs::path dir = fs::path(flags.out) / s->name;
    std::string line = ShellQuote(binary) + " regress " + ShellQuote(flags.suite);
    for (const auto& tag : flags.tags) line += " --tag " + ShellQuote(tag);
    for (const auto& name : flags.scenarios) line += " --scenario " + ShellQuote(name);
    if (!flags.baseline.empty()) line += " --baseline " + ShellQuote(flags.baseline);
    line += " --shard " + ShellQuote(s->name) + " --out " + ShellQuote(dir.string()) + " --junit " +
            ShellQuote((dir / "junit.xml").string());
    std::printf("%s\n", line.c_str());
  }
  return 0;
}

int Regress(const RegressFlags& flags) {
  if (!flags.merge.empty()) {
    if (!flags.suite.empty() || flags.update || flags.list) {
      std::fprintf(stderr,
                   "error: --merge takes shard folders only (no SUITE, --update or --list)\n");
      return kBadInput;
    }
    return Merge(flags);
  }
  if (flags.suite.empty()) {
    std::fprintf(stderr, "error: give a SUITE folder (or --merge DIR...)\n");
    return kBadInput;
  }
  // Read every scenario first and report all bad files at once.
  std::vector<Scenario> scenarios;
  bool bad = false;
  std::vector<std::string> files;
  try {
    files = SuiteScenarioFiles(flags.suite);
  } catch (const Error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return kBadInput;
  }
  for (const std::string& file : files) {
    Diagnostics diagnostics;
    scenarios.push_back(LoadScenario(file, &diagnostics));
    std::fputs(diagnostics.Format(file).c_str(), stderr);
    bad = bad || diagnostics.has_errors();
  }
  if (bad) return kBadInput;
  // The selection: scenarios with every --tag given, narrowed to the --scenario names if
  // any. A --shard run (what --list prints) runs one scenario of it but records the whole
  // selection as `expected`, so a merge knows which shards it needs.
  std::vector<const Scenario*> selected;
  for (const std::string& name : flags.scenarios) {
    if (std::none_of(scenarios.begin(), scenarios.end(),
                     [&](const Scenario& s) { return s.name == name; })) {
      std::fprintf(stderr, "%s: error: no scenario '%s'\n", flags.suite.c_str(), name.c_str());
      return kBadInput;
    }
  }
  for (const Scenario& s : scenarios) {
    const bool tagged = std::all_of(flags.tags.begin(), flags.tags.end(),
                                    [&](const auto& t) { return s.HasTag(t); });
    const bool named =
        flags.scenarios.empty() ||
        std::find(flags.scenarios.begin(), flags.scenarios.end(), s.name) != flags.scenarios.end();
    if (tagged && named) selected.push_back(&s);
  }
  if (selected.empty()) {
    std::fprintf(stderr, "%s: error: no scenario has the tags given\n", flags.suite.c_str());
    return kBadInput;
  }
  std::vector<std::string> expected;
  for (const Scenario* s : selected) expected.push_back(s->name);
  if (!flags.shard.empty()) {
    const auto it = std::find_if(selected.begin(), selected.end(),
                                 [&](const Scenario* s) { return s->name == flags.shard; });
    if (it == selected.end()) {
      std::fprintf(stderr, "%s: error: --shard '%s' is not in the selection\n", flags.suite.c_str(),
                   flags.shard.c_str());
      return kBadInput;
    }
    selected = {*it};
  }
  if (flags.list) return List(flags, selected);

  const std::string baseline_dir =
      flags.baseline.empty() ? (fs::path(flags.suite) / "baseline").string() : flags.baseline;
  std::string out_dir = flags.out;
  if (out_dir.empty()) {
    std::string pattern = (fs::temp_directory_path() / "yangbot-regress-XXXXXX").string();
    if (!mkdtemp(pattern.data())) throw Error("error: cannot make a temporary folder");
    out_dir = pattern;
  } else {
    fs::create_directories(out_dir);
  }

  SuiteResult result;
  result.suite = flags.suite;
  result.expected = expected;
  auto runs = RunAll(selected, flags, baseline_dir, out_dir);
  bool run_failed = false;
  for (auto& [r, report] : runs) {
    if (flags.update && !report.is_null()) {
      // Only the run's checks still count: the baseline is what the human just accepted.
      run_failed =
          run_failed || std::any_of(r.rows.begin(), r.rows.end(), [](const MetricRow& row) {
            return row.failed &&
                   (row.metric.starts_with("fail_on ") || row.metric == "run_exit_status");
          });
    } else if (flags.update) {
      run_failed = true;
    }
    result.scenarios.push_back(r);
  }
  const int status = Publish(result, out_dir, flags.junit);
  std::fprintf(stderr, "reports and logs: %s\n", out_dir.c_str());
  if (!flags.update) return status;
  fs::create_directories(baseline_dir);
  int written = 0;
  for (const auto& [r, report] : runs) {
    if (report.is_null()) continue;
    WriteFileAtomic((fs::path(baseline_dir) / (r.name + ".json")).string(), report.dump(2) + "\n");
    ++written;
  }
  std::printf("updated %d baseline%s in %s\n", written, written == 1 ? "" : "s",
              baseline_dir.c_str());
  return run_failed ? 1 : 0;
}

}  // namespace

Command AddRegressCommand(CLI::App* app) {
  auto flags = std::make_shared<RegressFlags>();
  CLI::App* command = app->add_subcommand(
      "regress", "run a regression suite against its baselines (JUnit, sharding, merge)");
  command->add_option("suite", flags->suite, "suite folder of scenario *.yaml files");
  command->add_option("--baseline", flags->baseline, "baseline folder (default SUITE/baseline)");
  command->add_option("--out", flags->out,
                      "folder for reports, logs and result.json (default: a new temporary "
                      "folder); with --list: where the shards write");
  command->add_option("--junit", flags->junit, "write JUnit XML here");
  command->add_option("--tag", flags->tags,
                      "only scenarios with this tag (repeatable), e.g. quick")
      ->allow_extra_args(false);  // one value each, so `--tag quick SUITE` reads SUITE
  command->add_option("--scenario", flags->scenarios, "only this scenario (repeatable)")
      ->allow_extra_args(false);
  command->add_option("--shard", flags->shard,
                      "run only this scenario of the selection, as one shard of it (--list "
                      "prints these)");
  command->add_option("-j,--jobs", flags->jobs, "scenarios run at once")->check(CLI::Range(1, 256));
  command->add_flag("--update", flags->update,
                    "store this run's reports as the new baselines (after a human decided)");
  command->add_flag("--list", flags->list,
                    "print one shell command per scenario (shards), run nothing");
  command->add_option("--merge", flags->merge,
                      "combine shard folders (each holding result.json, or subfolders that do)");
  return {command, [flags] { return Regress(*flags); }};
}

}  // namespace yangbot
