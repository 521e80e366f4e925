// Where a robot believes it stands on the stage: its planar pose estimated from its own
// sensors, and how controllers follow a plan with that belief instead of the truth.
//
// Estimator (PoseFilter, fed by Localiser every control tick):
// - Prediction: leg odometry. The stance foot (the lower sole, as the joint angles and the
//   IMU's tilt place it under the pelvis) stays where it was put; the pelvis moves by the
//   legs' forward kinematics, the heading by the IMU gyro's vertical rate integrated. The
//   robot's calibration errors are simulated: a gyro bias and a leg-length scale error
//   (uniform within ±gyro_bias_rad_s / ±odometry_scale, seeded per robot); slip and
//   rolling soles add what they add. The covariance grows with distance and time.
// - Correction: each lidar scan (sim/lidar.h) is matched to the stage map (sim/landmarks.h)
//   by point-to-line ICP (Gauss-Newton on x, y, yaw; correspondences re-found every
//   iteration, gated at match_gate_m, Huber weights) with the prediction as a prior, so the
//   result is the maximum a posteriori pose: directions the scan cannot see (one wall) stay
//   with the odometry. Returns off the map (other robots, the floor) fall outside the gate.
//   Scans with fewer than min_inliers matched points only predict.
//
// Following a plan with the estimate. The plan (a ReferenceSource) is in stage
// coordinates; the controllers measure the robot's body in the world frame of mjData,
// which the robot reads through its joints and IMU exactly but whose placement on the
// stage it only knows through the estimate. The plan as the robot sees it is therefore
// the plan moved by the stage frame F = T_true * T_est^-1 (T: pelvis planar poses): a
// robot tracking the moved plan perfectly stands where its estimate says the plan is.
// LocalisedReference applies F to every sample taken inside a StageFrameScope (the
// controller opens one for its tick); outside one (metrics, the supervisor) it is the plan
// itself. F is a change of frame only: the estimator never reads T_true.
#ifndef YANGBOT_CONTROLLERS_LOCALISATION_H_
#define YANGBOT_CONTROLLERS_LOCALISATION_H_

#include <mujoco/mujoco.h>

#include <Eigen/Core>
#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "controllers/footstep_planner.h"
#include "controllers/reference.h"
#include "controllers/robot_state.h"
#include "sim/landmarks.h"
#include "sim/lidar.h"
#include "sim/scene.h"

namespace yangbot {

/// How robots know where they are: `perfect` (the truth) or `lidar` (the estimate).
enum class LocalisationMode { kPerfect, kLidar };

/// "perfect" or "lidar"; nullopt-like false return on anything else.
bool ParseLocalisationMode(const std::string& text, LocalisationMode* mode);

/// The estimator's settings and the robot's sensor errors.
struct LocalisationOptions {
  LidarOptions lidar;                ///< the head lidar
  double gyro_bias_rad_s = 0.003;    ///< rad/s, gyro bias within ±this (per robot)
  double odometry_scale = 0.02;      ///< leg odometry's length error within ±this (per robot)
  double point_sigma_m = 0.03;       ///< m, a matched point's residual deviation (map, noise)
  double effective_points = 30;      ///< a scan counts as at most this many independent points
  double match_gate_m = 0.3;         ///< m, returns farther from the map are not matched
  double huber_m = 0.05;             ///< m, residuals beyond this are down-weighted
  int min_inliers = 12;              ///< fewer matched points: the scan is not used
  int iterations = 8;                ///< Gauss-Newton iterations a scan
  double min_height_m = 0.4;         ///< m above the stance sole: lower returns are floor
  double odometry_var_per_m = 1e-3;  ///< m² of position variance per m travelled
  double drift_var_per_s = 1e-5;     ///< m² (and rad²) of variance per second
  double yaw_var_per_rad = 1e-3;     ///< rad² of heading variance per rad turned
  double start_sigma_m = 0.02;       ///< m, the start slot's uncertainty
  double start_sigma_rad = 0.02;     ///< rad
};

/// Sets one option by name: a LidarOptions key (rays, rate_hz, ...) or one of
/// gyro_bias_rad_s, odometry_scale, match_gate_m. Returns "" or why not.
std::string SetLocalisationOption(LocalisationOptions* options, const std::string& key,
                                  const std::string& value);

/// Everything robots share to localise on a stage.
struct LocalisationSetup {
  LocalisationOptions options;
  std::vector<Landmark> landmarks;  ///< the stage's map
  uint64_t seed = 1;                ///< sensor errors and lidar noise
  /// Start error (m, m, rad) added to every robot's start slot (tests: convergence).
  Pose2 start_error;
};

/// One scan matched to the map.
struct ScanMatch {
  bool used = false;      ///< enough inliers: the result corrects the pose
  Pose2 pose;             ///< the posterior pose (the prior when !used)
  Eigen::Matrix3d covariance = Eigen::Matrix3d::Identity();  ///< posterior (x, y, yaw)
  int points = 0;         ///< points offered
  int inliers = 0;        ///< points matched within the gate at the end
  double rms_m = 0;       ///< m, RMS distance of the inliers to the map
};

/// Matches `points` (m, in the pelvis's level frame: x forward, y left, origin the pelvis)
/// to `map` from the prior pose `prior` with covariance `prior_cov` (see the top of this
/// file). Pure.
ScanMatch MatchScan(const StageMap& map, const std::vector<Eigen::Vector2d>& points,
                    const Pose2& prior, const Eigen::Matrix3d& prior_cov,
                    const LocalisationOptions& options);

/// The planar pose filter: odometry predictions and scan corrections (no physics).
class PoseFilter {
 public:
  /// Starts at `start` with the options' start uncertainty.
  PoseFilter(const Pose2& start, const LocalisationOptions& options);
  /// Moves by `delta` (m, m, rad: the motion in the robot's previous frame) over `dt` s.
  void Predict(const Pose2& delta, double dt);
  /// Corrects with a scan (points as MatchScan's); returns the match.
  ScanMatch Correct(const StageMap& map, const std::vector<Eigen::Vector2d>& points);
  /// The estimate.
  const Pose2& pose() const { return pose_; }
  /// Its covariance (x, y, yaw).
  const Eigen::Matrix3d& covariance() const { return cov_; }
  /// Replaces the estimate (the covariance stays).
  void set_pose(const Pose2& pose) { pose_ = pose; }

