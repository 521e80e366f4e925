#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <vector>

#include "controllers/posture_controller.h"
#include "controllers/whole_body_controller.h"
#include "sim/error.h"
#include "sim/recording.h"
#include "sim/runner.h"
#include "tools/cli/command.h"

namespace yangbot {
namespace {

struct RunFlags {
  StageFlags stage;
  double seconds = 10;
  uint64_t seed = 1;
  std::string report;
  std::string trajectory;
  std::vector<std::string> faults;
  bool quiet = false;
  std::string controller = "wbc";
  double sway = 0.2;        // rad
  double hanky_rate = 3.0;  // rev/s
};

ControllerFactory MakeFactory(const RunFlags& flags) {
  if (flags.controller == "posture") {
    PostureControllerOptions options;
    options.sway_amplitude = flags.sway;
    options.hanky_rate = flags.hanky_rate;
    return MakePostureControllerFactory(options);
  }
  WholeBodyOptions options;
  options.stand_sway_amplitude = flags.sway;
  options.stand_hanky_rate = flags.hanky_rate;
  return MakeWholeBodyControllerFactory(options);
}

int Run(const RunFlags& flags) {
  std::vector<Fault> faults;
  for (const auto& text : flags.faults) faults.push_back(ParseFault(text));
  auto scene = Scene::Build(ToSceneOptions(flags.stage));
  auto state = StartRun(*scene, MakeFactory(flags), flags.seed, faults);
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
      const double rtf = state->data->time / elapsed();
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

}  // namespace

Command AddRunCommand(CLI::App* app) {
  auto flags = std::make_shared<RunFlags>();
  CLI::App* command = app->add_subcommand("run", "run the show headless and report");
  AddStageFlags(command, &flags->stage);
  command->add_option("--seconds,-s", flags->seconds, "simulated seconds")
      ->check(CLI::Range(0.0, 36000.0));
  command->add_option("--seed", flags->seed, "seed of the initial-posture noise");
  command->add_option("--report", flags->report, "write the JSON report here");
  command->add_option("--trajectory", flags->trajectory, "write the trajectory CSV here");
  command->add_option("--fault", flags->faults,
                      "inject a fault: dropout:ROBOT@TIME or push:ROBOT@TIME:FX,FY,FZ:DURATION");
  command->add_flag("--quiet,-q", flags->quiet, "no progress line");
  command->add_option("--controller", flags->controller,
                      "wbc (whole-body QP controller) or posture (joint PD + balance)")
      ->check(CLI::IsMember({"wbc", "posture"}));
  command->add_option("--sway", flags->sway, "waist twist amplitude while standing, rad")
      ->check(CLI::Range(0.0, 0.8));
  command->add_option("--hanky-rate", flags->hanky_rate, "handkerchief spin, rev/s")
      ->check(CLI::Range(-10.0, 10.0));
  return {command, [flags] { return Run(*flags); }};
}

}  // namespace yangbot
