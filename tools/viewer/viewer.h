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
  SceneOptions scene;                             ///< the stage
  uint64_t seed = 1;                              ///< initial-posture noise seed
  std::vector<Fault> faults;                      ///< faults scheduled from the start
  CameraPreset camera = CameraPreset::kAudience;  ///< initial camera
  int select = -1;                                ///< initially selected robot (-1: none)
  bool paused = false;                            ///< start paused
  int width = 1600, height = 900;                 ///< window size, pixels
  double quit_after = 0;                          ///< s of real time, then close (0: never)
  std::string screenshot;  ///< on close, save the window (panel included) here
};

/// Opens the viewer and runs until its window closes; returns the exit code. Throws Error
/// on bad options or when no window can be opened.
int RunViewer(const ViewerOptions& options);

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_VIEWER_VIEWER_H_
