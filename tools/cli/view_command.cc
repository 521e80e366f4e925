#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "sim/error.h"
#include "sim/runner.h"
#include "tools/cli/clock_report.h"
#include "tools/cli/command.h"

#if YANGBOT_HAVE_VIEWER
#include "tools/render/camera.h"
#include "tools/viewer/viewer.h"
#endif

namespace yangbot {
namespace {

struct ViewFlags {
  std::string file;
  StageFlags stage;
  uint64_t seed = 1;
  std::vector<std::string> faults;
  bool no_reflow = false;  // shows: no supervisor re-planning around lost robots
  std::string camera = "audience";
  int select = -1;
  bool paused = false;
  int width = 1600;
  int height = 900;
  double quit_after = 0;
  int64_t frames = 0;
  std::string screenshot;
  std::string record;
  bool no_timeline = false;
  bool stage_editor = false;
  bool plots = false;
};

}  // namespace

Command AddViewCommand(CLI::App* app) {
  auto flags = std::make_shared<ViewFlags>();
  CLI::App* command = app->add_subcommand(
      "view", "open the desktop viewer: a choreography file to watch and edit, or the stage");
#if YANGBOT_HAVE_VIEWER
  command->add_option("file", flags->file,
                      "choreography file (without one: the troupe standing on the stage)");
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
      ->add_option("--quit-after,--after", flags->quit_after,
                   "close after this many seconds of real time (for scripted checks)")
      ->check(CLI::Range(0.0, 1e6));
  command->add_option("--frames", flags->frames, "close after drawing this many frames")
      ->check(CLI::Range(int64_t{0}, int64_t{1} << 40));
  command->add_option("--screenshot", flags->screenshot,
                      "on close, save the window (panel included) as this PNG");
  command->add_option("--record", flags->record,
                      "record a video of the 3D view (MP4 through ffmpeg, with the show's music) "
                      "from the start until the window closes; F9 starts and stops one too");
  command->add_flag("--no-timeline", flags->no_timeline, "hide the timeline editor");
  command->add_flag("--stage-editor", flags->stage_editor, "open the stage editor window");
  command->add_flag("--plots", flags->plots, "open the plots of the selected robot");
  command->add_flag("--no-reflow", flags->no_reflow,
                    "with a show: do not re-plan the formation changes around robots that fall "
                    "or drop out (as `yangbot run --no-reflow`)");
  return {command, [flags] {
            ViewerOptions options;
            options.show_file = flags->file;
            options.scene = ToSceneOptions(flags->stage);
            options.seed = flags->seed;
            for (const auto& text : flags->faults) options.faults.push_back(ParseFault(text));
            RejectNetworkFaults(options.faults, "yangbot view");
            options.reflow = !flags->no_reflow;
            options.camera = ParseCameraPreset(flags->camera);
            options.select = flags->select;
            options.paused = flags->paused;
            options.width = flags->width;
            options.height = flags->height;
            options.quit_after = flags->quit_after;
            options.frames = flags->frames;
            options.screenshot = flags->screenshot;
            options.record = flags->record;
            options.timeline = !flags->no_timeline;
            options.stage_editor = flags->stage_editor;
            options.plots = flags->plots;
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
