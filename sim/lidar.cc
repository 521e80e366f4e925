#include "sim/lidar.h"

#include <cmath>
#include <cstdlib>
#include <string>

#include "sim/error.h"
#include "sim/split_mix.h"

namespace yangbot {
namespace {

// A uniform number in (0, 1) from the key.
double Uniform(uint64_t key) {
  return (static_cast<double>(SplitMix64(key) >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

}  // namespace

std::string SetLidarOption(LidarOptions* options, const std::string& key,
                           const std::string& value) {
  char* end = nullptr;
  const double v = std::strtod(value.c_str(), &end);
  if (value.empty() || end == nullptr || *end != '\0' || !std::isfinite(v)) {
    return "'" + value + "' is not a number";
  }
  auto in = [&](double lo, double hi) -> std::string {
    if (v < lo || v > hi) return OutOfRangeMessage(key, value, lo, hi);
    return "";
  };
  std::string why;
  if (key == "rays") {
    if ((why = in(8, 4096)).empty()) {
      if (v != std::floor(v)) return "rays must be a whole number";
      options->rays = static_cast<int>(v);
    }
  } else if (key == "rate_hz") {
    if ((why = in(0.5, 100)).empty()) options->rate_hz = v;
  } else if (key == "max_range_m") {
    if ((why = in(1, 200)).empty()) options->max_range_m = v;
  } else if (key == "noise_m") {
    if ((why = in(0, 1)).empty()) options->noise_m = v;
  } else if (key == "dropout") {
    if ((why = in(0, 0.95)).empty()) options->dropout = v;
  } else {
    return "unknown lidar setting '" + key + "' (rays, rate_hz, max_range_m, noise_m, dropout)";
  }
  return why;
}

Lidar::Lidar(const Scene& scene, int robot, LidarOptions options)
    : options_(options), robot_(robot) {
  const mjModel* m = scene.model();
  const RobotInfo& info = scene.robot_info();
  const RobotIndex& index = scene.robot(robot);
  body_ = index.body_begin + info.torso_body;
  // The head: the torso body's collision geom reaching highest (in the body's frame).
  double top = -1e9;
  for (int g = 0; g < m->ngeom; ++g) {
    if (m->geom_bodyid[g] != body_ || (m->geom_contype[g] == 0 && m->geom_conaffinity[g] == 0)) {
      continue;
    }
    const double reach = m->geom_pos[3 * g + 2] + m->geom_rbound[g];
    if (reach > top) {
      top = reach;
      for (int k = 0; k < 3; ++k) mount_[k] = m->geom_pos[3 * g + k];
    }
  }
  for (int g = 0; g < m->ngeom; ++g) {
    // Solid ones only: the carpet's visual planes are paint on the floor.
    const bool solid = m->geom_contype[g] != 0 || m->geom_conaffinity[g] != 0;
    if (m->geom_bodyid[g] == 0 && solid) static_geoms_.push_back(g);
  }
  for (int r = 0; r < scene.robot_count(); ++r) {
    if (r == robot) continue;
    const int begin = scene.robot(r).geom_begin;
    for (int g = begin; g < begin + info.ngeom; ++g) {
      if (m->geom_contype[g] != 0 || m->geom_conaffinity[g] != 0) other_geoms_.push_back(g);
    }
  }
}

void Lidar::Scan(const mjModel* m, const mjData& d, uint64_t seed, int64_t scan,
                 LidarScan* out) const {
  out->time = d.time;
  const mjtNum* R = d.xmat + 9 * body_;
  const mjtNum* p = d.xpos + 3 * body_;
  for (int i = 0; i < 3; ++i) {
    out->origin[i] = p[i] + R[3 * i] * mount_[0] + R[3 * i + 1] * mount_[1] + R[3 * i + 2] * mount_[2];
  }
  for (int i = 0; i < 9; ++i) out->frame[i] = R[i];
  const double* o = out->origin;
  const double n[3] = {R[2], R[5], R[8]};  // the fan's plane normal: the lidar's z axis
  const double range = options_.max_range_m;

  // Candidates: static geoms, and other robots' geoms whose bounding sphere crosses the
  // fan's plane within range.
  thread_local std::vector<int> candidates;
  candidates.clear();
  for (int g : static_geoms_) candidates.push_back(g);
  for (int g : other_geoms_) {
    const mjtNum* c = d.geom_xpos + 3 * g;
    const double w[3] = {c[0] - o[0], c[1] - o[1], c[2] - o[2]};
    const double rb = m->geom_rbound[g];
    if (std::abs(w[0] * n[0] + w[1] * n[1] + w[2] * n[2]) > rb) continue;
    if (w[0] * w[0] + w[1] * w[1] + w[2] * w[2] > (range + rb) * (range + rb)) continue;
    candidates.push_back(g);
  }
  out->geoms_tested = static_cast<int>(candidates.size());

  const int rays = options_.rays;
  out->ranges.assign(static_cast<size_t>(rays), -1.0);
  const uint64_t key = SplitMix64(seed ^ SplitMix64(static_cast<uint64_t>(robot_) + 1) ^
                                SplitMix64(static_cast<uint64_t>(scan) * 0x100000001b3ULL));
  for (int k = 0; k < rays; ++k) {
    const double a = 2 * M_PI * k / rays;
    const double ca = std::cos(a), sa = std::sin(a);
    const mjtNum dir[3] = {R[0] * ca + R[1] * sa, R[3] * ca + R[4] * sa, R[6] * ca + R[7] * sa};
    double best = -1;
    for (int g : candidates) {
      const int type = m->geom_type[g];
      const mjtNum* c = d.geom_xpos + 3 * g;
      if (type != mjGEOM_PLANE) {
        const double w[3] = {c[0] - o[0], c[1] - o[1], c[2] - o[2]};
        const double along = w[0] * dir[0] + w[1] * dir[1] + w[2] * dir[2];
        const double rb = m->geom_rbound[g];
        if (along < -rb) continue;
        if (best >= 0 && along - rb > best) continue;
        const double off2 = w[0] * w[0] + w[1] * w[1] + w[2] * w[2] - along * along;
        if (off2 > rb * rb) continue;
      }
      const mjtNum x = type == mjGEOM_MESH
                           ? mj_rayMesh(m, &d, g, o, dir)
                           : mju_rayGeom(c, d.geom_xmat + 9 * g, m->geom_size + 3 * g, o, dir, type);
      if (x >= 0 && (best < 0 || x < best)) best = x;
    }
    if (best < 0 || best > range) continue;
    const uint64_t ray_key = SplitMix64(key + static_cast<uint64_t>(k));
    if (Uniform(ray_key) < options_.dropout) continue;
    // Box-Muller from two more numbers of the same key.
    const double u1 = Uniform(ray_key + 1), u2 = Uniform(ray_key + 2);
    const double gauss = std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
    out->ranges[static_cast<size_t>(k)] = std::max(0.0, best + options_.noise_m * gauss);
  }
}

}  // namespace yangbot
