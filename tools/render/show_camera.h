// Cameras that frame a show: the troupe's footprint over time (where every robot's pelvis
// will be, from the compiled show's references), and shots fitted to it that ease as the
// formations move, never cutting. GL-free: shots fill a free mjvCamera.
#ifndef YANGBOT_TOOLS_RENDER_SHOW_CAMERA_H_
#define YANGBOT_TOOLS_RENDER_SHOW_CAMERA_H_

#include <mujoco/mujoco.h>

#include <functional>
#include <vector>

namespace yangbot {

/// Fills `xy` (size 2 x robots) with every robot's pelvis position at time t (s): world x
/// then y (m) of robot 0, robot 1, ...
using TroupeTrack = std::function<void(double t, std::vector<double>* xy)>;

/// A rectangle of the floor (m, world coordinates).
struct FloorBox {
  double x_min = 0, x_max = 0;  ///< m
  double y_min = 0, y_max = 0;  ///< m
};

/// A free camera's placement (mjvCamera's free-camera fields).
struct CameraShot {
  double lookat[3] = {0, 0, 0};  ///< m, the point it orbits and aims at
  double distance = 5;           ///< m, from the eye to lookat
  double azimuth = 180;          ///< deg, direction of view about z (180: towards -x)
  double elevation = -15;        ///< deg, above the horizon (negative: looking down)

  /// Makes `camera` a free camera with this placement.
  void Apply(mjvCamera* camera) const;
  /// The eye's position (m, world), as mjv_updateScene places a free camera.
  void Eye(double eye[3]) const;
};

/// How the show's cameras frame the troupe.
struct ShowCameraOptions {
  double step = 0.1;         ///< s between the samples of the footprint
  double look_ahead = 3;     ///< s: the footprint at t holds the robots until t + look_ahead
  double look_behind = 1;    ///< s: ... and since t - look_behind
  double smoothing = 0.8;    ///< s, standard deviation of the Gaussian easing the footprint
  double margin = 0.55;      ///< m around each pelvis (arms, handkerchiefs)
  double height = 2.0;       ///< m, top of a robot with its handkerchiefs raised
  double min_width = 4.0;    ///< m, narrowest footprint framed across the stage (y)
  double elevation = -13;    ///< deg, the audience camera's downward look (stage-front seat)
  double fill = 0.9;         ///< fraction of the frame's half-width or half-height used
};

/// The troupe's footprint over a show and the audience and overhead shots fitted to it.
class ShowCamera {
 public:
  /// Samples `track` every options.step seconds from 0 to `end_time` (s). `fovy` is the
  /// camera's vertical field of view (deg; the model's vis.global.fovy for free cameras).
  ShowCamera(const TroupeTrack& track, double end_time, double fovy,
             const ShowCameraOptions& options = {});

  /// The eased footprint at time t (s): it holds every pelvis (plus the margin) from
  /// t - look_behind to t + look_ahead, give or take the easing.
  FloorBox Footprint(double t) const;
  /// Every place any robot stands during the show, plus the margin (for the stage floor).
  const FloorBox& Stage() const { return stage_; }
  /// The audience's view at time t (s) of a picture `aspect` = width / height: from
  /// downstage (+x) at a stage-front height, every robot of the footprint in frame.
  CameraShot Audience(double t, double aspect) const;
  /// Straight down at time t, upstage at the top of the picture, the footprint in frame.
  CameraShot Overhead(double t, double aspect) const;
  /// The options it frames with.
  const ShowCameraOptions& options() const { return options_; }

 private:
  ShowCameraOptions options_;
  double fovy_;                  // deg
  std::vector<FloorBox> boxes_;  // eased footprint at k * step
  FloorBox stage_;
};

/// The audience shot of a fixed floor box (what ShowCamera::Audience fits to a footprint).
CameraShot FitAudienceShot(const FloorBox& box, double height, double elevation, double fovy,
                           double aspect, double fill);

/// Where a world point lands in the picture (`aspect` = width / height) of a free camera at
/// `shot` with vertical field of view `fovy` (deg): x right and y up, -1..1 edge to edge
/// inside the picture. False when the point is behind the eye.
bool ProjectInShot(const CameraShot& shot, double fovy, double aspect, const double point[3],
                   double* x, double* y);

/// Whether the world point projects inside the picture (see ProjectInShot).
bool InShot(const CameraShot& shot, double fovy, double aspect, const double point[3]);

}  // namespace yangbot

#endif  // YANGBOT_TOOLS_RENDER_SHOW_CAMERA_H_
