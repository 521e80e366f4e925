#include "tools/render/camera.h"

#include <algorithm>
#include <cmath>

#include "sim/error.h"

namespace yangbot {
namespace {

constexpr double kDegrees = 180.0 / 3.14159265358979323846;

// Half the size of the area the robots stand on (m), at least 3 m.
double StageRadius(const Scene& scene) {
  double radius = 3;
  for (const Placement& p : scene.options().placements) {
    radius = std::max({radius, std::abs(p.x) + 1.5, std::abs(p.y) + 1.5});
  }
  return radius;
}

}  // namespace

CameraPreset ParseCameraPreset(const std::string& name) {
  if (name == "audience") return CameraPreset::kAudience;
  if (name == "top") return CameraPreset::kTop;
  if (name == "follow") return CameraPreset::kFollow;
  if (name == "free") return CameraPreset::kFree;
  throw Error("error: unknown camera '" + name + "' (expected audience, top, follow or free)");
}

const char* CameraPresetName(CameraPreset preset) {
  switch (preset) {
    case CameraPreset::kAudience:
      return "audience";
    case CameraPreset::kTop:
      return "top";
    case CameraPreset::kFollow:
      return "follow";
    case CameraPreset::kFree:
      return "free";
  }
  return "free";
}

void SetCameraPreset(const Scene& scene, CameraPreset preset, int robot, mjvCamera* camera) {
  const mjModel* m = scene.model();
  mjv_defaultCamera(camera);
  if (preset == CameraPreset::kAudience || preset == CameraPreset::kTop) {
    const int id = mj_name2id(m, mjOBJ_CAMERA, CameraPresetName(preset));
    if (id >= 0) {
      camera->type = mjCAMERA_FIXED;
      camera->fixedcamid = id;
      return;
    }
    preset = CameraPreset::kFree;
  }
  if (preset == CameraPreset::kFollow && robot >= 0 && robot < scene.robot_count()) {
    camera->type = mjCAMERA_TRACKING;
    camera->trackbodyid = scene.robot(robot).body_begin;
    camera->distance = 4.0;
    camera->azimuth = 180 + scene.options().placements[robot].yaw * kDegrees;
    camera->elevation = -12;
    return;
  }
  camera->type = mjCAMERA_FREE;
  camera->lookat[0] = 0;
  camera->lookat[1] = 0;
  camera->lookat[2] = 0.8;
  camera->distance = 1.6 * StageRadius(scene) + 3;
  camera->azimuth = 150;
  camera->elevation = -25;
}

void FreeCameraFromView(const mjvScene& view, mjvCamera* camera) {
  const mjvGLCamera eye = mjv_averageCamera(&view.camera[0], &view.camera[1]);
  mjtNum pos[3], forward[3];
  for (int k = 0; k < 3; ++k) {
    pos[k] = eye.pos[k];
    forward[k] = eye.forward[k];
  }
  mju_normalize3(forward);
  // Orbit about the point the view aims at, 1 m above the floor when it looks down.
  double distance = 5;
  if (forward[2] < -0.05) distance = std::clamp((1.0 - pos[2]) / forward[2], 0.5, 100.0);
  camera->type = mjCAMERA_FREE;
  camera->trackbodyid = -1;
  camera->fixedcamid = -1;
  for (int k = 0; k < 3; ++k) camera->lookat[k] = pos[k] + distance * forward[k];
  camera->distance = distance;
  camera->azimuth = std::atan2(forward[1], forward[0]) * kDegrees;
  camera->elevation = std::asin(std::clamp(forward[2], -1.0, 1.0)) * kDegrees;
}

bool ProjectToViewport(const mjvScene& view, int width, int height, const mjtNum point[3], float* x,
                       float* y) {
  const mjvGLCamera eye = mjv_averageCamera(&view.camera[0], &view.camera[1]);
  double forward[3], up[3], right[3], rel[3];
  for (int k = 0; k < 3; ++k) {
    forward[k] = eye.forward[k];
    up[k] = eye.up[k];
    rel[k] = point[k] - eye.pos[k];
  }
  mju_cross(right, forward, up);
  const double depth = mju_dot3(rel, forward);
  if (depth <= eye.frustum_near || width <= 0 || height <= 0) return false;
  // Same frustum as mjr_render: vertical extent from the camera, width from the aspect.
  const double half_height = 0.5 * (eye.frustum_top - eye.frustum_bottom);
  const double half_width = half_height * width / height;
  const double mid_height = 0.5 * (eye.frustum_top + eye.frustum_bottom);
  const double ndc_x =
      (eye.frustum_near * mju_dot3(rel, right) / depth - eye.frustum_center) / half_width;
  const double ndc_y = (eye.frustum_near * mju_dot3(rel, up) / depth - mid_height) / half_height;
  *x = static_cast<float>(0.5 * (ndc_x + 1) * width);
  *y = static_cast<float>(0.5 * (1 - ndc_y) * height);
  return true;
}

int RobotOfBody(const Scene& scene, int body) {
  const int nbody = scene.robot_info().nbody;
  for (int i = 0; i < scene.robot_count(); ++i) {
    const int begin = scene.robot(i).body_begin;
    if (body >= begin && body < begin + nbody) return i;
  }
  return -1;
}

}  // namespace yangbot
