#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "sim/error.h"
#include "sim/runner.h"
#include "tools/cli/command.h"

#if YANGBOT_HAVE_VIEWER
#include "tools/render/camera.h"
#include "tools/viewer/viewer.h"
#endif

namespace yangbot {
namespace {

struct ViewFlags {
  StageFlags stage;
  uint64_t seed = 1;
  std::vector<std::string> faults;
  std::string camera = "audience";
  int select = -1;
  bool paused = false;
  int width = 1600;
  int height = 900;
  double quit_after = 0;
  std::string screenshot;
};

}  // namespace

Command AddViewCommand(CLI::App* app) {
  auto flags = std::make_shared<ViewFlags>();
  CLI::App* command = app->add_subcommand("view", "open the desktop viewer on the stage");
#if YANGBOT_HAVE_VIEWER
  AddStageFlags(command, &flags->stage);
  command->add_option("--seed", flags->seed, "seed of the initial-posture noise");
  command->add_option("--fault", flags->faults,
                      "schedule a fault: dropout:ROBOT@TIME or push:ROBOT@TIME:FX,FY,FZ:DURATION");
  command->add_option("--camera", flags->camera, "initial camera: audience, top, follow or free")
      ->check(CLI::IsMember({"audience", "top", "follow", "free"}));
  command->add_option("--select", flags->select, "initially selected robot");
  command->add_flag("--paused", flags->paused, "start paused");
  command->add_option("--width", flags->width, "window width")->check(CLI::Range(320, 8192));
  command->add_option("--height", flags->height, "window height")->check(CLI::Range(240, 8192));
  command
      ->add_option("--quit-after", flags->quit_after,
                   "close after this many seconds of real time (for scripted checks)")
      ->check(CLI::Range(0.0, 1e6));
  command->add_option("--screenshot", flags->screenshot,
                      "on close, save the window (panel included) as this PNG");
  return {command, [flags] {
            ViewerOptions options;
            options.scene = ToSceneOptions(flags->stage);
            options.seed = flags->seed;
            for (const auto& text : flags->faults) options.faults.push_back(ParseFault(text));
            options.camera = ParseCameraPreset(flags->camera);
            options.select = flags->select;
            options.paused = flags->paused;
            options.width = flags->width;
            options.height = flags->height;
            options.quit_after = flags->quit_after;
            options.screenshot = flags->screenshot;
            return RunViewer(options);
          }};
#else
  command->group("");  // hidden: this build has no viewer
  command->allow_extras();
  return {command, [] {
            std::fprintf(stderr, "yangbot: view needs a build with -DYANGBOT_VIEWER=ON\n");
            return 1;
          }};
#endif
}

}  // namespace yangbot