 private:
  LocalisationOptions options_;
  Pose2 pose_;
  Eigen::Matrix3d cov_;
};

/// A robot's localiser: its lidar, leg odometry and PoseFilter, updated every control
/// tick from its own sensors. Copyable (controller clones).
class Localiser {
 public:
  /// Robot `robot` of `scene`, starting at its scene placement plus setup's start_error.
  Localiser(const Scene& scene, int robot, std::shared_ptr<const LocalisationSetup> setup);
  /// Advances to d.time (after mj_step1): odometry every call, a scan when one is due.
  /// Returns the stage frame F (see the top of this file).
  Pose2 Update(const Scene& scene, int robot, const mjData& d);
  /// The estimated pelvis pose on the stage.
  const Pose2& estimate() const { return filter_.pose(); }
  /// The last scan taken (empty before the first).
  const LidarScan& last_scan() const { return scan_; }
  /// The last scan's match.
  const ScanMatch& last_match() const { return match_; }
  /// Scans taken, and used for a correction.
  int scans() const { return scans_; }
  int scans_used() const { return scans_used_; }
  /// s of wall time spent casting rays, and in the rest of the localiser (odometry, ICP).
  double lidar_seconds() const { return lidar_s_; }
  double estimator_seconds() const { return estimator_s_; }

 private:
  std::shared_ptr<const LocalisationSetup> setup_;
  Lidar lidar_;
  StageMap map_;
  RobotLayout layout_;
  PoseFilter filter_;
  double gyro_bias_ = 0;   // rad/s
  double leg_scale_ = 1;   // odometry length factor
  int stance_ = -1;        // 0 left, 1 right; -1 before the first tick
  Eigen::Vector2d stance_at_ = Eigen::Vector2d::Zero();  // m, estimated stance sole (stage)
  double last_time_ = -1;
  double next_scan_ = 0;
  int scans_ = 0, scans_used_ = 0;
  LidarScan scan_;
  ScanMatch match_;
  std::vector<Eigen::Vector2d> points_;
  double lidar_s_ = 0, estimator_s_ = 0;
};

/// Makes `frame` (the stage frame F, see the top of this file) the frame in which
/// LocalisedReference samples on this thread until the scope ends (scopes nest).
class StageFrameScope {
 public:
  explicit StageFrameScope(const Pose2& frame);
  ~StageFrameScope();
  StageFrameScope(const StageFrameScope&) = delete;
  StageFrameScope& operator=(const StageFrameScope&) = delete;

 private:
  const Pose2* previous_;
  Pose2 frame_;
};

/// The stage frame of this thread's innermost StageFrameScope; identity outside any.
Pose2 CurrentStageFrame();

/// `reference` moved rigidly by the planar transform `frame` (positions, velocities,
/// accelerations, headings; joint-space and relative parts unchanged).
void TransformReference(const Pose2& frame, RobotReference* reference);

/// A plan followed with the robot's own estimate of where it stands: samples `inner`
/// and moves it by CurrentStageFrame().
class LocalisedReference : public ReferenceSource {
 public:
  /// Wraps `inner` (not null).
  explicit LocalisedReference(std::shared_ptr<const ReferenceSource> inner);
  void Sample(double t, RobotReference* out) const override;
  void SampleFrom(double t, ReferenceCursor* cursor, RobotReference* out) const override;
  double end_time() const override { return inner_->end_time(); }
  /// The plan in stage coordinates.
  const std::shared_ptr<const ReferenceSource>& inner() const { return inner_; }

 private:
  std::shared_ptr<const ReferenceSource> inner_;
};

/// Each of `references` wrapped in a LocalisedReference.
std::vector<std::shared_ptr<const ReferenceSource>> LocaliseReferences(
    std::vector<std::shared_ptr<const ReferenceSource>> references);

/// The plan inside a LocalisedReference, else `reference` itself.
std::shared_ptr<const ReferenceSource> StageReference(
    const std::shared_ptr<const ReferenceSource>& reference);

}  // namespace yangbot

#endif  // YANGBOT_CONTROLLERS_LOCALISATION_H_
