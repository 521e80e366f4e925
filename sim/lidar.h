// A simulated head lidar: one planar fan of rays from the centre of the robot's head (the
// highest collision geom of its torso body), in the head's own plane, so it tilts and
// turns with the torso. Each ray is cast with MuJoCo's ray functions (mju_rayGeom, and
// mj_rayMesh for meshes) against the stage's static geoms (floor, landmarks) and the
// other robots' collision geoms; the robot's own geoms are left out. Returns get Gaussian
// range noise and drop out at random; nothing beyond max_range_m returns.
//
// Cost. mj_ray tests every geom of the stage for every ray (~3 µs a ray with 16 robots).
// A scan first keeps the geoms that can reach the fan: static ones, and other robots'
// whose bounding sphere crosses the fan's plane within range (their heads, torsos, raised
// arms: a handful of geoms a robot), then tests each ray against those only (bounding
// sphere first). Figures in NOTES.md ("Issue 25: lidar").
//
// Noise is a pure function of (seed, robot, scan number, ray): no generator state, so
// clones and replays scan alike.
#ifndef YANGBOT_SIM_LIDAR_H_
#define YANGBOT_SIM_LIDAR_H_

#include <mujoco/mujoco.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sim/scene.h"

namespace yangbot {

/// The lidar's settings (the same on every robot).
struct LidarOptions {
  int rays = 180;             ///< rays a scan, evenly over 360 deg
  double rate_hz = 10;        ///< scans a second
  double max_range_m = 20;    ///< m, farther surfaces return nothing
  double noise_m = 0.01;      ///< m, standard deviation of the range noise
  double dropout = 0.05;      ///< probability a ray returns nothing, [0, 1)
};

/// Sets one option by name ("rays", "rate_hz", "max_range_m", "noise_m", "dropout") from
/// `value`; returns "" or why not.
std::string SetLidarOption(LidarOptions* options, const std::string& key,
                           const std::string& value);

/// One scan: where the lidar was and what each ray returned.
struct LidarScan {
  double time = 0;              ///< s
  double origin[3] = {0, 0, 0}; ///< m, world, the lidar's centre
  double frame[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};  ///< world from lidar, row-major (x forward, z up)
  std::vector<double> ranges;   ///< m per ray, ray k at angle 2 pi k / rays about z; < 0: no return
  int geoms_tested = 0;         ///< candidate geoms the rays were tested against
};

/// Robot `robot`'s head lidar on `scene`.
class Lidar {
 public:
  /// Finds the mount (the centre of the torso body's highest collision geom, else the
  /// torso body 0.6 m up) and the stage's static geoms.
  Lidar(const Scene& scene, int robot, LidarOptions options);
  /// Scans at d's kinematics (d.geom_xpos/xmat as after mj_step1 or mj_forward); scan
  /// number `scan` and `seed` drive the noise. Thread-safe: reads only m and d.
  void Scan(const mjModel* m, const mjData& d, uint64_t seed, int64_t scan, LidarScan* out) const;
  /// The settings.
  const LidarOptions& options() const { return options_; }
  /// The body carrying the lidar (global id).
  int body() const { return body_; }
  /// m, the lidar's centre in its body's frame.
  const double* mount() const { return mount_; }

 private:
  LidarOptions options_;
  int robot_ = 0;
  int body_ = 0;
  double mount_[3] = {0, 0, 0.6};
  std::vector<int> static_geoms_;  // solid world-body geoms (floor, landmarks)
  std::vector<int> other_geoms_;   // other robots' collision geoms
};

}  // namespace yangbot

#endif  // YANGBOT_SIM_LIDAR_H_
