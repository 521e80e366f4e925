#include "tools/render/show_camera.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace yangbot {
namespace {

constexpr double kRadians = 3.14159265358979323846 / 180;

// The free camera's axes, as mjv_updateScene computes them from azimuth and elevation.
void Axes(double azimuth, double elevation, double forward[3], double up[3], double right[3]) {
  const double ca = std::cos(azimuth * kRadians), sa = std::sin(azimuth * kRadians);
  const double ce = std::cos(elevation * kRadians), se = std::sin(elevation * kRadians);
  forward[0] = ce * ca;
  forward[1] = ce * sa;
  forward[2] = se;
  up[0] = -se * ca;
  up[1] = -se * sa;
  up[2] = ce;
  right[0] = forward[1] * up[2] - forward[2] * up[1];
  right[1] = forward[2] * up[0] - forward[0] * up[2];
  right[2] = forward[0] * up[1] - forward[1] * up[0];
}

double Dot(const double a[3], const double b[3]) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

FloorBox Lerp(const FloorBox& a, const FloorBox& b, double u) {
  return {a.x_min + u * (b.x_min - a.x_min), a.x_max + u * (b.x_max - a.x_max),
          a.y_min + u * (b.y_min - a.y_min), a.y_max + u * (b.y_max - a.y_max)};
}

// Smooths one extent of every box with a Gaussian of `sigma` samples (edges held).
void Smooth(std::vector<FloorBox>* boxes, double FloorBox::*field, double sigma) {
  if (sigma <= 0 || boxes->size() < 2) return;
  const int reach = static_cast<int>(std::ceil(3 * sigma));
  std::vector<double> weights(reach + 1);
  for (int j = 0; j <= reach; ++j) weights[j] = std::exp(-0.5 * j * j / (sigma * sigma));
  const int n = static_cast<int>(boxes->size());
  std::vector<double> in(n);
  for (int k = 0; k < n; ++k) in[k] = (*boxes)[k].*field;
  for (int k = 0; k < n; ++k) {
    double sum = 0, total = 0;
    for (int j = -reach; j <= reach; ++j) {
      const double w = weights[std::abs(j)];
      sum += w * in[std::clamp(k + j, 0, n - 1)];
      total += w;
    }
    (*boxes)[k].*field = sum / total;
  }
}

}  // namespace

void CameraShot::Apply(mjvCamera* camera) const {
  camera->type = mjCAMERA_FREE;
  camera->trackbodyid = -1;
  camera->fixedcamid = -1;
  for (int k = 0; k < 3; ++k) camera->lookat[k] = lookat[k];
  camera->distance = distance;
  camera->azimuth = azimuth;
  camera->elevation = elevation;
}

void CameraShot::Eye(double eye[3]) const {
  double forward[3], up[3], right[3];
  Axes(azimuth, elevation, forward, up, right);
  for (int k = 0; k < 3; ++k) eye[k] = lookat[k] - distance * forward[k];
}

bool ProjectInShot(const CameraShot& shot, double fovy, double aspect, const double point[3],
                   double* x, double* y) {
  double forward[3], up[3], right[3], eye[3], rel[3];
  Axes(shot.azimuth, shot.elevation, forward, up, right);
  shot.Eye(eye);
  for (int k = 0; k < 3; ++k) rel[k] = point[k] - eye[k];
  const double depth = Dot(rel, forward);
  if (depth <= 0) return false;
  const double tan_v = std::tan(0.5 * fovy * kRadians);
  *x = Dot(rel, right) / (tan_v * aspect * depth);
  *y = Dot(rel, up) / (tan_v * depth);
  return true;
}

bool InShot(const CameraShot& shot, double fovy, double aspect, const double point[3]) {
  double x = 0, y = 0;
  return ProjectInShot(shot, fovy, aspect, point, &x, &y) && std::abs(x) <= 1 && std::abs(y) <= 1;
}

CameraShot FitAudienceShot(const FloorBox& box, double height, double elevation, double fovy,
                           double aspect, double fill) {
  CameraShot shot;
  shot.azimuth = 180;  // from downstage (+x), where the robots face
  shot.elevation = elevation;
  double forward[3], up[3], right[3];
  Axes(shot.azimuth, elevation, forward, up, right);
  const double tan_v = fill * std::tan(0.5 * fovy * kRadians);
  const double tan_h = tan_v * aspect;
  shot.lookat[0] = 0.5 * (box.x_min + box.x_max);
  shot.lookat[1] = 0.5 * (box.y_min + box.y_max);
  shot.lookat[2] = 0.45 * height;
  const double xs[2] = {box.x_min, box.x_max}, ys[2] = {box.y_min, box.y_max};
  const double zs[2] = {0, height};
  // The nearest distance that holds every corner, then the aim moved along `up` to set the
  // lowest corner (the near floor) on the picture's lower edge, leaving the room above to
  // the backdrop; over again until it settles.
  for (int pass = 0; pass < 4; ++pass) {
    double distance = 0.5;
    for (double x : xs) {
      for (double y : ys) {
        for (double z : zs) {
          const double rel[3] = {x - shot.lookat[0], y - shot.lookat[1], z - shot.lookat[2]};
          const double along = Dot(rel, forward);
          distance = std::max({distance, std::abs(Dot(rel, right)) / tan_h - along,
                               std::abs(Dot(rel, up)) / tan_v - along});
        }
      }
    }
    shot.distance = distance;
    if (pass == 3) break;
    double low = std::numeric_limits<double>::infinity();
    for (double x : xs) {
      for (double y : ys) {
        for (double z : zs) {
          const double rel[3] = {x - shot.lookat[0], y - shot.lookat[1], z - shot.lookat[2]};
          const double depth = distance + Dot(rel, forward);
          const double v = Dot(rel, up) / depth;
          low = std::min(low, v);
        }
      }
    }
    const double shift = (low + tan_v) * distance;
    for (int k = 0; k < 3; ++k) shot.lookat[k] += shift * up[k];
  }
  return shot;
}

