// yangbot bench: what the whole pipeline costs next to the physics it drives.
//
// For each robot count, in a child process of its own (so that its peak RSS is its own),
// repeated --repeat times, each repeat measures three runs of the same workload back to
// back (so that their ratios share the machine's load of that moment):
//   1. the pipeline on one thread, exactly as `yangbot run` steps it (Step: physics,
//      controllers, health checks, metrics; the show supervisor; the show metrics; the
//      trajectory hash), timed by part (StepProfile and timers around the rest), with
//      every step's ctrl recorded;
//   2. the physics-only limit: the same initial state and the recorded ctrl replayed
//      through mj_step alone, nothing else (the final state must equal run 1's bit for
//      bit, else the replay is not the same physics and the bench says so);
//   3. the pipeline with the controllers on --threads threads (same hash as run 1, else
//      the bench says so).
// Reported: medians over the repeats of each time and of each ratio taken within one
// repeat, real-time factors, the split by part, peak RSS, and the machine (CPU, cores,
// load average: a loaded machine slows every run, ratios less so).
//
// The workload: without --show, the built-in demonstration loop (choreography/
// demo_moves.h) on a grid of N robots for --seconds, so that every robot count dances
// the same moves through the same parts (scheduler, supervisor, show metrics); with
// --show FILE, that show (its own robot count; --robots does not apply).
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "choreography/demo_moves.h"
#include "choreography/show_metrics.h"
#include "choreography/supervisor.h"
#include "controllers/whole_body_controller.h"
#include "sim/error.h"
#include "sim/recording.h"
#include "sim/runner.h"
#include "tools/cli/command.h"
#include "tools/cli/show_setup.h"

