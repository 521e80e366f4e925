// Subcommands of the yangbot CLI. Each lives in its own file under tools/cli/ and
// registers its flags on the app; yangbot.cc lists them, one line each.
#ifndef YANGBOT_TOOLS_CLI_COMMAND_H_
#define YANGBOT_TOOLS_CLI_COMMAND_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "sim/scene.h"

namespace yangbot {

/// A registered subcommand and what to run when it is chosen (returns the exit code).
struct Command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

/// Flags that choose the stage (shared by several commands).
struct StageFlags {
  int robots = 16;         ///< 1..32
  std::string robot_path;  ///< "" = built-in H1-class robot
  double spacing = 1.5;    ///< m
};

/// Adds --robots, --robot and --spacing to a command.
void AddStageFlags(CLI::App* command, StageFlags* flags);
/// Scene options for the flags.
SceneOptions ToSceneOptions(const StageFlags& flags);

/// Adds --threads N (the robots' controllers on N threads, 0: all cores; sim/runner.h
/// SetThreads) to a command.
void AddThreadsFlag(CLI::App* command, int* threads);

/// yangbot export-scene: write the stage MJCF.
Command AddExportSceneCommand(CLI::App* app);
/// yangbot run: headless run with report and trajectory.
Command AddRunCommand(CLI::App* app);
/// yangbot validate: check a choreography file; one line per problem, exit 1 on errors.
Command AddValidateCommand(CLI::App* app);
/// yangbot fmt: print or rewrite a choreography file in canonical form.
Command AddFmtCommand(CLI::App* app);
/// yangbot snapshot: headless run, then a PNG picture and/or an MP4 video of the stage.
Command AddSnapshotCommand(CLI::App* app);
/// yangbot view: the desktop viewer (GLFW + Dear ImGui + MuJoCo).
Command AddViewCommand(CLI::App* app);
/// yangbot music: write a yangge percussion track (WAV) at a tempo and offset.
Command AddMusicCommand(CLI::App* app);
/// yangbot beats: detect a music file's tempo and first beat; print the header lines.
Command AddBeatsCommand(CLI::App* app);
/// yangbot bench: the pipeline's cost against the physics-only limit, per robot count.
Command AddBenchCommand(CLI::App* app);
/// yangbot gait: walk the gait's bar rows on one robot over seeds; print the measured table.
Command AddGaitCommand(CLI::App* app);
/// yangbot regress: run a suite of scenarios against baselines (JUnit, --list shards, --merge).
Command AddRegressCommand(CLI::App* app);

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_CLI_COMMAND_H_
