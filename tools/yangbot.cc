// yangbot: the command-line front end. Every subcommand is a thin shell over the
// library: scene building (sim/), controllers (controllers/) and the runner.
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "controllers/posture_controller.h"
#include "sim/error.h"
#include "sim/recording.h"
#include "sim/runner.h"
#include "sim/scene.h"

namespace yangbot {
namespace {

struct StageFlags {
  int robots = 16;
  std::string robot_path;
  double spacing = 1.5;
};

void AddStageFlags(CLI::App* command, StageFlags* flags) {
  command->add_option("--robots,-n", flags->robots, "number of robots (1-32)")
      ->check(CLI::Range(1, 32));
  command->add_option("--robot", flags->robot_path,
                      "robot MJCF (default: the built-in H1-class robot)");
  command->add_option("--spacing", flags->spacing, "grid spacing in m")->check(CLI::Range(0.5, 10.0));
}

SceneOptions ToSceneOptions(const StageFlags& flags) {
  SceneOptions options;
  options.robots = flags.robots;
  options.robot_path = flags.robot_path;
  options.spacing = flags.spacing;
  return options;
}

int ExportScene(const StageFlags& flags, const std::string& out) {
  auto scene = Scene::Build(ToSceneOptions(flags));
  WriteFileAtomic(out, scene->xml());
  std::printf("wrote %s: %d robots, nq %d, nv %d, nu %d\n", out.c_str(), scene->robot_count(),
              scene->model()->nq, scene->model()->nv, scene->model()->nu);
  return 0;
}

struct RunFlags {
  double seconds = 10;
  uint64_t seed = 1;
  std::string report;
  std::string trajectory;
  std::vector<std::string> faults;
  bool quiet = false;
};

int Run(const StageFlags& stage, const RunFlags& flags) {
  std::vector<Fault> faults;
  for (const auto& text : flags.faults) faults.push_back(ParseFault(text));
  auto scene = Scene::Build(ToSceneOptions(stage));
  auto state = StartRun(*scene, MakePostureControllerFactory(), flags.seed, faults);
  TrajectoryRecorder recorder(*scene);
  const bool tty = isatty(STDERR_FILENO) && !flags.quiet;
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  };
  if (!flags.trajectory.empty()) recorder.Sample(*state->data);
  const double dt = scene->model()->opt.timestep;
  double next_progress = 1.0;
  while (state->data->time < flags.seconds - 0.5 * dt) {
    Step(*scene, state.get());
    if (!flags.trajectory.empty()) recorder.Sample(*state->data);
    if (tty && state->data->time >= next_progress) {
      next_progress += 1.0;
      const double wall = elapsed();
      const double rtf = state->data->time / wall;
      std::fprintf(stderr, "\r  t=%6.1f s / %.1f s   %.2fx real time   ETA %5.0f s   falls %d ",
                   state->data->time, flags.seconds, rtf,
                   (flags.seconds - state->data->time) / std::max(rtf, 1e-9),
                   state->metrics.falls());
    }
  }
  if (tty) std::fprintf(stderr, "\r%80s\r", "");
  const double wall = elapsed();
  const nlohmann::json report = MakeReport(*scene, *state, wall);
  if (!flags.report.empty()) WriteFileAtomic(flags.report, report.dump(2) + "\n");
  if (!flags.trajectory.empty()) WriteFileAtomic(flags.trajectory, recorder.csv());
  const double min_sep = state->metrics.min_separation;
  std::printf("%d robots, %.1f s simulated in %.1f s (%.2fx real time): %d falls, "
              "min separation %.2f m, %d MuJoCo warnings\n",
              scene->robot_count(), state->data->time, wall, state->data->time / wall,
              state->metrics.falls(), std::isfinite(min_sep) ? min_sep : 0.0,
              state->metrics.mujoco_warnings);
  return 0;
}

int Main(int argc, char** argv) {
  CLI::App app{"YangBOT: design and test robot yangge shows in simulation"};
  app.require_subcommand(1);

  StageFlags export_stage;
  std::string export_out = "scene.xml";
  CLI::App* export_cmd =
      app.add_subcommand("export-scene", "write the exact MJCF of the stage that is simulated");
  AddStageFlags(export_cmd, &export_stage);
  export_cmd->add_option("--out,-o", export_out, "output file")->required();

  StageFlags run_stage;
  RunFlags run_flags;
  CLI::App* run_cmd = app.add_subcommand("run", "run the show headless and report");
  AddStageFlags(run_cmd, &run_stage);
  run_cmd->add_option("--seconds,-s", run_flags.seconds, "simulated seconds")
      ->check(CLI::Range(0.0, 36000.0));
  run_cmd->add_option("--seed", run_flags.seed, "seed of the initial-posture noise");
  run_cmd->add_option("--report", run_flags.report, "write the JSON report here");
  run_cmd->add_option("--trajectory", run_flags.trajectory, "write the trajectory CSV here");
  run_cmd->add_option("--fault", run_flags.faults,
                      "inject a fault: dropout:ROBOT@TIME or push:ROBOT@TIME:FX,FY,FZ:DURATION");
  run_cmd->add_flag("--quiet,-q", run_flags.quiet, "no progress line");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    if (*export_cmd) return ExportScene(export_stage, export_out);
    if (*run_cmd) return Run(run_stage, run_flags);
  } catch (const Error& e) {
    std::fprintf(stderr, "yangbot: %s\n", e.what());
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace yangbot

int main(int argc, char** argv) { return yangbot::Main(argc, argv); }
