#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "controllers/posture_controller.h"
#include "sim/error.h"
#include "sim/runner.h"
#include "tools/cli/clock_report.h"
#include "tools/cli/command.h"

#if YANGBOT_HAVE_VIEWER
#include "tools/render/stage_recorder.h"
#endif

namespace yangbot {
namespace {

struct SnapshotFlags {
  StageFlags stage;
  double seconds = 3;
  uint64_t seed = 1;
  std::vector<std::string> faults;
  std::string out;
  std::string video;
  double fps = 30;
  std::string camera = "audience";
  int follow = 0;
  int width = 1280;
  int height = 720;
};

#if YANGBOT_HAVE_VIEWER
int Snapshot(const SnapshotFlags& flags) {
  if (flags.out.empty() && flags.video.empty()) {
    throw Error("error: nothing to write: give --out FILE.png and/or --video FILE.mp4");
  }
  StageRecordingOptions film;
  film.video = flags.video;
  film.fps = flags.fps;
  film.width = flags.width;
  film.height = flags.height;
  film.camera = ParseCameraPreset(flags.camera);
  film.follow = flags.follow;
  std::vector<Fault> faults;
  for (const auto& text : flags.faults) faults.push_back(ParseFault(text));
  RejectNetworkFaults(faults, "yangbot snapshot");
  auto scene = Scene::Build(ToSceneOptions(flags.stage));
  // Open the GL context before simulating, so a missing display fails at once.
  auto recorder = StageRecorder::Create(*scene, film);
  auto state = StartRun(*scene, MakePostureControllerFactory(), flags.seed, faults);
  const double dt = scene->model()->opt.timestep;
  recorder->Capture(state->data);
  while (state->data->time < flags.seconds - 0.5 * dt) {
    Step(*scene, state.get());
    recorder->Capture(state->data);
  }
  recorder->Finish();
  const char* camera = CameraPresetName(film.camera);
  if (!flags.out.empty()) {
    recorder->WritePicture(flags.out, state->data);
    std::printf("wrote %s: %dx%d, %s camera, t=%.2f s\n", flags.out.c_str(), flags.width,
                flags.height, camera, state->data->time);
  }
  if (!flags.video.empty()) {
    std::printf("wrote %s: %d frames at %g fps, %dx%d, %s camera\n", flags.video.c_str(),
                recorder->frames(), flags.fps, flags.width, flags.height, camera);
  }
  std::printf("%d robots, %.2f s simulated: %d falls\n", scene->robot_count(), state->data->time,
              state->metrics.falls());
  return 0;
}
#endif

}  // namespace

Command AddSnapshotCommand(CLI::App* app) {
  auto flags = std::make_shared<SnapshotFlags>();
  CLI::App* command = app->add_subcommand(
      "snapshot", "run the stage headless, then render a PNG (and/or an MP4 of the run)");
#if YANGBOT_HAVE_VIEWER
  AddStageFlags(command, &flags->stage);
  command->add_option("--seconds,-s", flags->seconds, "simulated seconds before the picture")
      ->check(CLI::Range(0.0, 36000.0));
  command->add_option("--out,-o", flags->out, "write the final picture here (PNG)");
  command->add_option("--video", flags->video, "record the run here (MP4, needs ffmpeg)");
  command->add_option("--fps", flags->fps, "video frames per simulated second")
      ->check(CLI::Range(1.0, 240.0));
  command->add_option("--camera", flags->camera, "audience, top, follow or free")
      ->check(CLI::IsMember({"audience", "top", "follow", "free"}));
  command->add_option("--follow", flags->follow, "robot the follow camera tracks");
  command->add_option("--width", flags->width, "picture width in pixels")
      ->check(CLI::Range(16, 8192));
  command->add_option("--height", flags->height, "picture height in pixels")
      ->check(CLI::Range(16, 8192));
  command->add_option("--seed", flags->seed, "seed of the initial-posture noise");
  command->add_option("--fault", flags->faults,
                      "inject a fault: dropout:ROBOT@TIME or push:ROBOT@TIME:FX,FY,FZ:DURATION");
  return {command, [flags] { return Snapshot(*flags); }};
#else
  command->group("");  // hidden: this build has no OpenGL
  command->allow_extras();
  return {command, [] {
            std::fprintf(stderr, "yangbot: snapshot needs a build with -DYANGBOT_VIEWER=ON\n");
            return 1;
          }};
#endif
}

}  // namespace yangbot