namespace yangbot {
namespace {

struct BenchFlags {
  std::vector<int> robots = {1, 4, 16, 32};
  double seconds = 1.5;  // simulated seconds per run
  std::string show;      // "" = the demonstration loop
  int threads = 0;       // 0 = all cores
  int repeat = 3;
  std::string json;
  bool json_given = false;
};

using Clock = std::chrono::steady_clock;

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

// CPU time of the whole process (all threads), s: on a loaded machine it moves less than
// wall time, because time spent waiting for a core is not counted.
double ProcessCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// What one run of the pipeline measured (seconds of wall time).
struct PipelineTimes {
  double total = 0;
  double cpu = 0;           // process CPU time over the same span
  double supervisor = 0;    // ShowSupervisor::AfterStep and re-scoring after a re-plan
  double show_metrics = 0;  // ShowMetrics::Update
  double hash = 0;          // TrajectoryHash::Add
  StepProfile step;         // inside Step
  int64_t steps = 0;
  int falls = 0;
  std::string trajectory_sha256;
  std::string state_sha256;  // final qpos and qvel
};

// A workload ready to run: stage, show (none for a bare stand) and run length.
struct Workload {
  std::unique_ptr<ShowRun> show;
  std::unique_ptr<Scene> scene;
  ControllerFactory factory;
  double seconds = 0;
  std::string base_dir;  // the show's folder (supervisor re-plans)
  double setup = 0;      // s: show check, schedule, compile and scene build
};

Workload MakeWorkload(const BenchFlags& flags, int robots) {
  const auto start = Clock::now();
  Workload w;
  SceneOptions options;
  if (flags.show.empty()) {
    options.robots = robots;
    w.show =
        CompileLoaded(CheckShowText(DemoMovesShow(robots, flags.seconds), "."), "<demo-moves>");
    w.base_dir = ".";
  } else {
    w.show = LoadShow(flags.show);
    options.robots = static_cast<int>(w.show->compiled.placements.size());
    options.robot_path = ShowModelPath(w.show->loaded.show, flags.show);
    w.base_dir = std::filesystem::path(flags.show).parent_path().string();
  }
  options.placements = w.show->compiled.placements;
  w.seconds = std::min(flags.seconds, w.show->compiled.end_time);
  w.scene = Scene::Build(options);
  w.factory = MakeWholeBodyControllerFactory(WholeBodyOptions{}, w.show->compiled.references);
  w.setup = Seconds(Clock::now() - start);
  return w;
}

// The pipeline of `yangbot run` (tools/cli/run_command.cc) for `seconds`, timed by part. With
// `controls`, every step's ctrl is appended to it; with `initial`, the state at the start
// is copied there.
PipelineTimes RunPipeline(const Workload& w, double seconds, int threads,
                          std::vector<mjtNum>* controls, mjData* initial) {
  const Scene& scene = *w.scene;
  const mjModel* m = scene.model();
  auto state = StartRun(scene, w.factory, 1);
  if (initial) mj_copyData(initial, m, state->data);
  SetThreads(state.get(), threads);
  SuperviseShow(w.show->loaded.resolved, w.show->loaded.schedule, state.get());
  const ShowSupervisor& supervisor = *SupervisorOf(*state);
  int reflows = 0;  // the supervisor's re-plans the show metrics follow
  ShowMetrics show_metrics(scene, w.show->loaded.schedule, w.show->compiled);
  std::vector<bool> active(scene.robot_count(), true);
  TrajectoryHash hash(m);
  PipelineTimes times;
  state->profile = &times.step;
  const double dt = m->opt.timestep;
  if (controls) {
    controls->clear();
    controls->reserve(static_cast<size_t>(m->nu) * static_cast<size_t>(seconds / dt + 2));
  }
  Clock::duration supervisor_time{}, metrics_time{}, hash_time{}, bench_time{};
  // Measures the current state (as run's observe(), less pictures and CSV).
  auto observe = [&] {
    const auto t0 = Clock::now();
    hash.Add(*state->data);
    const auto t1 = Clock::now();
    for (int i = 0; i < scene.robot_count(); ++i) {
      active[i] = state->powered[i] && !state->metrics.robots[i].fallen;
    }
    show_metrics.Update(*state->data, active);
    const auto t2 = Clock::now();
    hash_time += t1 - t0;
    metrics_time += t2 - t1;
  };
  const auto start = Clock::now();
  const double cpu_start = ProcessCpuSeconds();
  observe();
  while (state->data->time < seconds - 0.5 * dt) {
    Step(scene, state.get());  // the supervisor looks at its end (StepProfile::hook_ns)
    const auto t0 = Clock::now();
    if (supervisor.reflows() != reflows) {
      reflows = supervisor.reflows();
      show_metrics.FollowSchedule(supervisor.schedule(), state->data->time,
                                  FollowedReferences(*state));
    }
    const auto t1 = Clock::now();
    supervisor_time += t1 - t0;
    observe();
    if (controls) {
      const auto t2 = Clock::now();
      controls->insert(controls->end(), state->data->ctrl, state->data->ctrl + m->nu);
      bench_time += Clock::now() - t2;
    }
  }
  times.total = Seconds(Clock::now() - start - bench_time);
  times.cpu = ProcessCpuSeconds() - cpu_start;
  times.supervisor = Seconds(supervisor_time) + times.step.hook_ns * 1e-9;
  times.show_metrics = Seconds(metrics_time);
  times.hash = Seconds(hash_time);
  times.steps = state->steps;
  times.falls = state->metrics.falls();
  times.trajectory_sha256 = hash.Hex();
  times.state_sha256 = StateHash(m, *state->data);
  state->profile = nullptr;
  return times;
}

// The physics-only limit: `initial` stepped by mj_step alone with the recorded ctrl.
// Returns the wall time; `cpu` gets the CPU time, `state_sha256` the final state's hash.
double ReplayPhysics(const Workload& w, const mjData* initial, const std::vector<mjtNum>& controls,
                     double* cpu, std::string* state_sha256) {
  const mjModel* m = w.scene->model();
  mjData* d = mj_makeData(m);
  mj_copyData(d, m, initial);
  const size_t steps = controls.size() / static_cast<size_t>(std::max(1, m->nu));
  const auto start = Clock::now();
  const double cpu_start = ProcessCpuSeconds();
  for (size_t k = 0; k < steps; ++k) {
    std::copy_n(controls.data() + k * m->nu, m->nu, d->ctrl);
    mj_step(m, d);
  }
  const double wall = Seconds(Clock::now() - start);
  *cpu = ProcessCpuSeconds() - cpu_start;
  *state_sha256 = StateHash(m, *d);
  mj_deleteData(d);
  return wall;
}

double Median(std::vector<double> values) {
  if (values.empty()) return NAN;
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

// The split of one pipeline run, ms per step, by part.
nlohmann::json Split(const PipelineTimes& t) {
  const double per_step = 1e3 / std::max<int64_t>(1, t.steps);
  const double physics = 1e-9 * t.step.physics_ns;
  const double controllers = 1e-9 * t.step.controllers_ns;
  const double metrics = 1e-9 * t.step.metrics_ns + t.show_metrics;
  const double runner = 1e-9 * t.step.runner_ns;
  const double other = t.total - physics - controllers - metrics - runner - t.supervisor - t.hash;
  return {{"physics", physics * per_step},
          {"controllers", controllers * per_step},
          {"supervisor", t.supervisor * per_step},
          {"metrics", metrics * per_step},
          {"recording", t.hash * per_step},
          {"runner", runner * per_step},
          {"other", other * per_step}};
}

// Medians over repeats of each entry of the splits.
nlohmann::json MedianSplit(const std::vector<nlohmann::json>& splits) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [key, value] : splits.front().items()) {
    std::vector<double> values;
    for (const nlohmann::json& s : splits) values.push_back(s[key].get<double>());
    out[key] = Median(values);
  }
  return out;
}

// Measures one robot count (in the child process); progress on stderr.
nlohmann::json BenchRobots(const BenchFlags& flags, int robots, int threads) {
  Workload w = MakeWorkload(flags, robots);
  const mjModel* m = w.scene->model();
  const int n = w.scene->robot_count();
  std::vector<mjtNum> controls;
  mjData* initial = mj_makeData(m);
  std::vector<double> physics, pipeline, threaded, ratio, threaded_ratio, speedup;
  std::vector<double> physics_cpu, pipeline_cpu, cpu_ratio;
  std::vector<nlohmann::json> splits, threaded_splits;
  bool replay_identical = true, threads_identical = true;
  PipelineTimes first;
  double sim_seconds = 0;
  // Untimed warm-up (caches, first-touch page faults, lazily built tables), so that the
  // first timed run is not the only cold one.
  RunPipeline(w, std::min(w.seconds, 0.2), threads, nullptr, nullptr);
  for (int r = 0; r < flags.repeat; ++r) {
    std::fprintf(stderr, "\r%d robots: repeat %d of %d ", n, r + 1, flags.repeat);
    const PipelineTimes one = RunPipeline(w, w.seconds, 1, &controls, initial);
    std::string replay_state;
    double limit_cpu = 0;
    const double limit = ReplayPhysics(w, initial, controls, &limit_cpu, &replay_state);
    const PipelineTimes many = RunPipeline(w, w.seconds, threads, nullptr, nullptr);
    if (r == 0) first = one;
    sim_seconds = one.steps * m->opt.timestep;
    replay_identical &= replay_state == one.state_sha256;
    threads_identical &= many.trajectory_sha256 == one.trajectory_sha256 &&
                         one.trajectory_sha256 == first.trajectory_sha256;
    physics.push_back(limit);
    pipeline.push_back(one.total);
    threaded.push_back(many.total);
    ratio.push_back(one.total / limit);
    threaded_ratio.push_back(many.total / limit);
    speedup.push_back(one.total / many.total);
    physics_cpu.push_back(limit_cpu);
    pipeline_cpu.push_back(one.cpu);
    cpu_ratio.push_back(one.cpu / limit_cpu);
    splits.push_back(Split(one));
    threaded_splits.push_back(Split(many));
  }
  std::fprintf(stderr, "\r%40s\r", "");
  mj_deleteData(initial);
  const double steps = static_cast<double>(first.steps);
  auto ms_per_step = [&](const std::vector<double>& wall) { return 1e3 * Median(wall) / steps; };
  auto rtf = [&](const std::vector<double>& wall) { return sim_seconds / Median(wall); };
  return {
      {"robots", n},
      {"sim_seconds", sim_seconds},
      {"steps", first.steps},
      {"setup_s", w.setup},
      {"physics_limit",
       {{"ms_per_step", ms_per_step(physics)},
        {"realtime_factor", rtf(physics)},
        {"cpu_ms_per_step", ms_per_step(physics_cpu)}}},
      {"pipeline",
       {{"threads", 1},
        {"ms_per_step", ms_per_step(pipeline)},
        {"realtime_factor", rtf(pipeline)},
        {"over_physics_limit", Median(ratio)},
        {"cpu_ms_per_step", ms_per_step(pipeline_cpu)},
        {"cpu_over_physics_limit", Median(cpu_ratio)},
        {"split_ms_per_step", MedianSplit(splits)}}},
      {"pipeline_threaded",
       {{"threads", threads},
        {"ms_per_step", ms_per_step(threaded)},
        {"realtime_factor", rtf(threaded)},
        {"over_physics_limit", Median(threaded_ratio)},
        {"speedup", Median(speedup)},
        {"split_ms_per_step", MedianSplit(threaded_splits)}}},
      {"falls", first.falls},
      {"trajectory_sha256", first.trajectory_sha256},
      {"replay_identical", replay_identical},
      {"threads_identical", threads_identical},
  };
}

// Runs BenchRobots in a child process; adds its peak RSS. Throws Error if it fails.
nlohmann::json BenchInChild(const BenchFlags& flags, int robots, int threads) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) throw Error(std::string("error: pipe: ") + std::strerror(errno));
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid < 0) throw Error(std::string("error: fork: ") + std::strerror(errno));
  if (pid == 0) {
    close(pipe_fds[0]);
    std::string text;
    int status = 0;
    try {
      text = BenchRobots(flags, robots, threads).dump();
    } catch (const std::exception& e) {
      text = nlohmann::json{{"error", e.what()}}.dump();
      status = 1;
    }
    for (size_t done = 0; done < text.size();) {
      const ssize_t k = write(pipe_fds[1], text.data() + done, text.size() - done);
      if (k <= 0) _exit(1);
      done += static_cast<size_t>(k);
    }
    std::fflush(nullptr);
    _exit(status);
  }
  close(pipe_fds[1]);
  std::string text;
  char buffer[4096];
  for (ssize_t k; (k = read(pipe_fds[0], buffer, sizeof(buffer))) != 0;) {
    if (k < 0 && errno == EINTR) continue;
    if (k < 0) break;
    text.append(buffer, static_cast<size_t>(k));
  }
  close(pipe_fds[0]);
  int status = 0;
  struct rusage usage {};
  while (wait4(pid, &status, 0, &usage) < 0 && errno == EINTR) {
  }
  nlohmann::json result = nlohmann::json::parse(text, nullptr, false);
  if (result.is_discarded() || !result.is_object()) {
    throw Error("error: the bench of " + std::to_string(robots) + " robots died (status " +
                std::to_string(status) + ")");
  }
  if (result.contains("error")) throw Error(result["error"].get<std::string>());
  result["peak_rss_mb"] = usage.ru_maxrss / 1024.0;  // ru_maxrss is in KiB on Linux
  return result;
}

