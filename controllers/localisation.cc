#include "controllers/localisation.h"

#include <Eigen/Cholesky>
#include <Eigen/LU>
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <utility>

#include "controllers/angles.h"
#include "sim/error.h"
#include "sim/split_mix.h"

namespace yangbot {
namespace {

// A number in [-1, 1) from the key.
double Signed(uint64_t key) {
  return 2.0 * static_cast<double>(SplitMix64(key) >> 11) / 9007199254740992.0 - 1.0;
}

Eigen::Vector2d Rotate(double yaw, const Eigen::Vector2d& v) {
  const double c = std::cos(yaw), s = std::sin(yaw);
  return {c * v.x() - s * v.y(), s * v.x() + c * v.y()};
}

Pose2 Inverse(const Pose2& p) { return RelativePose(p, Pose2{}); }

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

thread_local const Pose2* g_stage_frame = nullptr;

}  // namespace

bool ParseLocalisationMode(const std::string& text, LocalisationMode* mode) {
  if (text == "perfect") {
    *mode = LocalisationMode::kPerfect;
  } else if (text == "lidar") {
    *mode = LocalisationMode::kLidar;
  } else {
    return false;
  }
  return true;
}

std::string SetLocalisationOption(LocalisationOptions* options, const std::string& key,
                                  const std::string& value) {
  double* field = nullptr;
  double lo = 0, hi = 0;
  if (key == "gyro_bias_rad_s") {
    field = &options->gyro_bias_rad_s, lo = 0, hi = 1;
  } else if (key == "odometry_scale") {
    field = &options->odometry_scale, lo = 0, hi = 0.5;
  } else if (key == "match_gate_m") {
    field = &options->match_gate_m, lo = 0.01, hi = 5;
  } else if (key == "point_sigma_m") {
    field = &options->point_sigma_m, lo = 0.001, hi = 1;
  }
  if (field == nullptr) {
    const std::string why = SetLidarOption(&options->lidar, key, value);
    if (why.starts_with("unknown")) {
      return "unknown localisation setting '" + key +
             "' (rays, rate_hz, max_range_m, noise_m, dropout, gyro_bias_rad_s, "
             "odometry_scale, match_gate_m, point_sigma_m)";
    }
    return why;
  }
  char* end = nullptr;
  const double v = std::strtod(value.c_str(), &end);
  if (value.empty() || *end != '\0' || !std::isfinite(v)) return "'" + value + "' is not a number";
  if (v < lo || v > hi) {
    return OutOfRangeMessage(key, value, lo, hi);
  }
  *field = v;
  return "";
}

ScanMatch MatchScan(const StageMap& map, const std::vector<Eigen::Vector2d>& points,
                    const Pose2& prior, const Eigen::Matrix3d& prior_cov,
                    const LocalisationOptions& options) {
  ScanMatch match;
  match.pose = prior;
  match.covariance = prior_cov;
  match.points = static_cast<int>(points.size());
  const Eigen::Matrix3d prior_info = prior_cov.inverse();
  const double inv_var = 1.0 / (options.point_sigma_m * options.point_sigma_m);
  Eigen::Vector3d x(prior.x, prior.y, prior.yaw);
  Eigen::Matrix3d H = prior_info;
  // One pass over the points at pose x: the data term's normal equations, inliers, RMS.
  auto linearise = [&](Eigen::Matrix3d* Hd, Eigen::Vector3d* gd, int* inliers, double* sumsq) {
    Hd->setZero();
    gd->setZero();
    *inliers = 0;
    *sumsq = 0;
    const double c = std::cos(x.z()), s = std::sin(x.z());
    for (const Eigen::Vector2d& p : points) {
      const double wx = c * p.x() - s * p.y() + x.x(), wy = s * p.x() + c * p.y() + x.y();
      double qx, qy, nx, ny;
      const double dist = map.Closest(wx, wy, &qx, &qy, &nx, &ny);
      if (!(dist <= options.match_gate_m)) continue;
      const double r = nx * (wx - qx) + ny * (wy - qy);
      const Eigen::Vector3d J(nx, ny, nx * (-s * p.x() - c * p.y()) + ny * (c * p.x() - s * p.y()));
      const double w = std::abs(r) <= options.huber_m ? 1.0 : options.huber_m / std::abs(r);
      *Hd += w * J * J.transpose();
      *gd += w * J * r;
      ++*inliers;
      *sumsq += dist * dist;
    }
    // Scan points are not independent (map errors, shared pose): a scan counts as at most
    // effective_points of them.
    const double scale = inv_var * std::min(1.0, options.effective_points / std::max(1, *inliers));
    *Hd *= scale;
    *gd *= scale;
  };
  Eigen::Matrix3d Hd;
  Eigen::Vector3d gd;
  int inliers = 0;
  double sumsq = 0;
  for (int it = 0; it < options.iterations; ++it) {
    linearise(&Hd, &gd, &inliers, &sumsq);
    if (inliers < options.min_inliers) break;
    Eigen::Vector3d prior_error(x.x() - prior.x, x.y() - prior.y, WrapAngle(x.z() - prior.yaw));
    H = prior_info + Hd;
    const Eigen::Vector3d g = prior_info * prior_error + gd;
    const Eigen::Vector3d dx = -H.ldlt().solve(g);
    if (!dx.allFinite()) break;
    x += dx;
    if (dx.head<2>().norm() < 1e-5 && std::abs(dx.z()) < 1e-5) break;
  }
  linearise(&Hd, &gd, &inliers, &sumsq);
  match.inliers = inliers;
  match.rms_m = inliers > 0 ? std::sqrt(sumsq / inliers) : 0;
  if (inliers < options.min_inliers) return match;
  match.used = true;
  match.pose = {x.x(), x.y(), WrapAngle(x.z())};
  match.covariance = (prior_info + Hd).inverse();
  return match;
}

PoseFilter::PoseFilter(const Pose2& start, const LocalisationOptions& options)
    : options_(options), pose_(start) {
  const double sp = options.start_sigma_m, sa = options.start_sigma_rad;
  cov_ = Eigen::Vector3d(sp * sp, sp * sp, sa * sa).asDiagonal();
}

void PoseFilter::Predict(const Pose2& delta, double dt) {
  const double c = std::cos(pose_.yaw), s = std::sin(pose_.yaw);
  Eigen::Matrix3d F = Eigen::Matrix3d::Identity();
  F(0, 2) = -s * delta.x - c * delta.y;
  F(1, 2) = c * delta.x - s * delta.y;
  const double moved = std::hypot(delta.x, delta.y);
  const double pos_var = options_.odometry_var_per_m * moved + options_.drift_var_per_s * dt;
  const double yaw_var =
      options_.yaw_var_per_rad * std::abs(delta.yaw) + options_.drift_var_per_s * dt;
  cov_ = F * cov_ * F.transpose();
  cov_ += Eigen::Vector3d(pos_var, pos_var, yaw_var).asDiagonal();
  pose_ = ComposePose(pose_, delta);
  pose_.yaw = WrapAngle(pose_.yaw);
}

ScanMatch PoseFilter::Correct(const StageMap& map, const std::vector<Eigen::Vector2d>& points) {
  ScanMatch match = MatchScan(map, points, pose_, cov_, options_);
  if (match.used) {
    pose_ = match.pose;
    cov_ = match.covariance;
  }
  return match;
}

Localiser::Localiser(const Scene& scene, int robot, std::shared_ptr<const LocalisationSetup> setup)
    : setup_(std::move(setup)),
      lidar_(scene, robot, setup_->options.lidar),
      layout_(RobotLayout::Resolve(scene.robot_info())),
      filter_(Pose2{}, setup_->options) {
  const Placement& at = scene.options().placements.at(static_cast<size_t>(robot));
  filter_.set_pose(ComposePose({at.x, at.y, at.yaw}, setup_->start_error));
  const uint64_t key = SplitMix64(setup_->seed * 0x51ed27ULL + static_cast<uint64_t>(robot));
  gyro_bias_ = setup_->options.gyro_bias_rad_s * Signed(key + 1);
  leg_scale_ = 1 + setup_->options.odometry_scale * Signed(key + 2);
}

Pose2 Localiser::Update(const Scene& scene, int robot, const mjData& d) {
  const auto start = std::chrono::steady_clock::now();
  const mjModel* m = scene.model();
  const RobotIndex& index = scene.robot(robot);
  const int root = index.body_begin;
  const mjtNum* R = d.xmat + 9 * root;
  const mjtNum* pelvis = d.xpos + 3 * root;
  // The body's heading only turns the legs' and the lidar's vectors into the level frame
  // (what forward kinematics and the IMU's tilt give); the estimate's heading is the gyro's.
  const double heading = std::atan2(R[3], R[0]);
  const double ch = std::cos(heading), sh = std::sin(heading);
  auto level = [&](const mjtNum* w) {
    return Eigen::Vector3d(ch * w[0] + sh * w[1], -sh * w[0] + ch * w[1], w[2]);
  };
  std::array<Eigen::Vector3d, 2> foot;
  for (int side = 0; side < 2; ++side) {
    const int site = index.site_begin + (side == 0 ? layout_.left_sole_site : layout_.right_sole_site);
    const mjtNum w[3] = {d.site_xpos[3 * site] - pelvis[0], d.site_xpos[3 * site + 1] - pelvis[1],
                         d.site_xpos[3 * site + 2] - pelvis[2]};
    foot[side] = level(w);
  }
  // Vertical rate: the gyro (body frame) turned into the world.
  double rate = 0;
  if (layout_.imu_gyro_sensor >= 0) {
    const int sensor = index.sensor_begin + layout_.imu_gyro_sensor;
    const mjtNum* gyro = d.sensordata + m->sensor_adr[sensor];
    const mjtNum* S = d.site_xmat + 9 * (index.site_begin + layout_.imu_site);
    rate = S[6] * gyro[0] + S[7] * gyro[1] + S[8] * gyro[2];
  } else {
    const mjtNum* w = d.qvel + index.dof_begin + 3;
    rate = R[6] * w[0] + R[7] * w[1] + R[8] * w[2];
  }

  const Pose2 before = filter_.pose();
  auto anchor = [&](const Pose2& pose, int side) -> Eigen::Vector2d {
    return Eigen::Vector2d(pose.x, pose.y) + Rotate(pose.yaw, leg_scale_ * foot[side].head<2>());
  };
  if (stance_ < 0) {
    stance_ = foot[0].z() <= foot[1].z() ? 0 : 1;
    stance_at_ = anchor(before, stance_);
    next_scan_ = d.time;
  } else {
    const double dt = std::max(0.0, d.time - last_time_);
    const double yaw = before.yaw + (rate + gyro_bias_) * dt;
    const int other = 1 - stance_;
    constexpr double kSwitch = 0.003;  // m: the other sole is this much lower: it bears weight
    if (foot[other].z() < foot[stance_].z() - kSwitch) {
      stance_ = other;
      stance_at_ = anchor(before, stance_);
    }
    const Eigen::Vector2d at = stance_at_ - Rotate(yaw, leg_scale_ * foot[stance_].head<2>());
    filter_.Predict(RelativePose(before, {at.x(), at.y(), yaw}), dt);
  }
  last_time_ = d.time;

  if (d.time >= next_scan_ - 1e-9) {
    const auto cast = std::chrono::steady_clock::now();
    lidar_.Scan(m, d, setup_->seed, scans_, &scan_);
    lidar_s_ += Seconds(cast);
    ++scans_;
    next_scan_ += 1.0 / setup_->options.lidar.rate_hz;
    if (map_.segments.empty() && map_.circles.empty()) {
      // The landmarks a fan at this height can hit.
      map_ = MakeStageMap(setup_->landmarks, scan_.origin[2] + 0.1);
    }
    points_.clear();
    const int rays = static_cast<int>(scan_.ranges.size());
    const double* F = scan_.frame;
    for (int k = 0; k < rays; ++k) {
      const double r = scan_.ranges[static_cast<size_t>(k)];
      if (r < 0) continue;
      const double a = 2 * M_PI * k / rays, ca = std::cos(a), sa = std::sin(a);
      const mjtNum w[3] = {scan_.origin[0] + r * (F[0] * ca + F[1] * sa) - pelvis[0],
                           scan_.origin[1] + r * (F[3] * ca + F[4] * sa) - pelvis[1],
                           scan_.origin[2] + r * (F[6] * ca + F[7] * sa) - pelvis[2]};
      const Eigen::Vector3d p = level(w);
      if (p.z() - foot[stance_].z() < setup_->options.min_height_m) continue;  // the floor
      points_.push_back(p.head<2>());
    }
    match_ = filter_.Correct(map_, points_);
    if (match_.used) {
      ++scans_used_;
      stance_at_ = anchor(filter_.pose(), stance_);
    }
  }
  estimator_s_ += Seconds(start);
  const Pose2 truth{pelvis[0], pelvis[1], heading};
  return ComposePose(truth, Inverse(filter_.pose()));
}

StageFrameScope::StageFrameScope(const Pose2& frame) : previous_(g_stage_frame), frame_(frame) {
  g_stage_frame = &frame_;
}

StageFrameScope::~StageFrameScope() { g_stage_frame = previous_; }

Pose2 CurrentStageFrame() { return g_stage_frame ? *g_stage_frame : Pose2{}; }

void TransformReference(const Pose2& frame, RobotReference* r) {
  const double c = std::cos(frame.yaw), s = std::sin(frame.yaw);
  auto point = [&](double* x, double* y) {
    const double px = *x, py = *y;
    *x = frame.x + c * px - s * py;
    *y = frame.y + s * px + c * py;
  };
  auto vector = [&](double* x, double* y) {
    const double px = *x, py = *y;
    *x = c * px - s * py;
    *y = s * px + c * py;
  };
  point(&r->com.x(), &r->com.y());
  vector(&r->com_velocity.x(), &r->com_velocity.y());
  vector(&r->com_acceleration.x(), &r->com_acceleration.y());
  point(&r->zmp.x(), &r->zmp.y());
  for (FootReference& f : r->feet) {
    point(&f.position.x(), &f.position.y());
    vector(&f.velocity.x(), &f.velocity.y());
    vector(&f.acceleration.x(), &f.acceleration.y());
    f.yaw += frame.yaw;
  }
  r->pelvis_yaw += frame.yaw;
}

LocalisedReference::LocalisedReference(std::shared_ptr<const ReferenceSource> inner)
    : inner_(std::move(inner)) {}

void LocalisedReference::Sample(double t, RobotReference* out) const {
  inner_->Sample(t, out);
  if (g_stage_frame != nullptr) TransformReference(*g_stage_frame, out);
}

void LocalisedReference::SampleFrom(double t, ReferenceCursor* cursor, RobotReference* out) const {
  inner_->SampleFrom(t, cursor, out);
  if (g_stage_frame != nullptr) TransformReference(*g_stage_frame, out);
}

std::vector<std::shared_ptr<const ReferenceSource>> LocaliseReferences(
    std::vector<std::shared_ptr<const ReferenceSource>> references) {
  for (auto& reference : references) {
    reference = std::make_shared<LocalisedReference>(std::move(reference));
  }
  return references;
}

std::shared_ptr<const ReferenceSource> StageReference(
    const std::shared_ptr<const ReferenceSource>& reference) {
  const auto* localised = dynamic_cast<const LocalisedReference*>(reference.get());
  return localised ? localised->inner() : reference;
}

}  // namespace yangbot
