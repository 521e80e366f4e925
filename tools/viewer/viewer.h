// The desktop viewer: a GLFW window with the stage drawn by MuJoCo and a Dear ImGui panel
// on top, over a Session whose physics thread runs the show.
#ifndef YANGBOT_TOOLS_VIEWER_VIEWER_H_
#define YANGBOT_TOOLS_VIEWER_VIEWER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "sim/runner.h"
#include "sim/scene.h"
#include "tools/render/camera.h"

namespace yangbot {

/// What `yangbot view` opens.
struct ViewerOptions {
  std::string show_file;  ///< choreography file ("": the standing demo on `scene`)
  SceneOptions scene;                             ///< the stage of the standing demo
  uint64_t seed = 1;                              ///< initial-posture noise seed
  std::vector<Fault> faults;                      ///< faults scheduled from the start
  bool reflow = true;  ///< shows: re-plan around robots that fall or drop out (supervisor.h)
  CameraPreset camera = CameraPreset::kAudience;  ///< initial camera
  int select = -1;                                ///< initially selected robot (-1: none)
  bool paused = false;                            ///< start paused
  int width = 1600, height = 900;                 ///< window size, pixels
  double quit_after = 0;                          ///< s of real time, then close (0: never)
  int64_t frames = 0;                             ///< close after this many frames (0: never)
  std::string screenshot;  ///< on close, save the window (panel included) here
  std::string record;      ///< record a video of the 3D view from the start (MP4, finished on close)
  bool timeline = true;    ///< show the timeline editor (with a show file)
  bool stage_editor = false;  ///< open the stage editor window (with a show file)
  bool plots = false;         ///< open the plots window
};

/// Opens the viewer and runs until its window closes; returns the exit code. Throws Error
/// on bad options or when no window can be opened. A show file with errors opens too
/// (its problems listed, the standing demo of its troupe on stage): fixing the file
/// reloads it.
int RunViewer(const ViewerOptions& options);

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_VIEWER_VIEWER_H_