// CPU model, core count and load average: what the times were measured on.
nlohmann::json Machine() {
  std::string cpu = "unknown";
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0) {
      cpu = line.substr(line.find(':') + 2);
      break;
    }
  }
  double load[3] = {0, 0, 0};
  getloadavg(load, 3);
  return {{"cpu", cpu},
          {"hardware_threads", std::thread::hardware_concurrency()},
          {"load_average_1min", load[0]},
          {"mujoco_version", mj_versionString()}};
}

void PrintTable(const nlohmann::json& report, FILE* out) {
  std::fprintf(
      out,
      "robots | physics limit  | pipeline, 1 thread                         | %d threads     "
      "       | peak\n"
      "       | ms/step  RTF   | ms/step  RTF  x limit (cpu)  phys ctrl sup  met  rec  run | "
      "ms/step  RTF  x1    | RSS MB\n",
      report["threads"].get<int>());
  for (const nlohmann::json& r : report["results"]) {
    const nlohmann::json& p = r["pipeline"];
    const nlohmann::json& s = p["split_ms_per_step"];
    const nlohmann::json& t = r["pipeline_threaded"];
    std::fprintf(
        out,
        "%6d | %6.3f %6.2f  | %6.3f %5.2f  %5.2f (%4.2f)  %4.2f %4.2f %4.2f %4.2f %4.2f %4.2f | "
        "%6.3f %5.2f %5.2f | %6.0f%s\n",
        r["robots"].get<int>(), r["physics_limit"]["ms_per_step"].get<double>(),
        r["physics_limit"]["realtime_factor"].get<double>(), p["ms_per_step"].get<double>(),
        p["realtime_factor"].get<double>(), p["over_physics_limit"].get<double>(),
        p["cpu_over_physics_limit"].get<double>(), s["physics"].get<double>(),
        s["controllers"].get<double>(), s["supervisor"].get<double>(), s["metrics"].get<double>(),
        s["recording"].get<double>(), s["runner"].get<double>(), t["ms_per_step"].get<double>(),
        t["realtime_factor"].get<double>(), t["speedup"].get<double>(),
        r["peak_rss_mb"].get<double>(),
        r["replay_identical"].get<bool>() && r["threads_identical"].get<bool>()
            ? ""
            : "  (!) results differ: see replay_identical, threads_identical");
  }
  std::fprintf(
      out,
      "x limit: pipeline / physics-only limit in wall time (in CPU time).\n"
      "split (ms/step): phys = MuJoCo inside the pipeline, ctrl = controllers, sup = show "
      "supervisor,\nmet = metrics, rec = trajectory hash, run = health checks and faults. "
      "Medians of %d repeats;\nratios within one repeat. Machine: %s, %d hardware threads, "
      "load average %.1f at the start.\n",
      report["repeat"].get<int>(), report["machine"]["cpu"].get<std::string>().c_str(),
      report["machine"]["hardware_threads"].get<int>(),
      report["machine"]["load_average_1min"].get<double>());
}