ShowCamera::ShowCamera(const TroupeTrack& track, double end_time, double fovy,
                       const ShowCameraOptions& options)
    : options_(options), fovy_(fovy) {
  const int samples = static_cast<int>(std::ceil(std::max(end_time, 0.0) / options.step)) + 1;
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<FloorBox> raw(samples, FloorBox{inf, -inf, inf, -inf});
  std::vector<double> xy;
  stage_ = FloorBox{inf, -inf, inf, -inf};
  for (int k = 0; k < samples; ++k) {
    track(k * options.step, &xy);
    FloorBox& b = raw[k];
    for (size_t i = 0; i + 1 < xy.size(); i += 2) {
      b.x_min = std::min(b.x_min, xy[i]);
      b.x_max = std::max(b.x_max, xy[i]);
      b.y_min = std::min(b.y_min, xy[i + 1]);
      b.y_max = std::max(b.y_max, xy[i + 1]);
    }
    if (xy.empty()) b = FloorBox{0, 0, 0, 0};
    stage_.x_min = std::min(stage_.x_min, b.x_min - options.margin);
    stage_.x_max = std::max(stage_.x_max, b.x_max + options.margin);
    stage_.y_min = std::min(stage_.y_min, b.y_min - options.margin);
    stage_.y_max = std::max(stage_.y_max, b.y_max + options.margin);
  }
  // Each sample holds the robots over its look-behind and look-ahead window...
  const int behind = static_cast<int>(std::lround(options.look_behind / options.step));
  const int ahead = static_cast<int>(std::lround(options.look_ahead / options.step));
  boxes_.assign(samples, FloorBox{inf, -inf, inf, -inf});
  for (int k = 0; k < samples; ++k) {
    FloorBox& b = boxes_[k];
    for (int j = std::max(0, k - behind); j <= std::min(samples - 1, k + ahead); ++j) {
      b.x_min = std::min(b.x_min, raw[j].x_min - options.margin);
      b.x_max = std::max(b.x_max, raw[j].x_max + options.margin);
      b.y_min = std::min(b.y_min, raw[j].y_min - options.margin);
      b.y_max = std::max(b.y_max, raw[j].y_max + options.margin);
    }
    const double widen = 0.5 * std::max(0.0, options.min_width - (b.y_max - b.y_min));
    b.y_min -= widen;
    b.y_max += widen;
  }
  // ... and eases from one window to the next.
  const double sigma = options.smoothing / options.step;
  for (auto field : {&FloorBox::x_min, &FloorBox::x_max, &FloorBox::y_min, &FloorBox::y_max}) {
    Smooth(&boxes_, field, sigma);
  }
}

FloorBox ShowCamera::Footprint(double t) const {
  if (boxes_.empty()) return {};
  const double u = std::clamp(t / options_.step, 0.0, static_cast<double>(boxes_.size() - 1));
  const size_t k = std::min(static_cast<size_t>(u), boxes_.size() - 1);
  if (k + 1 >= boxes_.size()) return boxes_.back();
  return Lerp(boxes_[k], boxes_[k + 1], u - k);
}

CameraShot ShowCamera::Audience(double t, double aspect) const {
  return FitAudienceShot(Footprint(t), options_.height, options_.elevation, fovy_, aspect,
                         options_.fill);
}

CameraShot ShowCamera::Overhead(double t, double aspect) const {
  const FloorBox box = Footprint(t);
  CameraShot shot;
  shot.azimuth = 180;  // upstage (-x) at the top of the picture
  shot.elevation = -90;
  shot.lookat[0] = 0.5 * (box.x_min + box.x_max);
  shot.lookat[1] = 0.5 * (box.y_min + box.y_max);
  shot.lookat[2] = 0;
  const double tan_v = options_.fill * std::tan(0.5 * fovy_ * kRadians);
  shot.distance = options_.height + std::max(0.5 * (box.x_max - box.x_min) / tan_v,
                                             0.5 * (box.y_max - box.y_min) / (tan_v * aspect));
  return shot;
}

}  // namespace yangbot
