#include "tools/cli/command.h"

namespace yangbot {

void AddStageFlags(CLI::App* command, StageFlags* flags) {
  command->add_option("--robots,-n", flags->robots, "number of robots (1-32)")
      ->check(CLI::Range(1, 32));
  command->add_option("--robot", flags->robot_path,
                      "robot MJCF (default: the built-in H1-class robot)");
  command->add_option("--spacing", flags->spacing, "grid spacing in m")
      ->check(CLI::Range(0.5, 10.0));
}

SceneOptions ToSceneOptions(const StageFlags& flags) {
  SceneOptions options;
  options.robots = flags.robots;
  options.robot_path = flags.robot_path;
  options.spacing = flags.spacing;
  return options;
}

void AddThreadsFlag(CLI::App* command, int* threads) {
  command
      ->add_option("--threads", *threads,
                   "run the robots' controllers on this many threads (0: all cores); results "
                   "are the same bit for bit with any count")
      ->check(CLI::Range(0, 256));
}

}  // namespace yangbot