int Bench(const BenchFlags& flags) {
  std::vector<int> counts = flags.robots;
  if (!flags.show.empty()) counts = {0};  // the show's own count
  const int threads = flags.threads > 0
                          ? flags.threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  nlohmann::json report = {
      {"machine", Machine()},     {"workload", flags.show.empty() ? "demo-moves" : flags.show},
      {"seconds", flags.seconds}, {"repeat", flags.repeat},
      {"threads", threads},       {"results", nlohmann::json::array()}};
  const auto start = Clock::now();
  for (int robots : counts) report["results"].push_back(BenchInChild(flags, robots, threads));
  report["bench_wall_s"] = Seconds(Clock::now() - start);
  double load[3] = {0, 0, 0};
  getloadavg(load, 3);
  report["machine"]["load_average_1min_end"] = load[0];
  const bool json_to_stdout = flags.json_given && (flags.json.empty() || flags.json == "-");
  PrintTable(report, json_to_stdout ? stderr : stdout);
  if (flags.json_given) {
    const std::string text = report.dump(2) + "\n";
    if (json_to_stdout) {
      std::fputs(text.c_str(), stdout);
    } else {
      WriteFileAtomic(flags.json, text);
    }
  }
  return 0;
}

}  // namespace

Command AddBenchCommand(CLI::App* app) {
  auto flags = std::make_shared<BenchFlags>();
  CLI::App* command = app->add_subcommand(
      "bench",
      "measure the whole pipeline against the physics-only limit (the same controls replayed "
      "through mj_step alone), per robot count, on one thread and on --threads");
  command->add_option("--robots", flags->robots, "robot counts, e.g. 1,4,16,32 (1-32 each)")
      ->delimiter(',')
      ->check(CLI::Range(1, 32));
  command->add_option("--seconds,-s", flags->seconds, "simulated seconds per run")
      ->check(CLI::Range(0.01, 3600.0));
  command->add_option("--show", flags->show,
                      "bench this show file (its robot count) instead of the built-in "
                      "demonstration loop on a grid");
  command->add_option("--threads", flags->threads, "threads of the threaded runs (0: all cores)")
      ->check(CLI::Range(0, 256));
  command->add_option("--repeat", flags->repeat, "repeats; medians are reported")
      ->check(CLI::Range(1, 100));
  CLI::Option* json = command
                          ->add_option("--json", flags->json,
                                       "also write the results as JSON to this file (no file "
                                       "or '-': to stdout)")
                          ->expected(0, 1);
  return {command, [flags, command, json] {
            flags->json_given = json->count() > 0;
            if (!flags->show.empty() && command->count("--robots") > 0) {
              throw Error("error: --robots comes from the show file; drop it");
            }
            return Bench(*flags);
          }};
}

}  // namespace yangbot
