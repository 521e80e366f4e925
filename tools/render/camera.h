// Camera presets shared by the snapshot command and the viewer, and the small bits of
// camera geometry both need. GL-free: these only fill mjvCamera and read mjvScene.
#ifndef YANGBOT_TOOLS_RENDER_CAMERA_H_
#define YANGBOT_TOOLS_RENDER_CAMERA_H_

#include <mujoco/mujoco.h>

#include <string>

#include "sim/scene.h"

namespace yangbot {

/// Where the camera looks from.
enum class CameraPreset {
  kAudience,  ///< the scene's fixed "audience" camera (front of house)
  kTop,       ///< the scene's fixed "top" camera (straight down)
  kFollow,    ///< tracks one robot's pelvis from the front
  kFree,      ///< free orbit camera around the stage centre
};

/// Parses "audience", "top", "follow" or "free"; throws Error otherwise.
CameraPreset ParseCameraPreset(const std::string& name);

/// The preset's name, as ParseCameraPreset accepts it.
const char* CameraPresetName(CameraPreset preset);

/// Points `camera` at a preset. `robot` is the robot to follow (kFollow only). A fixed
/// preset whose camera the model lacks falls back to kFree.
void SetCameraPreset(const Scene& scene, CameraPreset preset, int robot, mjvCamera* camera);

/// Makes `camera` a free camera with the same eye, direction and view as the scene's current
/// (averaged) GL camera, so a fixed view can be orbited from where it is.
void FreeCameraFromView(const mjvScene& view, mjvCamera* camera);

/// Projects a world point into a viewport of width x height pixels rendered from `view`'s
/// camera; x right, y down from the top-left corner. Returns false when the point is behind
/// the camera.
bool ProjectToViewport(const mjvScene& view, int width, int height, const mjtNum point[3], float* x,
                       float* y);

/// The robot owning body `body` (-1 for the world or an unknown body).
int RobotOfBody(const Scene& scene, int body);

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_RENDER_CAMERA_H_
